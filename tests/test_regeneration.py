"""build.ninja regenerates when what it was generated from changes or vanishes, and
`ninjagen build` recovers from a build.ninja whose regeneration cannot run."""

from __future__ import annotations

import json

from conftest import configure, ninja, run_python, write

from ninjagen import __version__
from ninjagen.cli import main
from ninjagen.state import read_state

SETUP_PY = """
from setuptools import setup, Extension
setup(name="gone", ext_modules=[Extension("hello", ["hello.c"])])
"""
PYPROJECT = """
[[tool.ninjagen.ext-modules]]
name = "hello"
sources = ["hello.c"]
"""


def test_every_input_from_outside_the_project_gets_a_phony_statement(sample):
    project = sample("hello")
    configure(project)
    state = read_state(str(project))
    assert state is not None and state.inputs[0] == "pyproject.toml"
    text = (project / "build.ninja").read_text()
    for path in state.inputs:
        assert f"\nbuild {path.replace(':', '$:').replace(' ', '$ ')}: phony\n" in text


def test_a_removed_setup_py_reconfigures_instead_of_stopping_ninja(sample):
    project = sample("hello")
    (project / "pyproject.toml").unlink()
    write(project / "setup.py", SETUP_PY)
    configure(project)
    assert "setup.py" in read_state(str(project)).inputs
    ninja(project)
    (project / "setup.py").unlink()  # the project moves its extension into pyproject.toml
    write(project / "pyproject.toml", PYPROJECT)
    proc = ninja(project)
    assert "Regenerating build.ninja" in proc.stdout
    assert "setup.py" not in read_state(str(project)).inputs
    assert run_python(project, "import hello; print(hello.add(2, 3))").strip() == "5"


def test_build_reconfigures_a_project_configured_by_another_ninjagen_version(sample, capfd):
    project = sample("hello")
    assert main(["build", "-C", str(project)]) == 0
    state_file = project / "build" / "ninjagen-state.json"
    data = json.loads(state_file.read_text())
    data["version"] = "0.0.1"
    state_file.write_text(json.dumps(data))
    capfd.readouterr()
    assert main(["build", "-C", str(project)]) == 0
    err = capfd.readouterr().err
    assert f"build.ninja was written by ninjagen 0.0.1, this is {__version__}; reconfiguring" in err
    assert read_state(str(project)).version == __version__


def test_build_recovers_from_a_build_ninja_whose_regeneration_is_broken(sample, capfd):
    project = sample("hello")
    configure(project)
    # as an older ninjagen wrote it: no state named in the header, and a regeneration
    # input that is gone with no statement to make it
    build_ninja = project / "build.ninja"
    text = "".join(line for line in build_ninja.read_text().splitlines(keepends=True)
                   if not line.startswith("# ninjagen state: ") and not line.endswith(": phony\n")
                   or line.startswith(("build hello:", "build all:")))
    text = text.replace("| pyproject.toml", "| /gone/ninjagen/templates/unix.ninja.j2 pyproject.toml")
    build_ninja.write_text(text)
    assert "missing and no known rule" in ninja(project, check=False).stderr
    capfd.readouterr()
    assert main(["build", "-C", str(project)]) == 0
    assert "has no readable ninjagen state; reconfiguring" in capfd.readouterr().err
    assert "/gone/" not in build_ninja.read_text()
    assert "no work to do" in ninja(project).stdout
