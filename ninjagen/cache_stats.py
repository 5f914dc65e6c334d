"""The counters of a caching launcher (ccache, sccache): how many compiles its cache served.

A build summary reads them before and after a build and prints the difference
(:meth:`CacheCounters.since`).  Reading them never raises: a launcher that is
not a cache, a tool too old to print its statistics, or one that does not
answer in time gives None, and the summary leaves the line out.

- ccache: ``ccache --print-stats`` (ccache 4), one ``name<TAB>value`` a line;
  hits are ``direct_cache_hit`` + ``preprocessed_cache_hit``, misses ``cache_miss``.
- sccache: ``sccache --show-stats --stats-format=json`` asks the server on
  ``SCCACHE_SERVER_PORT`` (and starts one if none runs: after a build through
  sccache one does); hits and misses are summed over the languages, and the
  location says where the cache is (``Local disk: "..."``, ``redis, name: ...``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Mapping, Optional, Sequence

from .errors import NinjagenError
from .launchers import caching_launcher
from .process import run

__all__ = ["CacheCounters", "read_counters"]

#: seconds a statistics command may take (sccache may have to start its server)
TIMEOUT = 10.0


@dataclass(frozen=True)
class CacheCounters:
    """A caching launcher's counters at one moment (or, from :meth:`since`, over a build)."""

    launcher: str
    """``ccache`` or ``sccache``."""
    hits: int
    """Compiles served from the cache."""
    misses: int
    """Compiles the cache did not have (compiled, then stored)."""
    location: Optional[str] = None
    """Where the cache is, as sccache says it (``Local disk: "/home/me/.cache/sccache"``); None for ccache."""

    def since(self, before: CacheCounters) -> CacheCounters:
        """The counts between *before* and these (read later from the same launcher).

        A counter that went down was reset in between (``--zero-stats``, or a new
        sccache server): it counts from zero, so its value now is the count.
        """
        if before.launcher != self.launcher:
            raise ValueError(f"counters of {before.launcher} and {self.launcher} cannot be subtracted")
        return replace(self, hits=_delta(self.hits, before.hits), misses=_delta(self.misses, before.misses))


def _delta(now: int, before: int) -> int:
    return now - before if now >= before else now


def read_counters(launcher: Sequence[str], env: Optional[Mapping[str, str]] = None) -> Optional[CacheCounters]:
    """The counters of the caching launcher among *launcher*'s words (``["ccache"]``), or None.

    *env* is the environment the build runs with (``CCACHE_DIR``,
    ``SCCACHE_SERVER_PORT``, ...; default: this process's).  None when the
    launcher is no cache ninjagen can read (``distcc``, ``buildcache``) or its
    statistics cannot be had; never an exception.
    """
    found = caching_launcher(launcher)
    if found is None:
        return None
    name, program = found
    reader = _READERS.get(name)
    if reader is None:
        return None
    try:
        return reader(program, env)
    except (NinjagenError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _ccache(program: str, env: Optional[Mapping[str, str]]) -> Optional[CacheCounters]:
    proc = run([program, "--print-stats"], env=env, timeout=TIMEOUT)
    if proc.returncode != 0:
        return None
    values = {}
    for line in proc.stdout.splitlines():
        key, _, value = line.partition("\t")
        if value.strip().isdigit():
            values[key] = int(value)
    if "cache_miss" not in values:
        return None
    hits = values.get("direct_cache_hit", 0) + values.get("preprocessed_cache_hit", 0)
    return CacheCounters("ccache", hits, values["cache_miss"])


def _sccache(program: str, env: Optional[Mapping[str, str]]) -> Optional[CacheCounters]:
    proc = run([program, "--show-stats", "--stats-format=json"], env=env, timeout=TIMEOUT)
    if proc.returncode != 0:
        return None
    data = json.loads(proc.stdout)
    stats = data["stats"]
    hits = sum(int(n) for n in stats["cache_hits"]["counts"].values())
    misses = sum(int(n) for n in stats["cache_misses"]["counts"].values())
    location = data.get("cache_location")
    return CacheCounters("sccache", hits, misses, str(location) if location is not None else None)


_READERS = {"ccache": _ccache, "sccache": _sccache}
