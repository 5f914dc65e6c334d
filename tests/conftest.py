"""Shared fixtures: sample projects copied to a temporary folder, and ninja runs."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ninjagen.cli import main
from ninjagen.runner import ninja_binary

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
#: what a build (or an editable install, or Python) leaves in a sample: never copied into a test
BUILD_LEFTOVERS = ("build", "build.ninja", "compile_commands.json", ".ninja_*", "*.so", "*.pyd", "*.dll", "*.o",
                   "*.obj", "*.egg-info", "__pycache__", "*.pyc", ".venv", "dist")


def copy_sources(source: Path, dest: Path) -> Path:
    """Copy a project's sources only, whatever a build by hand left in it."""
    shutil.copytree(source, dest, ignore=shutil.ignore_patterns(*BUILD_LEFTOVERS))
    return dest


@pytest.fixture
def sample(tmp_path):
    """Copy a sample project's sources to a fresh folder and return its path."""

    def copy(name: str, dest_name: str = "") -> Path:
        return copy_sources(SAMPLES / name, tmp_path / (dest_name or name))

    return copy


@pytest.fixture(scope="session")
def ninjagen_wheel(tmp_path_factory) -> Path:
    """A wheel of this checkout, built once per test run."""
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (found,) = out.glob("ninjagen-*.whl")
    return found


def configure(project: Path, *args: str) -> None:
    assert main(["configure", "-C", str(project), *args]) == 0


def ninja(project: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run([ninja_binary(), *args], cwd=project, capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise AssertionError(f"ninja {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc


def planned(project: Path) -> list[str]:
    """The descriptions of the statements a `ninja` run would execute now, e.g. 'CC build/src/a.1a2b3c.o'."""
    out = ninja(project, "-n").stdout
    return [m.group(1) for m in re.finditer(r"^\[\d+/\d+\] (.*)$", out, re.M)]


def run_python(project: Path, code_or_script: str, python: str = sys.executable) -> str:
    args = [python, code_or_script] if code_or_script.endswith(".py") else [python, "-c", code_or_script]
    proc = subprocess.run(args, cwd=project, capture_output=True, text=True, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    if proc.returncode != 0:
        raise AssertionError(f"{' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc.stdout


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def touch(path: Path) -> None:
    os.utime(path)


@pytest.fixture(autouse=True, scope="session")
def _own_user_cache(tmp_path_factory):
    """ninjagen's user cache (rendered rules) in a folder of the test session's, not the user's."""
    os.environ["NINJAGEN_CACHE_DIR"] = str(tmp_path_factory.mktemp("ninjagen-cache"))
    yield
