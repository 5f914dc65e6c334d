"""The page of ``ninjagen report --html FILE``: a build report as one self-contained HTML file.

Self-contained because a report travels: it is opened from a CI artifact, attached
to an issue, or read on a machine without internet.  So the page asks nothing of
the network (no CDN, no web fonts, no external script) and needs no other file.
The tables are rendered here, so the page reads with JavaScript off; a small
inline script draws the timeline and the per-extension bars as SVG from the
report, which the page carries as JSON (see ``embed_json``).
"""

from __future__ import annotations

import functools
import json
import re
from typing import Any

from .rules import templates_dir

__all__ = ["render_html", "embed_json"]

#: what could end the <script> element or open a comment early, as JSON escapes
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}


def embed_json(data: Any) -> str:
    """*data* as JSON safe inside a ``<script>`` element: ``JSON.parse`` reads back the same value."""
    text = json.dumps(data, ensure_ascii=True, sort_keys=True)
    return "".join(_JSON_ESCAPES.get(c, c) for c in text)


def seconds(value: float | None) -> str:
    """A duration for people: ``240 ms``, ``3.21 s``, ``2 min 05 s``."""
    if value is None:
        return "?"
    if value < 1:
        return f"{value * 1000:.0f} ms"
    if value < 120:
        return f"{value:.2f} s"
    minutes, rest = divmod(round(value), 60)
    return f"{minutes} min {rest:02d} s"


def percent(value: float | None) -> str:
    return "?" if value is None else f"{value * 100:.0f} %"


@functools.lru_cache(maxsize=None)
def _environment() -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir()),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(seconds=seconds, percent=percent)
    return env


def _critical_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The critical path's steps (outputs in the report) with the step each names, in build order."""
    by_output = {step["output"]: step for step in report.get("steps", [])}
    rows = []
    for output in (report.get("critical_path") or {}).get("steps", []):
        step = by_output.get(output, {})
        rows.append({"output": output, "source": step.get("source"), "kind": step.get("kind", "?"),
                     "extension": step.get("extension"), "duration_s": step.get("duration_s")})
    return rows


def render_html(report: dict[str, Any]) -> str:
    """The HTML page of *report* (the dict ``ninjagen report --json`` prints)."""
    from markupsafe import Markup

    extensions = sorted(report.get("extensions", []), key=lambda e: e["compile_s"] + e["link_s"], reverse=True)
    slowest = report.get("slowest", [])
    counts = {kind: n for kind, n in report.get("counts", {}).items() if n}
    return _environment().get_template("report.html.j2").render(
        report=report,
        name=re.split(r"[\\/]", str(report.get("project", "")).rstrip("\\/"))[-1] or "build",
        counts=counts,
        extensions=extensions,
        slowest=slowest,
        slowest_max=max((s["duration_s"] for s in slowest), default=0) or 1,
        critical=report.get("critical_path") or {},
        critical_rows=_critical_rows(report),
        data=Markup(embed_json(report)),
    )
