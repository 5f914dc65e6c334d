"""A plain (non-editable) install works from any folder: the wheel carries the templates."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # builds ninjagen's wheel and installs it into a venv

@pytest.fixture
def wheel(ninjagen_wheel) -> Path:
    return ninjagen_wheel


def test_wheel_contains_the_package_and_its_templates(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "ninjagen/templates/unix.ninja.j2" in names
    assert "ninjagen/compilers/unix.py" in names and "ninjagen/_pyinfo.py" in names
    assert not any(n.startswith(("tests/", "samples/", "templates/")) for n in names)


def test_installed_wheel_builds_a_sample_from_another_folder(wheel, tmp_path, sample):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    proc = subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "-q", str(wheel)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    project = sample("hello")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    run = lambda *args: subprocess.run(args, cwd=elsewhere, env=env, capture_output=True, text=True)  # noqa: E731
    proc = run(str(bin_dir / "ninjagen"), "build", "-C", str(project))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    proc = subprocess.run([str(bin_dir / "python"), "check_sample.py"], cwd=project, capture_output=True, text=True)
    assert proc.stdout.strip() == "ok hello", proc.stderr
    assert str(venv) in (project / "build.ninja").read_text()  # regenerates with the installed ninjagen
