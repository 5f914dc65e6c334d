"""The one line printed after a build: what ran, how long, how parallel, the slowest steps, the cache.

    ninjagen: 256 compiles, 16 links in 27.1 s; 1.9 of 3 jobs busy (64%); slowest: s03.c 0.91 s, ...

Made from a report (:func:`build_report.build_report`); ``ninjagen report`` has the rest.
"""

from __future__ import annotations

import os
from typing import Mapping

from .ninja_graph import KINDS, count_of

__all__ = ["summary_line"]


def _count_words(counts: Mapping[str, int]) -> str:
    words = [count_of(counts[k], k) for k in KINDS if counts.get(k)]
    return ", ".join(words) or "nothing"


def _seconds(value: float) -> str:
    return f"{value:.2f} s" if value < 10 else f"{value:.1f} s"


def summary_line(report: Mapping) -> str:
    """The summary of *report* in one line (without a trailing newline)."""
    parts = [f"ninjagen: {_count_words(report['counts'])} in {_seconds(report['wall_s'])}"]
    if report["steps"]:
        parts.append(f"{report['parallelism']:.1f} of {report['jobs']} jobs busy ({report['utilization']:.0%})")
        slowest = [f"{os.path.basename(s['source'] or s['output'])} {_seconds(s['duration_s'])}"
                   for s in report["slowest"][:3]]
        parts.append("slowest: " + ", ".join(slowest))
    cache = report.get("cache")
    if cache:
        parts.append(f"{cache['launcher']}: {cache['hits']} hit{'s' if cache['hits'] != 1 else ''}, "
                     f"{cache['misses']} miss{'es' if cache['misses'] != 1 else ''}")
    return "; ".join(parts)
