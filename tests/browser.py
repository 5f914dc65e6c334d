"""A real browser for the tests: Debian's headless Chromium (tests/devtools/setup.sh installs it)."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import pytest

from devloop import need


def chromium(args: list[str], profile: Path, timeout: float = 90) -> subprocess.CompletedProcess:
    """Run headless Chromium with its own profile; on a timeout kill its whole process group."""
    command = [need("chromium"), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
               "--no-first-run", "--disable-extensions", "--window-size=1400,1000", f"--user-data-dir={profile}", *args]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        pytest.fail(f"chromium did not finish in {timeout} s: {' '.join(command)}\n{err[-2000:]}")
    return subprocess.CompletedProcess(command, proc.returncode, out, err)


def near(rgb, want, tolerance=3):
    return all(abs(a - b) <= tolerance for a, b in zip(rgb, want))
