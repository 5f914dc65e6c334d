"""Pools and jobs: `-j` reaches ninja, heavy extensions compile `heavy-jobs` at a time, links `link-jobs`.

Concurrency is measured, not read off build.ninja: a launcher script logs when each
compile starts and ends (and sleeps a little, so that commands that may overlap do).
"""

from __future__ import annotations

import re

import pytest

from cmodule import c_module
from conftest import run_python, write
from devloop import intervals, max_overlap, timing_wrapper

from ninjagen.cli import main


def _project(tmp_path, modules: dict[str, bool], parts: int = 3, tool: str = "") -> object:
    """One extension per entry (name -> heavy?), each of a module source and *parts* more."""
    project = tmp_path / "proj"
    tables = []
    for name, heavy in modules.items():
        sources = [f"{name}.c"]
        for i in range(parts):
            write(project / f"{name}_{i}.c", f"int {name}_{i}(void) {{ return {i + 1}; }}\n")
            sources.append(f"{name}_{i}.c")
        decls = "".join(f"int {name}_{i}(void);\n" for i in range(parts))
        calls = " + ".join(f"{name}_{i}()" for i in range(parts)) or "0"
        write(project / f"{name}.c", c_module(name, {"total": f"PyLong_FromLong({calls})"}, prelude=decls))
        quoted = ", ".join(f'"{s}"' for s in sources)
        tables.append(f'    {{ name = "{name}", sources = [{quoted}], heavy = {str(heavy).lower()} }},\n')
    write(project / "pyproject.toml", f"[tool.ninjagen]\n{tool}ext-modules = [\n{''.join(tables)}]\n")
    return project


def _build(project, tmp_path, *args: str) -> list:
    log = tmp_path / "timing.log"
    log.write_text("")
    launcher = timing_wrapper(tmp_path, log, sleep=0.6)
    assert main(["configure", "-C", str(project), "--launcher", str(launcher)]) == 0
    assert main(["build", "-C", str(project), *args]) == 0
    return intervals(log)


@pytest.mark.slow
def test_heavy_compiles_run_one_at_a_time_while_others_run_together(tmp_path, monkeypatch):
    monkeypatch.delenv("NINJAGEN_LAUNCHER", raising=False)
    project = _project(tmp_path, {"big": True, "small": False})
    spans = _build(project, tmp_path, "-j", "4")
    heavy = [s for s in spans if "/big" in s[2]]
    light = [s for s in spans if "/small" in s[2]]
    assert len(heavy) == 4 and len(light) == 4
    assert max_overlap(heavy) == 1
    assert max_overlap(light) >= 2  # the same -j lets the others overlap: the pool is what held the heavy ones
    assert max_overlap(spans) >= 2
    assert run_python(project, "import big, small; print(big.total() + small.total())").strip() == "12"
    text = (project / "build.ninja").read_text()
    assert "pool heavy_pool\n  depth = 1\n" in text
    assert len(re.findall(r"^build build/\S*big\S*\.o: cc .*\n  pool = heavy_pool$", text, re.M)) == 4
    assert not re.search(r"^build \S+small\S*\.o: cc .*\n  pool = heavy_pool$", text, re.M)


def test_heavy_jobs_sets_the_depth(tmp_path, monkeypatch):
    monkeypatch.delenv("NINJAGEN_LAUNCHER", raising=False)
    project = _project(tmp_path, {"big": True}, parts=5, tool="heavy-jobs = 2\n")
    spans = _build(project, tmp_path, "-j", "4")
    assert len(spans) == 6 and max_overlap(spans) == 2


def test_no_heavy_extension_no_pool(tmp_path):
    project = _project(tmp_path, {"small": False})
    assert main(["configure", "-C", str(project)]) == 0
    assert "heavy_pool" not in (project / "build.ninja").read_text()


@pytest.mark.slow
@pytest.mark.parametrize("jobs, lowest", [(1, 1), (2, 2)])
def test_build_passes_jobs_to_ninja(tmp_path, monkeypatch, jobs, lowest):
    """-j 2 is below ninja's own default on two cores or more (3, or cores + 2): its ceiling shows that it arrived."""
    monkeypatch.delenv("NINJAGEN_LAUNCHER", raising=False)
    project = _project(tmp_path, {"small": False, "other": False})
    spans = _build(project, tmp_path, "-j", str(jobs))
    assert len(spans) == 8 and lowest <= max_overlap(spans) <= jobs


@pytest.mark.slow
def test_links_run_link_jobs_at_a_time(tmp_path, monkeypatch):
    monkeypatch.delenv("NINJAGEN_LAUNCHER", raising=False)
    log = tmp_path / "links.log"
    linker = timing_wrapper(tmp_path, log, sleep=0.6)
    monkeypatch.setenv("LDSHARED", f"{linker} gcc -shared")
    for depth, lowest in (("1", 1), ("3", 2)):
        project = _project(tmp_path / depth, {"a": False, "b": False, "c": False}, parts=0,
                           tool=f"link-jobs = {depth}\n")
        log.write_text("")
        assert main(["build", "-C", str(project), "-j", "8"]) == 0
        links = intervals(log, ".so")
        assert len(links) == 3 and lowest <= max_overlap(links) <= int(depth)


@pytest.mark.parametrize("table, message", [
    ('heavy-jobs = 0\next-modules = [{ name = "m", sources = ["m.c"] }]',
     "pyproject.toml [tool.ninjagen] heavy-jobs must be a whole number of at least 1, got 0"),
    ('ext-modules = [{ name = "m", sources = ["m.c"], heavy = "yes" }]',
     "extension 'm': heavy must be true or false, got 'yes'"),
    ('launcher = 3\next-modules = [{ name = "m", sources = ["m.c"] }]',
     "pyproject.toml [tool.ninjagen] launcher must be a string, got 3"),
])
def test_bad_settings_are_one_line(tmp_path, capfd, table, message):
    project = tmp_path / "bad"
    write(project / "m.c", "int x;\n")
    write(project / "pyproject.toml", f"[tool.ninjagen]\n{table}\n")
    assert main(["configure", "-C", str(project)]) == 1
    assert capfd.readouterr().err == f"ninjagen: error: {message}\n"
