"""Helpers of the developer-loop tests: required tools, throwaway environments, timing wrappers.

tests/devtools/setup.sh (run by .ci/run) installs ccache, distcc and clangd from
Debian.  Outside CI, a test whose tool is missing skips; in CI it fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ninjagen.runner import ninja_binary


def need(tool: str) -> str:
    """The path of *tool*; skip the test without it (fail in CI, which installs it)."""
    path = shutil.which(tool)
    if path is None:
        message = f"{tool} is not installed: run tests/devtools/setup.sh"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


def ninjagen_pythonpath() -> str:
    """Folders that make ninjagen and its dependencies importable in another environment."""
    import jinja2
    import markupsafe
    import ninja

    import ninjagen

    modules = [ninjagen, ninja, jinja2, markupsafe]
    if sys.version_info < (3, 11):
        import tomli

        modules.append(tomli)
    folders = dict.fromkeys(os.path.dirname(os.path.dirname(os.path.abspath(m.__file__))) for m in modules)
    return os.pathsep.join(folders)


def clean_env(**extra: str) -> dict[str, str]:
    """This environment without what would leak the test's Python setup into a child."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "NINJAGEN_NO_REBUILD", "NINJAGEN_EDITABLE_BUILDING",
                                                             "VIRTUAL_ENV", "PYTHONHOME", "NINJAGEN_LAUNCHER")}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.update(extra)
    return env


class Venv:
    """A bare virtual environment (no pip, no ninjagen): what `ninjagen develop` installs into."""

    def __init__(self, path: Path) -> None:
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(path)], check=True, timeout=120)
        self.path = path
        self.python = str(path / ("Scripts" if os.name == "nt" else "bin") / ("python.exe" if os.name == "nt" else "python"))
        self.site = subprocess.run([self.python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                                   capture_output=True, text=True, check=True).stdout.strip()

    def ninjagen(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        """`python -m ninjagen ARGS` with this environment's Python (ninjagen borrowed through PYTHONPATH)."""
        path = os.pathsep.join([os.path.dirname(ninja_binary()), os.environ.get("PATH", "")])
        proc = subprocess.run([self.python, "-m", "ninjagen", *args], capture_output=True, text=True, timeout=300,
                              env=clean_env(PYTHONPATH=ninjagen_pythonpath(), PATH=path))
        if check and proc.returncode != 0:
            raise AssertionError(f"ninjagen {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
        return proc

    def run(self, code: str, cwd: Path, timeout: float = 300, **env: str) -> subprocess.CompletedProcess:
        """Run *code* with this environment's Python (ninjagen is not importable there)."""
        return subprocess.run([self.python, "-c", code], cwd=cwd, capture_output=True, text=True, timeout=timeout,
                              env=clean_env(**env))

    def popen(self, code: str, cwd: Path, **env: str) -> subprocess.Popen:
        return subprocess.Popen([self.python, "-c", code], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, env=clean_env(**env))


TIMING_WRAPPER = """#!/bin/sh
# Runs "$@" (a compiler command) and logs when it started and ended, to measure overlap.
out=unknown
prev=
for a in "$@"; do [ "$prev" = "-o" ] && out=$a; prev=$a; done
echo "start $out $(date +%s.%N)" >> "{log}"
sleep {sleep}
"$@"
rc=$?
echo "end $out $(date +%s.%N)" >> "{log}"
exit $rc
"""


def timing_wrapper(folder: Path, log: Path, sleep: float = 0.5) -> Path:
    """A launcher script that logs the start and end of each command it runs (see max_overlap)."""
    script = folder / "timed.sh"
    script.write_text(TIMING_WRAPPER.format(log=log, sleep=sleep))
    script.chmod(0o755)
    return script


def intervals(log: Path, match: str = "") -> list[tuple[float, float, str]]:
    """(start, end, output) of the commands the timing wrapper logged whose output contains *match*."""
    starts: dict[str, float] = {}
    done = []
    for line in log.read_text().splitlines():
        kind, out, when = line.split(" ")
        if match not in out:
            continue
        if kind == "start":
            starts[out] = float(when)
        else:
            done.append((starts.pop(out), float(when), out))
    assert not starts, f"commands that never ended: {starts}"
    return done


def max_overlap(spans: list[tuple[float, float, str]]) -> int:
    """The largest number of the *spans* that ran at one moment."""
    events = sorted([(s, 1) for s, _, _ in spans] + [(e, -1) for _, e, _ in spans])
    running = best = 0
    for _, delta in events:
        running += delta
        best = max(best, running)
    return best
