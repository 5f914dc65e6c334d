"""compile_commands.json, checked by a real language server: clangd finds Python.h and reports no errors.

`clangd --check=FILE` (Debian's clangd, installed by tests/devtools/setup.sh) does
what an editor's clangd does on opening FILE: it finds compile_commands.json in
the file's folder or above, parses the file with that command, and prints
"All checks completed, N errors".
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from conftest import configure, ninja, write
from devloop import need

from ninjagen.runner import ninja_binary


def clangd_check(project: Path, source: str) -> tuple[int, str]:
    """(errors, clangd's log) for *source*, opened as an editor in *project* would open it."""
    clangd = need("clangd")
    proc = subprocess.run([clangd, f"--check={project / source}"], cwd=project, capture_output=True, text=True,
                          timeout=300)
    log = proc.stdout + proc.stderr
    found = re.search(r"All checks completed, (\d+) errors", log)
    assert found, log
    return int(found.group(1)), log


@pytest.mark.parametrize("name, source", [
    ("hello", "hello.c"),
    ("multi", "src/shapes/_area.c"),    # include-dirs, macros with string values, a src/ layout
    ("cxx", "cxxdemo.cpp"),            # C++
    ("shared", "core/counter_core.c"),  # a shared library's own source
])
def test_clangd_checks_a_sample_cleanly(sample, name, source):
    project = sample(name)
    configure(project)
    errors, log = clangd_check(project, source)
    assert f"Loaded compilation database from {project / 'compile_commands.json'}" in log
    assert "Compile command from CDB is:" in log  # not clangd's fallback guess
    assert errors == 0, log
    assert "'Python.h' file not found" not in log


def test_without_the_database_clangd_does_not_find_python_h(sample):
    """The control: the clean check above is the database's doing."""
    project = sample("hello")
    errors, log = clangd_check(project, "hello.c")
    assert "'Python.h' file not found" in log and errors > 0


def test_clangd_sees_through_a_ccache_launcher(sample, monkeypatch):
    need("ccache")
    monkeypatch.delenv("NINJAGEN_LAUNCHER", raising=False)
    project = sample("multi")
    configure(project, "--launcher", "ccache")
    entries = json.loads((project / "compile_commands.json").read_text())
    assert all(e["command"].startswith("ccache ") for e in entries)
    errors, log = clangd_check(project, "src/shapes/_perimeter.c")
    assert errors == 0, log


def test_entries_are_absolute_and_what_ninja_runs(sample):
    project = sample("multi")
    configure(project)
    entries = json.loads((project / "compile_commands.json").read_text())
    assert {Path(e["file"]).relative_to(project).as_posix() for e in entries} == {
        "lib/geom.c", "src/shapes/_area.c", "src/shapes/_perimeter.c"}
    for e in entries:
        assert Path(e["directory"]) == project and Path(e["file"]).is_absolute() and Path(e["output"]).is_absolute()
    by_ninja = json.loads(subprocess.run([ninja_binary(), "-t", "compdb", "cc", "cxx"], cwd=project,
                                         capture_output=True, text=True, check=True).stdout)
    assert sorted(e["command"] for e in entries) == sorted(e["command"] for e in by_ninja)


def test_the_database_follows_pyproject_through_ninja_alone(sample):
    """An editor's database stays right when pyproject.toml changes and the user only runs `ninja`."""
    project = sample("hello")
    configure(project)
    write(project / "extra" / "answer.h", "#define ANSWER 42\n")
    source = project / "hello.c"
    source.write_text(source.read_text().replace("#include <limits.h>", "#include <limits.h>\n#include \"answer.h\""))
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('sources = ["hello.c"]',
                                                       'sources = ["hello.c"], include-dirs = ["extra"]'))
    assert "Regenerating build.ninja" in ninja(project).stdout
    assert "-Iextra" in (project / "compile_commands.json").read_text()
    errors, log = clangd_check(project, "hello.c")
    assert errors == 0, log
