"""Compiler launchers (ccache, distcc, ...): in front of compiles, never of links; proven with the real tools.

ccache: a rebuild after `ninjagen clean` is served from a private cache.  distcc: two
distccd daemons on 127.0.0.1 (loopback only) compile a 13-source module between them,
which their logs prove, with local fallback switched off.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import pytest

from cmodule import c_module
from conftest import configure, ninja, run_python, write
from devloop import need
from targets import WINDOWS

from ninjagen import Target
from ninjagen import configure as configure_api
from ninjagen.cli import main
from ninjagen.compilers import customize_compiler, new_compiler
from ninjagen.errors import ConfigError


def _variables(text: str) -> dict[str, str]:
    return dict(m.groups() for m in re.finditer(r"^([a-z_]+) = (.*)$", text, re.M))


def _rule_commands(text: str) -> dict[str, str]:
    return dict(m.groups() for m in re.finditer(r"^rule (\S+)\n  command = (.*)$", text, re.M))


def _ccache_stats() -> dict[str, int]:
    out = subprocess.run(["ccache", "--print-stats"], capture_output=True, text=True, check=True).stdout
    return {k: int(v) for k, v in (line.split("\t") for line in out.splitlines())}


def _hits(stats: dict[str, int]) -> int:
    return stats.get("direct_cache_hit", 0) + stats.get("preprocessed_cache_hit", 0)


@pytest.fixture
def ccache(tmp_path, monkeypatch):
    need("ccache")
    monkeypatch.setenv("CCACHE_DIR", str(tmp_path / "ccache-dir"))  # a private, empty cache
    for name in ("CCACHE_DISABLE", "CCACHE_RECACHE", "CCACHE_READONLY", "NINJAGEN_LAUNCHER", "CC", "CXX",
                 "LDSHARED", "LDCXXSHARED"):
        monkeypatch.delenv(name, raising=False)
    subprocess.run(["ccache", "--zero-stats"], check=True, capture_output=True)


# ------------------------------------------------------------------ generation
def test_the_launcher_prefixes_compiles_and_no_link(sample):
    need("ccache")
    project = sample("cxx")  # a C and a C++ compile, a C++ link
    configure(project, "--launcher", "ccache")
    text = (project / "build.ninja").read_text()
    variables, rules = _variables(text), _rule_commands(text)
    assert variables["launcher"] == "ccache"
    assert rules["cc"].startswith("$launcher $cc ") and rules["cxx"].startswith("$launcher $cxx ")
    for name in ("link_so", "link_so_cxx", "link_exe", "link_exe_cxx", "ar", "cpp"):
        assert "$launcher" not in rules[name], name
    commands = [e["command"] for e in json.loads((project / "compile_commands.json").read_text())]
    assert len(commands) == 2 and all(c.startswith("ccache ") for c in commands)
    assert "--launcher ccache" in text  # regeneration keeps it


def test_without_a_launcher_the_rules_are_unchanged(sample):
    project = sample("hello")
    configure(project)
    text = (project / "build.ninja").read_text()
    assert "launcher" not in text
    assert _rule_commands(text)["cc"].startswith("$cc -MMD ")


def test_option_then_environment_then_pyproject(sample):
    need("ccache")
    need("distcc")
    project = sample("hello")
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace("[tool.ninjagen]\n", '[tool.ninjagen]\nlauncher = "distcc"\n'))

    def launcher(**kwargs) -> str:
        return _variables(configure_api(str(project), dry_run=True, **kwargs).text).get("launcher", "")

    assert launcher(environ={}) == "distcc"
    assert launcher(environ={"NINJAGEN_LAUNCHER": "ccache"}) == "ccache"
    assert launcher(environ={"NINJAGEN_LAUNCHER": "ccache"}, launcher="distcc") == "distcc"
    assert launcher(environ={"NINJAGEN_LAUNCHER": "none"}) == ""
    assert launcher(environ={}, launcher="none") == ""


def test_a_changed_launcher_variable_reconfigures_on_build(sample, monkeypatch, capfd):
    need("ccache")
    monkeypatch.delenv("NINJAGEN_LAUNCHER", raising=False)
    project = sample("hello")
    assert main(["build", "-C", str(project)]) == 0
    monkeypatch.setenv("NINJAGEN_LAUNCHER", "ccache")
    monkeypatch.setenv("CCACHE_DIR", str(project / "ccache-dir"))
    capfd.readouterr()
    assert main(["build", "-C", str(project)]) == 0
    assert "the compiler environment changed; reconfiguring" in capfd.readouterr().err
    assert _variables((project / "build.ninja").read_text())["launcher"] == "ccache"


def test_a_missing_launcher_is_one_line(sample, capfd):
    project = sample("hello")
    assert main(["configure", "-C", str(project), "--launcher", "no-such-launcher-xyz"]) == 1
    err = capfd.readouterr().err
    assert err == ("ninjagen: error: --launcher: launcher 'no-such-launcher-xyz' was not found on PATH "
                   "(install it; known launchers: ccache, sccache, distcc, icecc, buildcache)\n")


def test_msvc_compiles_take_a_launcher_and_bcpp_says_it_cannot(sample):
    project = sample("hello")
    text = configure_api(str(project), target=WINDOWS, compiler="msvc", dry_run=True, launcher="sccache",
                         environ={"NINJAGEN_MSVC_DEPS_PREFIX": "Note: including file:"}).text
    rules = _rule_commands(text)
    assert _variables(text)["launcher"] == "sccache"
    assert rules["cc"].startswith("$launcher $cl /showIncludes ") and "$launcher" not in rules["link_dll"]
    with pytest.raises(ConfigError, match="compiler type 'bcpp' does not support a compiler launcher"):
        configure_api(str(project), target=WINDOWS, compiler="bcpp", dry_run=True, launcher="sccache", environ={})


@pytest.mark.parametrize("environ, linkers", [
    # a Python built with CC="ccache gcc": its LDSHARED starts with ccache too
    ({}, {"linker_so": ["gcc", "-shared"], "linker_so_cxx": ["g++", "-shared"], "linker_exe": ["gcc"]}),
    # setuptools #4748: the environment's CXX replaces the driver, launcher or not
    ({"CXX": "clang++"}, {"linker_so": ["gcc", "-shared"], "linker_so_cxx": ["clang++", "-shared"]}),
    ({"CC": "ccache clang", "CXX": "sccache clang++"},
     {"linker_so": ["clang", "-shared"], "linker_so_cxx": ["clang++", "-shared"], "linker_exe_cxx": ["clang++"]}),
    ({"LDSHARED": "distcc gcc -shared -Wl,-O1"}, {"linker_so": ["gcc", "-shared", "-Wl,-O1"]}),
])
def test_a_launcher_inside_cc_stays_on_compiles_and_leaves_links(environ, linkers):
    target = replace(Target.current(), config={
        "CC": "ccache gcc", "CXX": "ccache g++", "CFLAGS": "-O2", "CCSHARED": "-fPIC",
        "LDSHARED": "ccache gcc -shared", "LDCXXSHARED": "ccache g++ -shared"})
    cc = new_compiler(target=target)
    customize_compiler(cc, environ)
    for key, words in linkers.items():
        assert cc.commands[key] == words, key
    assert cc.commands["compiler_so"][0] == environ.get("CC", "ccache gcc").split()[0]


# ------------------------------------------------------------------ real ccache
def test_ccache_serves_the_rebuild_after_clean(sample, ccache):
    project = sample("cxx")
    configure(project, "--launcher", "ccache")
    ninja(project)
    first = _ccache_stats()
    assert first.get("cache_miss", 0) == 2 and _hits(first) == 0
    assert main(["clean", "-C", str(project)]) == 0
    assert "CXX " in ninja(project).stdout  # compiled again, by ninja's account...
    second = _ccache_stats()
    assert _hits(second) == _hits(first) + 2  # ...but served from the cache
    assert second.get("called_for_link", 0) == 0  # no link went through ccache
    assert run_python(project, "check_sample.py").strip() == "ok cxx"


def test_cc_with_ccache_in_it_caches_compiles_and_links_without_it(sample, ccache, monkeypatch):
    project = sample("cxx")
    monkeypatch.setenv("CC", "ccache gcc")
    monkeypatch.setenv("CXX", "ccache g++")
    configure(project)
    variables = _variables((project / "build.ninja").read_text())
    assert variables["cc"].startswith("ccache gcc ") and variables["cxx"].startswith("ccache g++ ")
    for name in ("ldshared", "ldcxxshared", "ld", "ldcxx"):
        assert not variables[name].startswith("ccache"), (name, variables[name])
    ninja(project)
    assert main(["clean", "-C", str(project)]) == 0
    ninja(project)
    stats = _ccache_stats()
    assert _hits(stats) == 2 and stats.get("called_for_link", 0) == 0
    assert run_python(project, "check_sample.py").strip() == "ok cxx"


# ------------------------------------------------------------------ real distcc
PARTS = 12


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_port(port: int, proc: subprocess.Popen, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"distccd on port {port} exited with {proc.returncode}: {proc.stderr.read()}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise AssertionError(f"distccd did not listen on 127.0.0.1:{port} within {timeout} s")


@pytest.fixture
def distcc_daemons():
    """Two distccd daemons on 127.0.0.1 (loopback only), each with its log; stopped by PID afterwards."""
    distccd = need("distccd")
    need("distcc")
    folder = Path(tempfile.mkdtemp(prefix="ninjagen-distccd-"))
    folder.chmod(0o755)  # run as root, distccd drops to its own user, which writes the logs
    daemons: list[tuple[subprocess.Popen, int, Path]] = []
    try:
        for i in range(2):
            port, log = _free_port(), folder / f"distccd-{i}.log"
            log.touch()
            log.chmod(0o666)
            proc = subprocess.Popen(
                [distccd, "--daemon", "--no-detach", "--listen", "127.0.0.1", "--allow", "127.0.0.1",
                 "--port", str(port), "--jobs", "4", "--log-file", str(log), "--log-level", "info"],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                start_new_session=True)  # its own process group, whose id is its PID
            daemons.append((proc, port, log))
            _wait_for_port(port, proc)
        yield daemons
    finally:
        for proc, _, _ in daemons:
            if proc.poll() is None:
                proc.terminate()  # distccd's parent stops its preforked children
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(timeout=10)
            try:
                os.killpg(proc.pid, signal.SIGKILL)  # any child left in the group started with it
            except (ProcessLookupError, PermissionError):
                pass
            proc.stderr.close()
        shutil.rmtree(folder, ignore_errors=True)


def _distributed_project(tmp_path: Path) -> Path:
    project = tmp_path / "spread"
    calls = []
    for i in range(PARTS):
        # enough code that a compile takes a moment, so that compiles overlap and need both servers
        body = "\n".join(f"static int g{i}_{j}(int x) {{ return x * {j + 3} + (x >> {j % 7}) - {i}; }}"
                         for j in range(300))
        chain = " + ".join(f"g{i}_{j}(x)" for j in range(0, 300, 30))
        write(project / f"part{i:02d}.c", f"{body}\nint part{i}(int x) {{ return {chain}; }}\n")
        calls.append(f"part{i}(x)")
    decls = "".join(f"int part{i}(int);\n" for i in range(PARTS))
    write(project / "spread.c", c_module("spread", prelude=decls,
                                         long_functions={"total": f"PyLong_FromLong({' + '.join(calls)})"}))
    sources = ", ".join(f'"part{i:02d}.c"' for i in range(PARTS))
    write(project / "pyproject.toml", f"""[tool.ninjagen]
launcher = "distcc"
ext-modules = [{{ name = "spread", sources = ["spread.c", {sources}] }}]
""")
    return project


def _expected_total(x: int) -> int:
    return sum(sum(x * (j + 3) + (x >> (j % 7)) - i for j in range(0, 300, 30)) for i in range(PARTS))


@pytest.mark.daemons
def test_distcc_spreads_compiles_over_two_loopback_daemons(tmp_path, distcc_daemons, monkeypatch):
    project = _distributed_project(tmp_path)
    hosts = " ".join(f"127.0.0.1:{port}/4" for _, port, _ in distcc_daemons)
    monkeypatch.setenv("DISTCC_HOSTS", hosts)
    monkeypatch.setenv("DISTCC_FALLBACK", "0")  # a compile that cannot be sent fails: no local stand-in
    monkeypatch.setenv("DISTCC_DIR", str(tmp_path / "distcc-client"))
    (tmp_path / "distcc-client").mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp_path / "distcc-client"))  # the client's scratch files, not /tmp's
    monkeypatch.delenv("NINJAGEN_LAUNCHER", raising=False)
    configure(project)
    assert _variables((project / "build.ninja").read_text())["launcher"] == "distcc"
    jobs = max(8, (os.cpu_count() or 1) + 2)  # more jobs than local cores
    assert main(["build", "-C", str(project), "-j", str(jobs)]) == 0
    assert run_python(project, "import spread; print(spread.total(5))").strip() == str(_expected_total(5))

    compiled = []
    for _, port, log in distcc_daemons:
        done = re.findall(r"COMPILE_OK .* (\S+\.c)$", log.read_text(), re.M)
        assert done, f"distccd on port {port} compiled nothing:\n{log.read_text()}"
        compiled.append(done)
    everything = sorted(compiled[0] + compiled[1])
    assert everything == sorted(["spread.c"] + [f"part{i:02d}.c" for i in range(PARTS)])  # each once, no link


def test_distcc_without_a_server_fails_rather_than_compiling_locally(tmp_path, monkeypatch):
    need("distcc")
    project = _distributed_project(tmp_path)
    monkeypatch.setenv("DISTCC_HOSTS", f"127.0.0.1:{_free_port()}/4")  # nobody listens there
    monkeypatch.setenv("DISTCC_FALLBACK", "0")
    monkeypatch.setenv("DISTCC_DIR", str(tmp_path / "distcc-client"))
    (tmp_path / "distcc-client").mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp_path / "distcc-client"))  # the client's scratch files, not /tmp's
    configure(project)
    proc = ninja(project, "spread", check=False)
    assert proc.returncode != 0
    assert "fallbacks are disabled" in proc.stdout
