"""ninjagen.cache_stats: a caching launcher's hits and misses, read from the real ccache and sccache.

Each test has a private cache (ccache: CCACHE_DIR in tmp_path; sccache: its own
server, see tests/cache_servers.py).  Reading never raises: what cannot be read is None.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from cache_servers import SccacheServer, clean_cache_env
from conftest import configure, ninja, write
from devloop import need

from ninjagen import cache_stats
from ninjagen.cache_stats import CacheCounters, read_counters
from ninjagen.cli import main


@pytest.fixture
def ccache_dir(tmp_path, monkeypatch):
    need("ccache")
    clean_cache_env(monkeypatch)
    for name in ("CCACHE_DISABLE", "CCACHE_RECACHE", "CCACHE_READONLY", "CCACHE_CONFIGPATH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CCACHE_DIR", str(tmp_path / "ccache-dir"))  # a private, empty cache
    return tmp_path / "ccache-dir"


def test_ccache_counters_before_and_after_builds(sample, ccache_dir):
    project = sample("cxx")  # a C and a C++ compile
    before = read_counters(["ccache"])
    assert before is not None and before.launcher == "ccache" and before.location is None
    configure(project, "--launcher", "ccache")
    ninja(project)
    first = read_counters(["ccache"])
    assert first.since(before) == CacheCounters("ccache", hits=0, misses=2)
    assert main(["clean", "-C", str(project)]) == 0
    ninja(project)
    assert read_counters([shutil.which("ccache"), "distcc"]).since(first) == CacheCounters("ccache", 2, 0)
    # the environment given is the one read: another CCACHE_DIR has counted nothing
    other = read_counters(["ccache"], env={**os.environ, "CCACHE_DIR": str(ccache_dir.parent / "other")})
    assert (other.hits, other.misses) == (0, 0)


@pytest.mark.daemons
def test_sccache_counters_and_location(sample, tmp_path, monkeypatch):
    server = SccacheServer(need("sccache"), tmp_path / "sccache")
    try:
        server.use(monkeypatch)
        project = sample("multi")  # three compiles
        configure(project, "--launcher", "sccache")
        before = read_counters(["sccache"])
        assert before == CacheCounters("sccache", 0, 0, f'Local disk: "{server.env["SCCACHE_DIR"]}"')
        assert main(["build", "-C", str(project)]) == 0
        built = read_counters(["sccache"])
        assert (built.hits, built.misses) == (0, 3)
        assert main(["clean", "-C", str(project)]) == 0
        assert main(["build", "-C", str(project)]) == 0
        assert read_counters([shutil.which("sccache")]).since(built) == CacheCounters("sccache", 3, 0, before.location)
        subprocess.run([server.sccache, "--zero-stats"], check=True, capture_output=True)
        assert read_counters(["sccache"]).since(built) == CacheCounters("sccache", 0, 0, before.location)
    finally:
        server.stop()


@pytest.mark.parametrize("before, after, delta", [
    ((4, 1), (9, 1), (5, 0)),
    ((4, 1), (4, 1), (0, 0)),
    ((4, 10), (2, 12), (2, 2)),  # hits went down: reset in between (a new sccache server), so 2 since
    ((7, 7), (0, 0), (0, 0)),
])
def test_since_subtracts_and_a_reset_counts_from_zero(before, after, delta):
    earlier, later = CacheCounters("sccache", *before, "x"), CacheCounters("sccache", *after, "x")
    assert later.since(earlier) == CacheCounters("sccache", *delta, "x")
    with pytest.raises(ValueError, match="counters of ccache and sccache cannot be subtracted"):
        later.since(CacheCounters("ccache", 0, 0))


def _fake(tmp_path, name: str, script: str) -> str:
    path = write(tmp_path / "fake" / name, "#!/bin/sh\n" + script)
    path.chmod(0o755)
    return str(path)


def test_what_cannot_be_read_is_none(tmp_path, monkeypatch):
    monkeypatch.setattr(cache_stats, "TIMEOUT", 1.0)
    for launcher in ([], ["distcc"], ["icecc", "gcc"], ["buildcache"], ["gcc"], [str(tmp_path / "no" / "ccache")]):
        assert read_counters(launcher) is None, launcher
    cases = [
        ("ccache", "echo 'ccache: invalid option -- print-stats' >&2; exit 1\n"),  # a ccache 3
        ("ccache", "echo 'stats_updated_timestamp\t0'\n"),  # no counts
        ("sccache", "echo '{\"stats\": {}}'\n"),
        ("sccache", "echo 'not json'\n"),
        ("sccache", "echo 'sccache: error: couldn't connect to server' >&2; exit 2\n"),
        ("sccache", "exec sleep 5\n"),  # a server that does not answer in time
    ]
    for name, script in cases:
        assert read_counters([_fake(tmp_path, name, script)]) is None, script
    fine = _fake(tmp_path, "ccache", "printf 'direct_cache_hit\\t3\\npreprocessed_cache_hit\\t4\\ncache_miss\\t5\\n'\n")
    assert read_counters([fine, "gcc"]) == CacheCounters("ccache", 7, 5)
