"""What the last build did and where its time went, as one plain dict (``ninjagen report --json``).

The steps come from ninja's log (:mod:`ninja_log`), their rules and inputs from
ninja's reading of build.ninja (:mod:`ninja_graph`), the extension modules from
ninjagen's state.  From these: counts per kind of step, busy time against wall
time, the slowest steps, time per extension module, and the critical path: the
chain of steps, each waiting on the one before, whose durations add up to the
most.  With enough jobs no build can be shorter than that chain; when the wall
time is far above it, the build waited for free jobs, not for the chain, and
the advice says so.  The dict's keys are the format that ``--json``,
``--trace`` and ``--html`` share (``format`` says which).
"""

from __future__ import annotations

import os
from typing import Mapping, Optional, Sequence

from .errors import NinjagenError
from .last_build import load_last_build, log_path_of
from .ninja_graph import KINDS, GraphNode, inputs_of, kind_of, rules_of
from .ninja_log import Step
from .state import BUILD_NINJA, read_state

__all__ = ["REPORT_FORMAT", "ninja_default_jobs", "build_report", "assign_lanes", "critical_path",
           "last_build_report"]

REPORT_FORMAT = 1
#: a chain at least this share of the wall time set it; below, the build waited for jobs
_CHAIN_BOUND = 0.8


def ninja_default_jobs(cpus: Optional[int] = None) -> int:
    """The jobs ninja runs without ``-j``: two more than the processors (2 on one, 3 on two)."""
    cpus = cpus or os.cpu_count() or 1
    return 2 if cpus < 2 else 3 if cpus == 2 else cpus + 2


def assign_lanes(steps: Sequence[Step]) -> list[int]:
    """A row for each step such that steps on one row never overlap (the first free row, by start)."""
    lanes = [0] * len(steps)
    ends: list[float] = []
    for i in sorted(range(len(steps)), key=lambda k: (steps[k].start, steps[k].end)):
        step = steps[i]
        for lane, end in enumerate(ends):
            if end <= step.start:
                ends[lane] = step.end
                lanes[i] = lane
                break
        else:
            lanes[i] = len(ends)
            ends.append(step.end)
    return lanes


def _predecessors(steps: Sequence[Step], inputs: Mapping[str, GraphNode], kinds: Sequence[str]) -> list[list[int]]:
    """For each step, the steps of this build it waited for: those making its inputs, and a
    regeneration of build.ninja, which every step after it waited for."""
    made_by = {output: i for i, step in enumerate(steps) for output in step.outputs}
    regenerations = [i for i, kind in enumerate(kinds) if kind == "regenerate"]
    preds = []
    for i, step in enumerate(steps):
        edge = inputs.get(step.output)
        found = {made_by[p] for p in (edge.all_inputs if edge else ()) if p in made_by and made_by[p] != i}
        found.update(r for r in regenerations if r != i and steps[r].end <= step.start)
        preds.append(sorted(found))
    return preds


def critical_path(steps: Sequence[Step], preds: Sequence[Sequence[int]]) -> list[int]:
    """The indexes of the chain of waiting steps with the greatest total duration, first step first."""
    if not steps:
        return []
    total = [0.0] * len(steps)
    via = [-1] * len(steps)
    for i in sorted(range(len(steps)), key=lambda k: steps[k].start):  # a step starts after what it waits for
        best = max(preds[i], key=lambda p: total[p], default=-1)
        total[i] = steps[i].duration + (total[best] if best >= 0 else 0.0)
        via[i] = best
    node = max(range(len(steps)), key=lambda k: (total[k], steps[k].end))
    chain = []
    while node >= 0:
        chain.append(node)
        node = via[node]
    return chain[::-1]


def _consumers(steps: Sequence[Step], preds: Sequence[Sequence[int]], extensions: Sequence[Mapping]) -> list[Optional[str]]:
    """The extension module each step was for: the one whose link waited on it, directly or not
    (None for a step several modules share, such as a static library's, or none)."""
    index = {output: i for i, step in enumerate(steps) for output in step.outputs}
    owners: list[set[str]] = [set() for _ in steps]
    for ext in extensions:
        start = index.get(os.path.normpath(ext.get("output", "")))
        todo = [start] if start is not None else []
        while todo:
            i = todo.pop()
            if ext["name"] not in owners[i]:
                owners[i].add(ext["name"])
                todo.extend(preds[i])
    return [next(iter(o)) if len(o) == 1 else None for o in owners]


def _advice(chain: Sequence[dict], chain_s: float, wall: float, busy: float, jobs: int) -> str:
    if not chain:
        return "nothing ran"
    dominant = max(chain, key=lambda s: s["duration_s"])
    name = dominant["source"] or dominant["output"]
    if wall <= 0 or chain_s >= _CHAIN_BOUND * wall:
        return (f"the build waited on this chain: {name} ({dominant['kind']}, {dominant['duration_s']:.2f} s "
                f"of {chain_s:.2f} s) is where a shorter build starts (split it, or lower its optimization)")
    return (f"the build waited for free jobs, not for this chain ({chain_s:.2f} s of {wall:.2f} s): "
            f"{busy:.2f} s of work over {jobs} jobs takes at least {busy / jobs:.2f} s, so more cores, "
            "a compiler cache or less work per build shorten it; the longest chain's own slowest step "
            f"is {name} ({dominant['duration_s']:.2f} s)")


def build_report(root: str, steps: Sequence[Step], extensions: Sequence[Mapping], *,
                 build_ninja: Optional[str] = None, jobs: Optional[int] = None, wall: Optional[float] = None,
                 cache: Optional[Mapping] = None, detail: bool = True) -> dict:
    """The report of a build that ran *steps* in the project at *root*.

    *jobs* and *wall* are what ``ninjagen build`` knew (``-j``, the time around
    ninja); without them, ninja's default jobs (or more, when more steps ran at
    once) and the span of the log's times.  Without *detail* (the summary line
    after a build), ninja is asked for the inputs of the slowest steps only: no
    critical path, no extension modules.
    """
    rules = rules_of(root, build_ninja) if steps else {}
    asked = steps if detail else sorted(steps, key=lambda s: -s.duration)[:3]
    inputs = inputs_of(root, [s.output for s in asked], build_ninja, known=rules) if steps else {}
    kinds = [kind_of(inputs[s.output].rule if s.output in inputs else rules.get(s.output)) for s in steps]
    lanes = assign_lanes(steps)
    jobs = max(jobs or ninja_default_jobs(), max(lanes, default=-1) + 1)
    span = max((s.end for s in steps), default=0.0) - min((s.start for s in steps), default=0.0)
    wall = wall if wall is not None and wall > 0 else span
    busy = sum(s.duration for s in steps)
    preds = _predecessors(steps, inputs, kinds) if detail else [[] for _ in steps]
    owners = _consumers(steps, preds, extensions) if detail else [None] * len(steps)
    chain = critical_path(steps, preds) if detail else []
    on_chain = set(chain)
    records = []
    for i, step in enumerate(steps):
        edge = inputs.get(step.output)
        records.append({
            "output": step.output, "outputs": list(step.outputs), "kind": kinds[i],
            "rule": edge.rule if edge else rules.get(step.output), "extension": owners[i],
            "source": edge.inputs[0] if edge and edge.inputs and kinds[i] in ("compile", "cython", "swig") else None,
            "start_s": round(step.start, 3), "end_s": round(step.end, 3), "duration_s": round(step.duration, 3),
            "lane": lanes[i], "critical": i in on_chain,
        })
    by_time = sorted(records, key=lambda r: (-r["duration_s"], r["output"]))
    chain_records = [records[i] for i in chain]
    chain_s = sum(r["duration_s"] for r in chain_records)
    dominant = max(chain_records, key=lambda r: r["duration_s"], default=None)
    return {
        "format": REPORT_FORMAT, "project": root, "build_ninja": build_ninja or "build.ninja",
        "wall_s": round(wall, 3), "busy_s": round(busy, 3), "jobs": jobs,
        "parallelism": round(busy / wall, 2) if wall > 0 else 0.0,
        "utilization": round(busy / wall / jobs, 2) if wall > 0 else 0.0,
        "counts": {kind: kinds.count(kind) for kind in KINDS},
        "steps": records,
        "extensions": _per_extension(records, extensions) if detail else [],
        "slowest": [{k: r[k] for k in ("output", "source", "kind", "extension", "duration_s")} for r in by_time[:10]],
        "critical_path": {
            "duration_s": round(chain_s, 3), "steps": [r["output"] for r in chain_records],
            "dominant": None if dominant is None else {
                "output": dominant["output"], "source": dominant["source"], "kind": dominant["kind"],
                "duration_s": dominant["duration_s"],
                "share": round(dominant["duration_s"] / chain_s, 2) if chain_s > 0 else 1.0},
            "advice": _advice(chain_records, chain_s, wall, busy, jobs),
        },
        "cache": dict(cache) if cache else None,
    }


def _per_extension(records: Sequence[dict], extensions: Sequence[Mapping]) -> list[dict]:
    steps_of: dict[Optional[str], list[dict]] = {}
    for r in records:
        steps_of.setdefault(r["extension"], []).append(r)
    result = []
    for ext in extensions:
        mine = steps_of.get(ext["name"], [])
        compiles = [r for r in mine if r["kind"] == "compile"]
        result.append({
            "name": ext["name"], "output": ext.get("output"),
            "compile_s": round(sum(r["duration_s"] for r in compiles), 3),
            "link_s": round(sum(r["duration_s"] for r in mine if r["kind"] == "link"), 3),
            "other_s": round(sum(r["duration_s"] for r in mine if r["kind"] not in ("compile", "link")), 3),
            "objects": len(compiles),
            "slowest": [{"source": r["source"], "output": r["output"], "duration_s": r["duration_s"]}
                        for r in sorted(compiles, key=lambda r: -r["duration_s"])[:3]],
        })
    return sorted(result, key=lambda e: -(e["compile_s"] + e["link_s"] + e["other_s"]))


def last_build_report(project_dir: str, build_ninja: Optional[str] = None, detail: bool = True) -> dict:
    """The report of the last build that ran anything in *project_dir* (of *build_ninja*, default the project's);
    *detail* as for :func:`build_report`."""
    root = os.path.abspath(project_dir)
    name = build_ninja or BUILD_NINJA
    state = read_state(root, name)
    if state is None:
        if not os.path.isfile(os.path.join(root, name)):
            raise NinjagenError(f"no {name} in {root}: run ninjagen configure, then a build")
        raise NinjagenError(f"{name} in {root} has no readable ninjagen state: run ninjagen configure again")
    log = log_path_of(root, state.build_dir)
    if not os.path.isfile(log):
        raise NinjagenError(f"no build has run in {root} yet ({os.path.relpath(log, root)} does not exist)")
    last = load_last_build(root, state.build_dir, name)
    return build_report(root, last.steps, state.extensions, build_ninja=build_ninja, jobs=last.jobs, wall=last.wall,
                        cache=last.cache, detail=detail)
