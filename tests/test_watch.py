"""`ninjagen watch`: a real watcher process, real edits, real rebuilds; stopped with Ctrl-C (SIGINT).

Every wait is bounded; the watcher is killed if it does not stop.
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from cmodule import c_module
from conftest import configure, run_python, write

from ninjagen.watch import MISSING


def need_watchfiles():
    try:
        import watchfiles  # noqa: F401
    except ImportError:
        message = "watchfiles is not installed: pip install -e '.[test,watch]'"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class Watcher:
    """`python -m ninjagen watch` in a subprocess; its stdout and stderr as one stream of lines."""

    def __init__(self, project: Path, *args: str) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONDONTWRITEBYTECODE": "1"}
        # Ctrl-C as a terminal delivers it, also when this test run was started in the background
        # (a shell's background job inherits SIGINT ignored, and Python keeps it so)
        self.proc = subprocess.Popen([sys.executable, "-m", "ninjagen", "watch", "-C", str(project), *args],
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
                                     preexec_fn=_default_sigint if os.name == "posix" else None)
        self.lines: list[str] = []
        self._stopped = False
        self._queue: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def wait_for(self, text: str, timeout: float = 60) -> list[str]:
        """The lines up to and including the first one that contains *text*."""
        deadline = time.monotonic() + timeout
        seen = []
        while True:
            left = deadline - time.monotonic()
            try:
                line = self._queue.get(timeout=max(left, 0.01))
            except queue.Empty:
                line = ""
            if line is None or (line == "" and time.monotonic() >= deadline):
                raise AssertionError(f"no {text!r} within {timeout} s; the watcher said:\n" + "\n".join(self.lines))
            self.lines.append(line)
            seen.append(line)
            if text in line:
                return seen

    def quiet_for(self, seconds: float) -> list[str]:
        """What the watcher says in the next *seconds*."""
        said = []
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                line = self._queue.get(timeout=max(deadline - time.monotonic(), 0.01))
            except queue.Empty:
                continue
            if line is None:
                break
            self.lines.append(line)
            said.append(line)
        return said

    def stop(self) -> int:
        if self._stopped:
            return self.proc.returncode
        self._stopped = True
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=20)
        while True:  # what it said last
            try:
                line = self._queue.get(timeout=10)
            except queue.Empty:
                break
            if line is None:
                break
            self.lines.append(line)
        return self.proc.returncode


@pytest.fixture
def watcher():
    need_watchfiles()
    started: list[Watcher] = []

    def start(project: Path, *args: str) -> Watcher:
        w = Watcher(project, *args)
        started.append(w)
        return w

    yield start
    for w in started:
        w.stop()


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_watch_rebuilds_on_save_and_shows_errors_as_they_happen(sample, watcher):
    project = sample("hello")  # not configured yet: watch configures and builds first
    w = watcher(project)
    first = w.wait_for("ninjagen: watching")
    assert any("LINK hello." in line for line in first)
    assert run_python(project, "import hello; print(hello.greet('x'))").strip() == "Hello, x!"

    # what is not an input does not start a build: the build folder, notes, the module itself
    write(project / "build" / "scratch.c", "int nothing;\n")
    write(project / "NOTES.txt", "notes\n")
    assert w.quiet_for(2.0) == []

    _edit(project / "hello.c", '"Hello, %s!"', '"Howdy, %s!"')
    rebuilt = w.wait_for("ninjagen: build finished")
    assert rebuilt[0] == "ninjagen: changed: hello.c; rebuilding"
    assert any(line.startswith("[1/2] CC ") for line in rebuilt) and any("LINK" in line for line in rebuilt)
    assert run_python(project, "import hello; print(hello.greet('x'))").strip() == "Howdy, x!"

    _edit(project / "hello.c", '"Howdy, %s!", name);', '"Howdy, %s!", name) oops;')
    failed = w.wait_for("ninjagen: build failed; watching for changes")
    assert any("error: expected" in line for line in failed)  # the compiler's message, as it happened

    _edit(project / "hello.c", "name) oops;", "name);")
    w.wait_for("ninjagen: build finished")
    assert w.stop() == 0
    assert w.lines[-1] == "ninjagen: stopped watching"


def test_watch_follows_headers_depends_files_and_pyproject(tmp_path, watcher):
    project = tmp_path / "proj"
    write(project / "m.c", c_module("m", prelude='#include "m.h"', constants={"VALUE": "VALUE"}))
    write(project / "m.h", "#define VALUE 1\n")
    write(project / "table.dat", "one\n")
    write(project / "pyproject.toml", '[tool.ninjagen]\next-modules = [{ name = "m", sources = ["m.c"], '
                                      'depends = ["table.dat"] }]\n')
    configure(project)
    w = watcher(project, "-j", "2")
    w.wait_for("ninjagen: watching")

    write(project / "m.h", "#define VALUE 2\n")
    assert w.wait_for("ninjagen: build finished")[0] == "ninjagen: changed: m.h; rebuilding"
    assert run_python(project, "import m; print(m.VALUE)").strip() == "2"

    write(project / "table.dat", "two\n")  # an odd suffix, but ninja names it as an input
    rebuilt = w.wait_for("ninjagen: build finished")
    assert rebuilt[0] == "ninjagen: changed: table.dat; rebuilding" and any("CC " in line for line in rebuilt)

    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('depends = ["table.dat"]', 'define-macros = [["EXTRA"]]'))
    rebuilt = w.wait_for("ninjagen: build finished")
    assert rebuilt[0] == "ninjagen: changed: pyproject.toml; rebuilding"
    assert any("Regenerating build.ninja" in line for line in rebuilt)
    assert "-DEXTRA" in (project / "compile_commands.json").read_text()
    assert w.stop() == 0


def test_watch_without_watchfiles_is_one_line(sample):
    project = sample("hello")
    code = ("import sys; sys.modules['watchfiles'] = None\n"
            "from ninjagen.cli import main; sys.exit(main(['watch', '-C', sys.argv[1]]))")
    proc = subprocess.run([sys.executable, "-c", code, str(project)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert proc.stderr == f"ninjagen: error: {MISSING}\n"
    assert MISSING == "ninjagen watch needs the watchfiles package: pip install 'ninjagen[watch]'"
