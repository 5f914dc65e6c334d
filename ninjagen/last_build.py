"""The last build a report is about: its steps from ninja's log, and what ninjagen measured around it.

When ninjagen runs ninja (``ninjagen build``, the build backend, the setuptools
drop-in) a :class:`BuildWatch` marks the log before, reads the compiler cache's
counters before and after, times the run, and leaves
``<build folder>/ninjagen-last-build.json``: the log's mark before and after,
the jobs, the wall time and the cache's hits and misses.  ``ninjagen report``
uses that record while the log still ends where the build left it; after a
plain ``ninja`` the log alone says what ran (:func:`ninja_log.last_run`).
Nothing here may fail a build: a summary that cannot be made is left out.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from typing import Mapping, Optional, Sequence

from .atomic import atomic_write
from .ninja_log import LOG_NAME, LogMark, Step, last_run, mark_of, read_log, runs, steps_of

__all__ = ["RECORD_NAME", "LastBuild", "BuildWatch", "load_last_build", "log_path_of"]

RECORD_NAME = "ninjagen-last-build.json"


def log_path_of(root: str, build_dir: str) -> str:
    return os.path.join(root, build_dir, LOG_NAME)


@dataclass(frozen=True)
class LastBuild:
    steps: list[Step]
    jobs: Optional[int] = None
    wall: Optional[float] = None
    cache: Optional[dict] = None
    """``{"launcher", "hits", "misses"}`` for this build, when a ccache or sccache compiled."""


def _counters(launcher: Sequence[str]):
    if not launcher:
        return None
    from .cache_stats import read_counters

    return read_counters(launcher)


class BuildWatch:
    """Started before ninja runs; :meth:`finish` after it, for the build's record and summary."""

    def __init__(self, root: str, build_dir: str, manifest: str, launcher: Sequence[str] = (),
                 jobs: Optional[int] = None):
        self.root, self.build_dir, self.manifest = root, build_dir, manifest
        self.launcher, self.jobs = list(launcher), jobs
        self.log = log_path_of(root, build_dir)
        self.mark = mark_of(self.log)
        self.cache_before = _counters(self.launcher)
        self.started = time.perf_counter()

    def finish(self) -> Optional[LastBuild]:
        """What this build ran (None when nothing did), saved as the build folder's record."""
        wall = time.perf_counter() - self.started
        now = mark_of(self.log)
        if now is None or (self.mark is not None and now == self.mark):
            return None  # a no-op: ninja appended nothing
        entries = read_log(self.log)
        if self.mark is not None and now.inode == self.mark.inode:
            entries = [e for e in entries if e.offset >= self.mark.size]
        # else a new log, or ninja recompacted it first: the last run of the new file
        found = runs(entries, manifest=self.manifest)
        entries = found[-1] if found else []
        cache = None
        if self.cache_before is not None:
            after = _counters(self.launcher)
            if after is not None:
                delta = after.since(self.cache_before)
                cache = {"launcher": delta.launcher, "hits": delta.hits, "misses": delta.misses}
        record = {"format": 1, "log_before": None if self.mark is None else [self.mark.inode, self.mark.size],
                  "log_after": [now.inode, now.size], "jobs": self.jobs, "wall_s": round(wall, 3), "cache": cache}
        try:
            atomic_write(os.path.join(self.root, self.build_dir, RECORD_NAME), json.dumps(record, indent=1) + "\n")
        except OSError:
            pass
        return LastBuild(steps_of(entries), self.jobs, wall, cache)


def _record(root: str, build_dir: str) -> Optional[Mapping]:
    try:
        with open(os.path.join(root, build_dir, RECORD_NAME), encoding="utf-8") as f:
            data = json.load(f)
        return data if isinstance(data, dict) and data.get("format") == 1 else None
    except (OSError, ValueError):
        return None


def load_last_build(root: str, build_dir: str, manifest: str) -> LastBuild:
    """The last build of *manifest* that ran anything, with ninjagen's measurements when they are of that build."""
    log = log_path_of(root, build_dir)
    record = _record(root, build_dir)
    now = mark_of(log)
    if record and now is not None and record.get("log_after") == [now.inode, now.size]:
        before = record.get("log_before")
        mark = LogMark(*before) if isinstance(before, list) and len(before) == 2 else None
        return LastBuild(steps_of(last_run(log, mark, manifest)), record.get("jobs"), record.get("wall_s"), record.get("cache"))
    return LastBuild(steps_of(last_run(log, manifest=manifest)))
