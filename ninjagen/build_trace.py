"""A build report as a Chrome trace (``chrome://tracing``, ui.perfetto.dev): one complete event per step.

Each step is an ``X`` (complete) event: ``ts`` and ``dur`` in microseconds from
ninja's start, ``tid`` the report's lane, so that steps that ran at the same
time sit on separate rows.  Metadata events name the process and the rows;
``args`` carry the output, the extension module and whether the step is on the
critical path.  The format is the Trace Event Format's JSON object form.
"""

from __future__ import annotations

import json
from typing import Mapping

__all__ = ["trace_events", "trace_json"]

_PID = 1


def trace_events(report: Mapping) -> list[dict]:
    events: list[dict] = [{"name": "process_name", "ph": "M", "pid": _PID, "tid": 0,
                           "args": {"name": f"ninja: {report['project']}"}}]
    for lane in sorted({s["lane"] for s in report["steps"]}):
        events.append({"name": "thread_name", "ph": "M", "pid": _PID, "tid": lane, "args": {"name": f"job {lane + 1}"}})
    for step in report["steps"]:
        events.append({
            "name": step["source"] or step["output"], "cat": step["kind"], "ph": "X", "pid": _PID, "tid": step["lane"],
            "ts": round(step["start_s"] * 1e6), "dur": round(step["duration_s"] * 1e6),
            "args": {"output": step["output"], "extension": step["extension"], "critical": step["critical"]},
        })
    return events


def trace_json(report: Mapping) -> str:
    return json.dumps({"traceEvents": trace_events(report), "displayTimeUnit": "ms",
                       "otherData": {"wall_s": report["wall_s"], "busy_s": report["busy_s"], "jobs": report["jobs"],
                                     "critical_path_s": report["critical_path"]["duration_s"]}},
                      separators=(",", ":")) + "\n"
