"""`ninjagen develop`: an editable install whose first import in a process runs ninja.

Each test makes a bare virtual environment, runs `python -m ninjagen develop` in it
(ninjagen borrowed through PYTHONPATH for that one command), and then imports the
project there, in fresh processes where ninjagen is not importable at all: the
loader must stand alone.  Imports run from a folder outside the project, so that
only the loader can find the package.
"""

from __future__ import annotations

import ast
import os
import re
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import write
from devloop import Venv, intervals, timing_wrapper

from ninjagen import Target
from ninjagen import configure as configure_api
from ninjagen.runner import ninja_binary

pytestmark = pytest.mark.slow  # every test creates a venv for `ninjagen develop`

EDITABLE = Path(__file__).resolve().parent.parent / "ninjagen" / "_editable.py"


@pytest.fixture
def venv(tmp_path) -> Venv:
    return Venv(tmp_path / "venv")


@pytest.fixture
def elsewhere(tmp_path) -> Path:
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    return folder


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new))


def _installed_files(venv: Venv) -> list[str]:
    return sorted(n for n in os.listdir(venv.site) if n.startswith("_ninjagen_editable_"))


def test_edit_then_import_rebuilds_with_progress_and_a_noop_is_silent(sample, venv, elsewhere):
    project = sample("hello")
    out = venv.ninjagen("develop", "-C", str(project)).stdout
    assert "installed hello in editable mode" in out
    assert (project / "build.ninja").is_file()  # develop configured the project first
    assert _installed_files(venv) == ["_ninjagen_editable_ninjagen_sample_hello.pth",
                                      "_ninjagen_editable_ninjagen_sample_hello.py"]

    code = "import sys, hello; print(hello.greet('x')); print(hello.__file__); print('ninjagen' in sys.modules)"
    first = venv.run(code, elsewhere)
    assert first.returncode == 0, first.stderr
    greeting, where, ninjagen_loaded = first.stdout.splitlines()
    assert greeting == "Hello, x!"
    assert Path(where).parent == project and ninjagen_loaded == "False"
    assert re.search(r"^\[1/2\] CC build/hello\.[0-9a-f]{6}\.o$", first.stderr, re.M), first.stderr  # ninja's progress, on stderr
    assert "LINK hello." in first.stderr

    unchanged = venv.run(code, elsewhere)
    assert unchanged.returncode == 0 and unchanged.stderr == ""  # a ninja no-op prints nothing

    _edit(project / "hello.c", '"Hello, %s!"', '"Howdy, %s!"')
    edited = venv.run(code, elsewhere)
    assert edited.returncode == 0, edited.stderr
    assert edited.stdout.splitlines()[0] == "Howdy, x!"
    assert "CC " in edited.stderr and "LINK " in edited.stderr


def test_a_src_layout_package_and_its_static_library(sample, venv, elsewhere):
    project = sample("multi")  # package-dir = {"" = "src"}: shapes lives in src/shapes
    venv.ninjagen("develop", "-C", str(project))
    code = "import shapes; print(shapes.geom_version(), shapes.__file__, shapes._area.__file__)"
    first = venv.run(code, elsewhere)
    assert first.returncode == 0, first.stderr
    version, init, area = first.stdout.split()
    assert version == "3"
    assert Path(init) == project / "src" / "shapes" / "__init__.py"
    assert Path(area).parent == project / "src" / "shapes"

    _edit(project / "lib" / "geom.c", "return GEOM_VERSION;", "return GEOM_VERSION + 100;")
    edited = venv.run(code, elsewhere)
    assert edited.returncode == 0, edited.stderr
    assert edited.stdout.split()[0] == "103"
    assert "AR " in edited.stderr and edited.stderr.count("LINK ") == 2


def test_a_failed_rebuild_raises_import_error_with_the_compiler_error_once_per_process(sample, venv, elsewhere):
    project = sample("hello")
    venv.ninjagen("develop", "-C", str(project))
    _edit(project / "hello.c", '"Hello, %s!", name);', '"Hello, %s!", name) oops;')
    code = """
import sys
for attempt in range(2):
    try:
        import hello
    except ImportError as exc:
        print("ImportError", attempt, repr(str(exc)))
"""
    proc = venv.run(code, elsewhere)
    assert proc.returncode == 0, proc.stderr
    first, second = proc.stdout.splitlines()
    assert first.startswith("ImportError 0 ") and second.startswith("ImportError 1 ")
    message = ast.literal_eval(first.split(" ", 2)[2])
    assert message.startswith(f"ninjagen: rebuilding hello failed (ninja in {project} exited with 1):\n")
    assert "error: expected" in message and "oops" in message  # gcc's own words
    assert first.split(" ", 2)[2] == second.split(" ", 2)[2]  # the same failure, not a second build
    assert proc.stderr.count("CC ") == 1


def test_no_rebuild_variable_imports_what_is_there(sample, venv, elsewhere):
    project = sample("hello")
    venv.ninjagen("develop", "-C", str(project))
    code = "import hello; print(hello.greet('x'))"
    assert venv.run(code, elsewhere).stdout.strip() == "Hello, x!"
    _edit(project / "hello.c", '"Hello, %s!"', '"Howdy, %s!"')
    off = venv.run(code, elsewhere, NINJAGEN_NO_REBUILD="1")
    assert off.stdout.strip() == "Hello, x!" and off.stderr == ""
    on = venv.run(code, elsewhere, NINJAGEN_NO_REBUILD="0")
    assert on.stdout.strip() == "Howdy, x!" and "CC " in on.stderr


def test_a_build_step_that_imports_the_package_does_not_rebuild_again(sample, venv, elsewhere, tmp_path):
    """Without the guard, the nested import would wait for the lock that its own build holds: a deadlock."""
    project = sample("hello")
    log = tmp_path / "nested.log"
    launcher = write(tmp_path / "importing-launcher.sh", f"""#!/bin/sh
echo "building=$NINJAGEN_EDITABLE_BUILDING" >> "{log}"
"{venv.python}" -c "import hello; print(hello.greet('nested'))" >> "{log}" 2>&1
exec "$@"
""")
    launcher.chmod(0o755)
    venv.ninjagen("configure", "-C", str(project), "--launcher", str(launcher))
    venv.ninjagen("develop", "-C", str(project))
    proc = venv.run("import hello; print(hello.greet('x'))", elsewhere, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "Hello, x!"
    nested = log.read_text().splitlines()
    assert nested[0] == "building=1"
    # the first build: no module yet, and the nested import fails instead of building it
    assert "ModuleNotFoundError: No module named 'hello'" in nested[-1]

    _edit(project / "hello.c", '"Hello, %s!"', '"Howdy, %s!"')
    log.write_text("")
    proc = venv.run("import hello; print(hello.greet('x'))", elsewhere, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "Howdy, x!"
    assert log.read_text().splitlines() == ["building=1", "Hello, nested!"]  # the old module, no rebuild


def test_two_processes_importing_at_once_build_once(sample, venv, elsewhere, tmp_path):
    project = sample("hello")
    log = tmp_path / "timing.log"
    launcher = timing_wrapper(tmp_path, log, sleep=1.0)
    venv.ninjagen("configure", "-C", str(project), "--launcher", str(launcher))
    venv.ninjagen("develop", "-C", str(project))
    code = "import hello; print(hello.greet('x'))"
    assert venv.run(code, elsewhere).returncode == 0
    _edit(project / "hello.c", '"Hello, %s!"', '"Howdy, %s!"')
    log.write_text("")
    procs = [venv.popen(code, elsewhere) for _ in range(2)]
    try:
        results = [p.communicate(timeout=120) for p in procs]
    finally:
        for p in procs:
            p.kill()
    assert [p.returncode for p in procs] == [0, 0], results
    assert [out.strip() for out, _ in results] == ["Howdy, x!", "Howdy, x!"]
    assert len(intervals(log)) == 1  # one compile: the second ninja waited for the lock, then had nothing to do
    assert sorted(bool(err) for _, err in results) == [False, True]  # one printed the build, the other nothing
    assert (project / "build" / "ninjagen-editable.lock").is_file()


def test_uninstall_removes_the_loader(sample, venv, elsewhere):
    project = sample("hello")
    venv.ninjagen("develop", "-C", str(project))
    assert venv.run("import hello", elsewhere).returncode == 0
    out = venv.ninjagen("develop", "--uninstall", "-C", str(project)).stdout
    assert out.startswith("ninjagen: removed the editable install of")
    assert _installed_files(venv) == []
    assert not list(Path(venv.site).glob("__pycache__/_ninjagen_editable_*"))
    gone = venv.run("import hello", elsewhere)
    assert "ModuleNotFoundError: No module named 'hello'" in gone.stderr
    again = venv.ninjagen("develop", "--uninstall", "-C", str(project)).stdout
    assert "is not installed in" in again


def test_startup_loads_only_the_small_standalone_finder(sample, venv, elsewhere):
    project = sample("hello")
    venv.ninjagen("develop", "-C", str(project))
    code = "import sys; print(sorted(m for m in sys.modules if 'ninjagen' in m or m in ('subprocess', 'importlib.machinery')))"
    proc = venv.run(code, elsewhere)
    assert proc.stdout.strip() == "['_ninjagen_editable_ninjagen_sample_hello']"
    assert list(Path(venv.site).glob("__pycache__/_ninjagen_editable_ninjagen_sample_hello.*.pyc"))  # no compile at start-up
    if os.name == "posix":  # the no-op costs ninja's run, not an import of subprocess (os.posix_spawn)
        proc = venv.run("import hello, sys; print('subprocess' in sys.modules)", elsewhere)
        assert proc.stdout.strip() == "False", proc.stderr
    # the finder imports the standard library only
    tree = ast.parse(EDITABLE.read_text())
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert imported <= {"os", "sys", "_thread", "fcntl", "msvcrt", "subprocess", "importlib", "re", "json", "marshal",
                        "struct", "time"}
    module = Path(venv.site) / "_ninjagen_editable_ninjagen_sample_hello.py"
    assert module.read_text().endswith(f"install({str(project)!r}, 'build', {ninja_binary()!r}, "
                                       f"{{'hello': [{str(project)!r}]}}, rebuild=True, verbose=False, support=None)\n")


def test_a_second_project_with_the_same_package_is_refused(sample, venv):
    first = sample("hello", "first")
    second = sample("hello", "second")
    venv.ninjagen("develop", "-C", str(first))
    proc = venv.ninjagen("develop", "-C", str(second), check=False)
    assert proc.returncode == 1
    assert proc.stderr == (f"ninjagen: error: hello is already installed in editable mode from {first} "
                           f"(remove it with: ninjagen develop --uninstall -C {first})\n")
    venv.ninjagen("develop", "--uninstall", "-C", str(first))
    venv.ninjagen("develop", "-C", str(second))


def test_a_build_ninja_removed_later_is_a_clear_import_error(sample, venv, elsewhere):
    project = sample("hello")
    venv.ninjagen("develop", "-C", str(project))
    (project / "build.ninja").unlink()
    proc = venv.run("import hello", elsewhere)
    assert proc.returncode == 1
    assert proc.stderr.rstrip().splitlines()[-1] == (
        f"ImportError: ninjagen: cannot rebuild hello: there is no build.ninja in {project} "
        "(run 'ninjagen configure' there, or 'ninjagen develop --uninstall' to stop rebuilding)")


def test_a_build_for_another_python_is_refused(sample, venv):
    project = sample("hello")
    other = replace(Target.current(), config={**Target.current().config, "EXT_SUFFIX": ".cpython-39-x86_64-linux-gnu.so"})
    configure_api(str(project), target=other)
    proc = venv.ninjagen("develop", "-C", str(project), check=False)
    assert proc.returncode == 1
    assert proc.stderr.startswith("ninjagen: error: extension 'hello' is built as hello.cpython-39-x86_64-linux-gnu.so, "
                                  "which this Python cannot import (it takes ")
    assert proc.stderr.endswith("): run 'ninjagen configure' with this Python\n") and proc.stderr.count("\n") == 1
    assert _installed_files(venv) == []
