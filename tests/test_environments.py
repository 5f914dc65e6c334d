"""Nothing of a deleted environment is needed: build.ninja and the editable loader outlive the
environment that wrote them.

Real virtual environments, real installs of ninjagen (a wheel of this checkout,
its dependencies from the index), the real ninja, and the built module imported
from another folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from devloop import clean_env

pytestmark = pytest.mark.slow  # builds venvs and installs ninjagen into them with pip

ROOT = Path(__file__).resolve().parent.parent
BIN = "Scripts" if os.name == "nt" else "bin"


class Env:
    """A virtual environment with pip, into which ninjagen gets installed."""

    def __init__(self, path: Path, *requirements: str) -> None:
        subprocess.run([sys.executable, "-m", "venv", str(path)], check=True, timeout=300)
        self.path = path
        self.bin = path / BIN
        self.python = str(self.bin / "python")
        if requirements:
            self.pip("install", *requirements)

    def env(self, **extra: str) -> dict[str, str]:
        return clean_env(**{"PATH": f"{self.bin}{os.pathsep}{os.environ.get('PATH', '')}", **extra})

    def run(self, *args: str, cwd: Path, check: bool = True, **extra: str) -> subprocess.CompletedProcess:
        proc = subprocess.run(list(args), cwd=cwd, capture_output=True, text=True, timeout=600, env=self.env(**extra))
        if check and proc.returncode != 0:
            raise AssertionError(f"{' '.join(args)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
        return proc

    def pip(self, *args: str) -> None:
        self.run(self.python, "-m", "pip", "-q", *args, cwd=self.path)

    def tool(self, name: str) -> str:
        return str(self.bin / name)


def _one_error_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.startswith("ninjagen: error:")]
    assert len(lines) == 1, text
    return lines[0]


def _greets(env: Env, folder: Path, **extra: str) -> subprocess.CompletedProcess:
    return env.run(env.python, "-c", "import hello; print(hello.greet('env'))", cwd=folder, check=False, **extra)


@pytest.fixture
def elsewhere(tmp_path) -> Path:
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    return folder


def test_a_deleted_configuring_environment_leaves_a_project_that_builds(ninjagen_wheel, sample, tmp_path):
    project = sample("hello")
    first = Env(tmp_path / "first", str(ninjagen_wheel))
    first.run(first.tool("ninjagen"), "build", "-C", str(project), cwd=tmp_path)
    shutil.rmtree(first.path)  # its python, its ninjagen, its templates, its ninja: all gone
    second = Env(tmp_path / "second", str(ninjagen_wheel))

    # plain ninja: what build.ninja was generated from is gone, so it regenerates, and the
    # regeneration names the vanished interpreter and the way back, in one line
    proc = second.run(second.tool("ninja"), cwd=project, check=False)
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "missing and no known rule" not in output
    line = _one_error_line(output)
    assert str(first.path / BIN / "python") in line and "ninjagen build" in line

    # ninjagen build from the new environment reconfigures by itself and builds
    proc = second.run(second.tool("ninjagen"), "build", "-C", str(project), cwd=tmp_path)
    assert "is gone; reconfiguring" in proc.stderr
    assert str(second.path) in (project / "build.ninja").read_text()
    assert second.run(second.python, "check_sample.py", cwd=project).stdout.strip() == "ok hello"
    # and plain ninja is whole again
    assert "no work to do" in second.run(second.tool("ninja"), cwd=project).stdout


def test_the_editable_loader_says_what_to_run_when_its_ninja_or_project_is_gone(ninjagen_wheel, sample, tmp_path,
                                                                                  elsewhere):
    project = sample("hello")
    env = Env(tmp_path / "env", str(ninjagen_wheel))
    env.run(env.tool("ninjagen"), "develop", "-C", str(project), cwd=tmp_path)
    assert _greets(env, elsewhere).stdout.strip() == "Hello, env!"

    env.pip("uninstall", "-y", "ninja")  # the ninja that develop recorded is gone, and none is on PATH
    empty = tmp_path / "empty"
    empty.mkdir()
    proc = _greets(env, elsewhere, PATH=str(empty))
    first_line = proc.stderr.strip().splitlines()[-1]
    assert proc.returncode == 1
    assert "ImportError: ninjagen: cannot rebuild hello: no ninja here" in first_line
    assert "pip install ninja" in first_line

    env.pip("install", "ninja")  # the environment's own ninja is found, wherever PATH points
    assert _greets(env, elsewhere, PATH=str(empty)).stdout.strip() == "Hello, env!"

    moved = tmp_path / "moved"
    project.rename(moved)
    proc = _greets(env, elsewhere)
    last = proc.stderr.strip().splitlines()[-1]
    assert proc.returncode == 1
    assert f"its project folder {project} is gone" in last and "ninjagen develop --uninstall" in last


def _checkout(dest: Path) -> Path:
    """A copy of this checkout's package sources: another place to install ninjagen from."""
    dest.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, dest / name)
    for name in ("ninjagen", "templates"):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return dest


def test_reinstalling_ninjagen_regular_and_editable_regenerates_and_builds(sample, tmp_path, elsewhere):
    one, two = _checkout(tmp_path / "one"), _checkout(tmp_path / "two")
    project = sample("hello")
    env = Env(tmp_path / "env", str(one))
    env.run(env.tool("ninjagen"), "configure", "-C", str(project), cwd=tmp_path)
    env.run(env.tool("ninja"), cwd=project)

    env.pip("install", "-e", str(two))  # the regular install, templates and all, replaced by an editable one
    proc = env.run(env.tool("ninja"), cwd=project)
    assert "Regenerating build.ninja" in proc.stdout
    assert str(two / "templates") in (project / "build.ninja").read_text()

    env.pip("install", str(one))  # and back: checkout two's templates are still there, but not in use
    proc = env.run(env.tool("ninja"), cwd=project)
    assert "Regenerating build.ninja" in proc.stdout
    assert str(two) not in (project / "build.ninja").read_text()
    (project / "hello.c").write_text((project / "hello.c").read_text().replace("Hello, ", "Hi, "))
    proc = env.run(env.tool("ninja"), cwd=project)
    assert "LINK" in proc.stdout
    assert env.run(env.python, "-c", "import hello; print(hello.greet('x'))", cwd=project).stdout.strip() == "Hi, x!"
