"""A compiler cache shared by two checkouts, and by two machines through Redis: sccache for real.

Compile commands name files relative to the project folder, so two checkouts
give the same commands; what remains is gcc's line naming the working folder in
its preprocessed output with ``-g``, which ``-fno-working-directory`` (added
behind sccache, where a probe finds the compiler writes it) leaves
out.  Each sccache server here is the test's own (a free port, a cache folder in
tmp_path, nothing from the user's SCCACHE_* settings), as is the Redis server,
and each is stopped by its PID.  Two folders, machine-a/proj and
machine-b/proj, each with its own sccache server, stand in for two machines.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from cache_servers import RedisServer, SccacheServer, clean_cache_env, hits, misses
from conftest import SAMPLES, configure, copy_sources, ninja, run_python
from devloop import need
from targets import CYGWIN, LINUX, WINDOWS

from ninjagen import configure as configure_api
from ninjagen.cli import main
from ninjagen.compilers import customize_compiler, new_compiler
from ninjagen.probe import CACHE_NAME

FLAG = "-fno-working-directory"
#: samples/multi: a static library's source and two modules' sources
COMPILES = 3


def _variables(text: str) -> dict[str, str]:
    return dict(line.split(" = ", 1) for line in text.splitlines() if " = " in line and not line.startswith(" "))


def _compile_commands(project: Path) -> list[str]:
    return [e["command"] for e in json.loads((project / "compile_commands.json").read_text())]


def _unix_compiler(tmp_path: Path, launcher: list[str], target=LINUX, compiler=None, environ=None):
    cc = new_compiler(compiler=compiler, target=target)
    customize_compiler(cc, environ or {})
    cc.set_launcher(launcher)
    cc.build_dir = str(tmp_path / "build")
    cc.share_cache_across_folders()
    return cc


@pytest.fixture
def sccache_server(tmp_path, monkeypatch):
    """start(name, **SCCACHE_settings) -> a running SccacheServer; all of them stopped afterwards."""
    sccache = need("sccache")
    clean_cache_env(monkeypatch)
    started: list[SccacheServer] = []

    def start(name: str, **settings: str) -> SccacheServer:
        server = SccacheServer(sccache, tmp_path / name, **settings)
        started.append(server)
        server.use(monkeypatch)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def redis(tmp_path):
    server = RedisServer(need("redis-server"), tmp_path / "redis")
    yield server
    server.stop()


def _checkout(tmp_path: Path, machine: str) -> Path:
    return copy_sources(SAMPLES / "multi", tmp_path / machine / "proj")


def _build(project: Path, *configure_args: str) -> None:
    configure(project, "--launcher", "sccache", *configure_args)
    assert main(["build", "-C", str(project)]) == 0
    assert len(_compile_commands(project)) == COMPILES


# ------------------------------------------------------------------ the flag, and who gets it
def test_gcc_behind_sccache_gets_the_flag_and_without_it_nothing_changes(tmp_path):
    need("gcc")
    for launcher in (["sccache"], ["/opt/bin/sccache"]):
        cc = _unix_compiler(tmp_path, launcher)
        for key in ("compiler", "compiler_so", "compiler_cxx", "compiler_so_cxx"):
            assert cc.commands[key][-1] == FLAG, (launcher, key)
        assert all(FLAG not in cc.commands[key] for key in ("preprocessor", "linker_so", "linker_exe"))
    plain = _unix_compiler(tmp_path, []).commands
    for launcher in (["ccache"], ["distcc"], ["icecc"]):  # ccache drops gcc's folder line from its hash itself
        assert _unix_compiler(tmp_path, launcher).commands == plain
    assert not any(FLAG in words for words in plain.values())


def test_a_cache_inside_cc_gets_it_on_that_language_only(tmp_path):
    need("gcc")
    cc = _unix_compiler(tmp_path, [], environ={"CC": "sccache gcc"})
    assert cc.commands["compiler_so"][:2] == ["sccache", "gcc"] and cc.commands["compiler_so"][-1] == FLAG
    assert FLAG not in cc.commands["compiler_so_cxx"]  # g++ compiles without a cache


def test_clang_writes_no_folder_line_and_gets_no_flag(tmp_path):
    need("clang")
    need("clang++")
    cc = _unix_compiler(tmp_path, ["sccache"], environ={"CC": "clang", "CXX": "clang++"})
    assert not any(FLAG in words for words in cc.commands.values())


def test_the_answer_is_asked_once_and_kept_in_the_build_folder(sample, monkeypatch):
    need("sccache")
    clean_cache_env(monkeypatch)
    project = sample("multi")
    configure(project, "--launcher", "sccache")
    assert _variables((project / "build.ninja").read_text())["cc"].endswith(" " + FLAG)
    probes = project / "build" / CACHE_NAME
    answers = json.loads(probes.read_text())
    assert sorted(answers.values()) == [True, True]  # gcc and g++
    probes.write_text(json.dumps(dict.fromkeys(answers, False)))  # a cached answer is not asked again
    configure(project, "--launcher", "sccache")
    assert FLAG not in (project / "build.ninja").read_text()
    configure(project)  # no launcher: the compile commands as setuptools has them
    assert not any(FLAG in c for c in _compile_commands(project))


def test_mingw32_inherits_it_cygwin_asks_its_own_gcc_and_msvc_is_untouched(sample, tmp_path):
    need("x86_64-w64-mingw32-gcc")
    cc = _unix_compiler(tmp_path, ["sccache"], target=WINDOWS, compiler="mingw32")
    assert cc.commands["compiler_so"][0] == "x86_64-w64-mingw32-gcc" and cc.commands["compiler_so"][-1] == FLAG
    cc = _unix_compiler(tmp_path, ["sccache"], target=CYGWIN, compiler="cygwin")
    if subprocess.run(cc.commands["compiler_so"] + ["-E", "-x", "c", os.devnull], capture_output=True).returncode:
        assert not any(FLAG in words for words in cc.commands.values())  # its gcc is not here: nothing is guessed
    project = sample("hello")
    text = configure_api(str(project), target=WINDOWS, compiler="msvc", dry_run=True, launcher="sccache",
                         environ={"NINJAGEN_MSVC_DEPS_PREFIX": "Note: including file:"}).text
    assert "$launcher $cl" in text and FLAG not in text


def test_the_flag_leaves_the_object_of_a_compile_from_source_alone(tmp_path):
    gcc = need("gcc")
    source = tmp_path / "m.c"
    source.write_text('#include <stdio.h>\nint f(int x) { printf("%s\\n", __FILE__); return x + 1; }\n')
    objects = []
    for extra in ([], [FLAG]):
        obj = tmp_path / f"m{len(objects)}.o"
        # -gno-record-gcc-switches: the flags gcc records as DW_AT_producer would differ by the flag itself
        subprocess.run([gcc, "-g", "-gno-record-gcc-switches", "-O2", "-fPIC", *extra, "-c", "m.c", "-o", obj.name],
                       cwd=tmp_path, check=True)
        objects.append(obj.read_bytes())
    assert objects[0] == objects[1]
    assert str(tmp_path).encode() in objects[1]  # the working folder is still the object's DW_AT_comp_dir


# ------------------------------------------------------------------ real sccache
@pytest.mark.daemons
@pytest.mark.slow
def test_sccache_serves_the_rebuild_after_clean(sample, sccache_server):
    server = sccache_server("sccache")
    project = sample("multi")
    _build(project)
    first = server.stats()
    assert (misses(first), hits(first)) == (COMPILES, 0)
    assert main(["clean", "-C", str(project)]) == 0
    assert "CC " in ninja(project).stdout  # compiled again, by ninja's account...
    second = server.stats()
    assert (misses(second), hits(second)) == (COMPILES, COMPILES)  # ...and every compile served from the cache
    assert second["cache_location"] == f'Local disk: "{server.env["SCCACHE_DIR"]}"'
    assert run_python(project, "check_sample.py").strip() == "ok multi"


@pytest.mark.daemons
@pytest.mark.slow
def test_two_checkouts_share_one_local_sccache_cache(tmp_path, sccache_server):
    server = sccache_server("sccache")  # its local disk cache hashes gcc's preprocessed output with line markers
    a, b = _checkout(tmp_path, "machine-a"), _checkout(tmp_path, "machine-b")
    _build(a)
    _build(b)
    stats = server.stats()
    assert stats["use_preprocessor_cache_mode"] is True
    assert (misses(stats), hits(stats)) == (COMPILES, COMPILES)  # b compiled nothing
    assert run_python(b, "check_sample.py").strip() == "ok multi"

    # the control: without the flag, a third checkout misses every compile
    c = _checkout(tmp_path, "machine-c")
    configure(c, "--launcher", "sccache")
    build_ninja = c / "build.ninja"
    assert FLAG in build_ninja.read_text()
    build_ninja.write_text(build_ninja.read_text().replace(" " + FLAG, ""))
    ninja(c)
    stats = server.stats()
    assert (misses(stats), hits(stats)) == (2 * COMPILES, COMPILES)


@pytest.mark.daemons
@pytest.mark.slow
def test_redis_serves_a_second_machine_every_compile(tmp_path, sccache_server, redis, capfd):
    a, b = _checkout(tmp_path, "machine-a"), _checkout(tmp_path, "machine-b")
    server_a = sccache_server("sccache-a", SCCACHE_REDIS_ENDPOINT=redis.url)
    _build(a)
    stats = server_a.stats()
    assert stats["cache_location"].startswith(f"redis, name: {redis.url}")
    assert (misses(stats), hits(stats)) == (COMPILES, 0)
    assert redis.dbsize() >= COMPILES
    server_a.stop()

    server_b = sccache_server("sccache-b", SCCACHE_REDIS_ENDPOINT=redis.url)  # a fresh server, an empty folder
    capfd.readouterr()
    _build(b)
    summary = capfd.readouterr().out.rstrip().splitlines()[-1]
    assert summary.startswith("ninjagen: 3 compiles, 2 links, 1 archive in ")
    assert summary.endswith(f"; sccache: {COMPILES} hits, 0 misses")  # the build's summary line says so too
    stats = server_b.stats()
    assert (misses(stats), hits(stats)) == (0, COMPILES)
    assert not [p for p in Path(server_b.env["SCCACHE_DIR"]).rglob("*") if p.is_file()]  # Redis is the only storage
    assert run_python(b, "check_sample.py").strip() == "ok multi"
    assert os.path.realpath(b) != os.path.realpath(a)


@pytest.mark.daemons
@pytest.mark.slow
def test_a_local_cache_in_front_of_redis_shares_too(tmp_path, sccache_server, redis):
    """sccache's two-level cache (local disk, then Redis): the local level hashes line markers, Redis serves b."""
    chain = {"SCCACHE_REDIS_ENDPOINT": redis.url, "SCCACHE_MULTILEVEL_CHAIN": "disk,redis"}
    a, b = _checkout(tmp_path, "machine-a"), _checkout(tmp_path, "machine-b")
    server_a = sccache_server("sccache-a", **chain)
    _build(a)
    assert misses(server_a.stats()) == COMPILES
    server_a.stop()

    server_b = sccache_server("sccache-b", **chain)
    _build(b)
    stats = server_b.stats()
    assert (misses(stats), hits(stats)) == (0, COMPILES)
    levels = {level["name"]: level for level in stats["stats"]["multi_level"]}
    assert levels["L0 (disk)"]["hits"] == 0 and levels["L1 (redis)"]["hits"] == COMPILES
    assert run_python(b, "check_sample.py").strip() == "ok multi"


# ------------------------------------------------------------------ ccache, for comparison
def _ccache_alone(monkeypatch) -> None:
    """ccache with none of the user's settings that change what it hashes or stores."""
    need("ccache")
    clean_cache_env(monkeypatch)
    for name in ("CCACHE_DISABLE", "CCACHE_RECACHE", "CCACHE_READONLY", "CCACHE_NOHASHDIR", "CCACHE_HASHDIR",
                 "CCACHE_BASEDIR", "CCACHE_CONFIGPATH", "CCACHE_REMOTE_STORAGE", "CCACHE_REMOTE_ONLY"):
        monkeypatch.delenv(name, raising=False)


def _ccache_stats() -> dict[str, int]:
    out = subprocess.run(["ccache", "--print-stats"], capture_output=True, text=True, check=True).stdout
    return {k: int(v) for k, v in (line.split("\t") for line in out.splitlines())}


@pytest.mark.slow
def test_ccache_shares_between_checkouts_with_hash_dir_off_or_map_prefix(tmp_path, monkeypatch):
    """ccache hashes the working folder of a -g compile (hash_dir) unless told not to or the folder is mapped."""
    _ccache_alone(monkeypatch)
    counts = {}
    for case, setting, args in (("default", {}, ()), ("no-hash-dir", {"CCACHE_NOHASHDIR": "1"}, ()),
                                ("map-prefix", {}, ("--map-prefix",))):
        monkeypatch.setenv("CCACHE_DIR", str(tmp_path / case / "ccache-dir"))
        for name, value in setting.items():
            monkeypatch.setenv(name, value)
        for machine in ("machine-a", "machine-b"):
            project = copy_sources(SAMPLES / "multi", tmp_path / case / machine / "proj")
            configure(project, "--launcher", "ccache", *args)
            assert main(["build", "-C", str(project)]) == 0
        stats = _ccache_stats()
        counts[case] = (stats["cache_miss"], stats["direct_cache_hit"] + stats["preprocessed_cache_hit"])
        for name in setting:
            monkeypatch.delenv(name)
    assert counts == {"default": (2 * COMPILES, 0), "no-hash-dir": (COMPILES, COMPILES),
                      "map-prefix": (COMPILES, COMPILES)}


@pytest.mark.daemons
@pytest.mark.slow
def test_ccache_shares_through_redis_with_hash_dir_off(tmp_path, monkeypatch, redis):
    """ccache's own remote storage: two machines, two local cache folders, one Redis."""
    _ccache_alone(monkeypatch)
    monkeypatch.setenv("CCACHE_REMOTE_STORAGE", redis.url)
    monkeypatch.setenv("CCACHE_NOHASHDIR", "1")
    counts = []
    for machine in ("machine-a", "machine-b"):
        monkeypatch.setenv("CCACHE_DIR", str(tmp_path / machine / "ccache-dir"))
        project = _checkout(tmp_path, machine)
        configure(project, "--launcher", "ccache")
        assert main(["build", "-C", str(project)]) == 0
        stats = _ccache_stats()
        counts.append((stats["cache_miss"], stats["remote_storage_hit"]))
    assert counts == [(COMPILES, 0), (0, COMPILES)]
    assert run_python(project, "check_sample.py").strip() == "ok multi"
