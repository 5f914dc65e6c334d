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

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


@pytest.fixture
def sample(tmp_path):
    """Copy a sample project to a fresh folder and return its path."""

    def copy(name: str, dest_name: str = "") -> Path:
        dest = tmp_path / (dest_name or name)
        shutil.copytree(SAMPLES / name, dest)
        return dest

    return copy


def configure(project: Path, *args: str) -> None:
    assert main(["configure", "-C", str(project), *args]) == 0


def ninja(project: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run([ninja_binary(), *args], cwd=project, capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise AssertionError(f"ninja {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc


def planned(project: Path) -> list[str]:
    """The descriptions of the statements a `ninja` run would execute now, e.g. 'CC build/obj/.../a.o'."""
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
