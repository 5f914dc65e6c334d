"""--python builds for another interpreter, asking it for its sysconfig."""

from __future__ import annotations

import glob
import os
import shutil
import sys

import pytest

from conftest import configure, ninja, run_python

from ninjagen import NinjagenError, Target
from ninjagen.cli import main


def _other_python() -> str | None:
    """An installed CPython 3.9-3.13 other than the running one (pyenv's, or on PATH)."""
    for minor in (12, 11, 13, 10, 9):
        if minor == sys.version_info[1]:
            continue
        candidates = glob.glob(os.path.expanduser(f"~/.pyenv/versions/3.{minor}.*/bin/python3.{minor}"))
        candidates += glob.glob(f"/root/.pyenv/versions/3.{minor}.*/bin/python3.{minor}")
        found = shutil.which(f"python3.{minor}")
        for exe in candidates + ([found] if found else []):
            try:
                Target.from_interpreter(exe).check_headers()
                return exe
            except NinjagenError:
                continue
    return None


OTHER = _other_python()
needs_other = pytest.mark.skipif(OTHER is None, reason="no second CPython 3.9-3.13 installed")


@needs_other
def test_target_describes_the_other_interpreter():
    target = Target.from_interpreter(OTHER)
    assert target.version != tuple(sys.version_info[:2])
    assert f"{target.version[0]}{target.version[1]}" in target.ext_suffix
    assert target.python != sys.executable


@needs_other
@pytest.mark.parametrize("name", ["hello", "multi"])
def test_build_for_another_python_imports_there(sample, name):
    project = sample(name)
    configure(project, "--python", OTHER)
    ninja(project)
    target = Target.from_interpreter(OTHER)
    assert list(project.rglob(f"*{target.ext_suffix}")), "module named for the other Python"
    assert run_python(project, "check_sample.py", python=OTHER).strip() == f"ok {name}"


def test_python_that_is_not_a_python_is_a_one_line_error(tmp_path, sample, capsys):
    project = sample("hello")
    fake = tmp_path / "python"
    fake.write_text("#!/bin/sh\necho nope\n")
    fake.chmod(0o755)
    assert main(["configure", "-C", str(project), "--python", str(fake)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"ninjagen: error: --python {fake}: not a Python interpreter") and err.count("\n") == 1
    assert not (project / "build.ninja").exists()
