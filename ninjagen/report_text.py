"""A build report for the terminal: ``ninjagen report`` without ``--json``."""

from __future__ import annotations

from typing import Mapping

from .build_summary import summary_line

__all__ = ["render_text"]

_SHOWN = 10


def _s(value: float) -> str:
    return f"{value:8.2f} s"


def render_text(report: Mapping) -> str:
    if not report["steps"]:
        return "ninjagen: the last build ran nothing\n"
    lines = [summary_line(report), ""]
    exts = report["extensions"]
    if exts:
        width = max(len(e["name"]) for e in exts)
        lines.append(f"{'extension':<{width}}  {'compile':>10}  {'link':>10}  objects  slowest translation unit")
        for e in exts[:_SHOWN]:
            top = e["slowest"][0] if e["slowest"] else None
            lines.append(f"{e['name']:<{width}}  {_s(e['compile_s'])}  {_s(e['link_s'])}  {e['objects']:7d}  "
                         + (f"{top['source'] or top['output']} ({top['duration_s']:.2f} s)" if top else "-"))
        if len(exts) > _SHOWN:
            lines.append(f"... and {len(exts) - _SHOWN} more extension modules (--json has them all)")
        lines.append("")
    lines.append("slowest steps:")
    for s in report["slowest"]:
        where = f" [{s['extension']}]" if s["extension"] else ""
        lines.append(f"  {_s(s['duration_s'])}  {s['kind']:<10} {s['source'] or s['output']}{where}")
    path = report["critical_path"]
    lines += ["", f"critical path: {len(path['steps'])} steps, {path['duration_s']:.2f} s of {report['wall_s']:.2f} s wall"]
    durations = {s["output"]: s for s in report["steps"]}
    for output in path["steps"]:
        step = durations[output]
        lines.append(f"  {_s(step['duration_s'])}  {step['kind']:<10} {step['source'] or output}")
    lines += [path["advice"], ""]
    return "\n".join(lines)
