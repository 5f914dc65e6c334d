"""ninjagen's editable loader: the first import of a project's package rebuilds it.

``ninjagen develop`` copies this file into site-packages (as
``_ninjagen_editable_<project>.py``, with a call to :func:`install` appended)
and adds a ``.pth`` line that imports it at interpreter start-up.  It must stay
standalone and small: standard library only, and nothing but ``os`` and
``sys`` (already loaded) at start-up; the rest is imported when a rebuild runs.

On the first import of one of the project's top-level names in a process,
the finder runs ``ninja`` on the project's build.ninja (once per process),
under a file lock in the build folder so that two processes never build at
once.  The ninja is the running environment's (the ``ninja`` package puts it
beside the interpreter), else the one ``ninjagen develop`` recorded, else one
on PATH: the environment that installed the loader may be gone.  Nothing to do: silent.  Work to do: ninja's progress streams to
stderr.  A failed build: ImportError carrying ninja's (and so the compiler's)
output.  ``NINJAGEN_NO_REBUILD=1`` turns rebuilding off; ninja's children get
``NINJAGEN_EDITABLE_BUILDING=1`` so that a build step that imports the
package does not start a build of its own.
"""

import os
import sys

NO_REBUILD_ENV = "NINJAGEN_NO_REBUILD"
BUILDING_ENV = "NINJAGEN_EDITABLE_BUILDING"
LOCK_NAME = "ninjagen-editable.lock"
_NO_WORK = "ninja: no work to do."


def _say(text):
    """Write ninja's progress to stderr, as it comes (there may be no stderr: pythonw)."""
    if sys.stderr is not None:
        sys.stderr.write(text)
        sys.stderr.flush()


def _spawn(ninja, project, env):
    """Start ``ninja -C project``, its stdout and stderr in one pipe: (the pipe as a binary file, wait).

    On POSIX through os.posix_spawn: importing subprocess would cost more than the
    ninja no-op that most imports pay for.
    """
    argv = [ninja, "-C", project]
    if not hasattr(os, "posix_spawn"):
        import subprocess

        proc = subprocess.Popen(argv, cwd=project, env=env, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        return proc.stdout, proc.wait
    read_end, write_end = os.pipe()
    try:
        pid = os.posix_spawn(ninja, argv, env, file_actions=[
            (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
            (os.POSIX_SPAWN_DUP2, write_end, 1),
            (os.POSIX_SPAWN_DUP2, write_end, 2),
            (os.POSIX_SPAWN_CLOSE, read_end),
        ])
    except BaseException:
        os.close(read_end)
        raise
    finally:
        os.close(write_end)

    def wait():
        return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])

    return os.fdopen(read_end, "rb"), wait


def _find_ninja(recorded):
    """The ninja binary to run, or None: this environment's, the recorded one, one on PATH."""
    name = "ninja.exe" if os.name == "nt" else "ninja"
    path = os.environ.get("PATH", os.defpath).split(os.pathsep)
    for candidate in [os.path.join(os.path.dirname(sys.executable), name), recorded,
                      *(os.path.join(folder, name) for folder in path if folder)]:
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


def _failure(name, text):
    """The message of a failed rebuild: ninjagen's own one-line error first, where there is one.

    A regeneration of build.ninja that cannot run says in such a line what to do.
    """
    for line in text.splitlines():
        if line.startswith("ninjagen: error: "):
            return f"ninjagen: cannot rebuild {name}: {line[len('ninjagen: error: '):]}\n{text}"
    return text


def _off(value):
    return value is not None and value.strip().lower() not in ("", "0", "false", "no")


class _Lock:
    """An exclusive lock on a file: fcntl.flock on POSIX, msvcrt.locking on Windows."""

    def __init__(self, path):
        self.path = path
        self.file = None

    def __enter__(self):
        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        self.file = open(self.path, "a+b")
        if os.name == "nt":
            import msvcrt

            while True:
                try:
                    self.file.seek(0)
                    msvcrt.locking(self.file.fileno(), msvcrt.LK_LOCK, 1)  # retries for 10 s, then raises
                    break
                except OSError:
                    continue
        else:
            import fcntl

            fcntl.flock(self.file.fileno(), fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc_info):
        try:
            if os.name == "nt":
                import msvcrt

                self.file.seek(0)
                msvcrt.locking(self.file.fileno(), msvcrt.LK_UNLCK, 1)
            # POSIX: closing the file releases the flock
        finally:
            self.file.close()


class NinjagenEditableFinder:
    """A meta path finder for one project's top-level packages and modules."""

    def __init__(self, project, build_dir, ninja, packages):
        self.project = project
        """The project folder, where build.ninja is (absolute)."""
        self.lock_path = os.path.join(project, build_dir, LOCK_NAME)
        self.ninja = ninja
        """The ninja binary ``ninjagen develop`` ran with: used when this environment has none."""
        self.packages = packages
        """Top-level name -> the folders to look for it in (absolute)."""
        self._state = None  # None: not built yet in this process; True: built; an ImportError: failed
        import _thread  # built in: costs nothing

        self._mutex = _thread.RLock()  # reentrant: an import made while building finds _state set

    def find_spec(self, fullname, path=None, target=None):
        folders = self.packages.get(fullname)
        if folders is None:
            return None  # not ours (a submodule is found through its package's __path__)
        self.rebuild(fullname)
        from importlib.machinery import PathFinder

        return PathFinder.find_spec(fullname, folders)

    def rebuild(self, name):
        """Run ninja once per process; raise ImportError if the build failed."""
        with self._mutex:
            if self._state is None:
                self._state = True
                if not (_off(os.environ.get(NO_REBUILD_ENV)) or _off(os.environ.get(BUILDING_ENV))):
                    self._state = self._build(name) or True
        if isinstance(self._state, ImportError):
            raise self._state

    def _build(self, name):
        """None when the build is up to date now, else the ImportError to raise."""
        if not os.path.isdir(self.project):
            return ImportError(
                f"ninjagen: cannot import {name}: its project folder {self.project} is gone; run "
                f"'ninjagen develop --uninstall -C {self.project}' to remove this editable install, "
                "or 'ninjagen develop' in the project's new folder", name=name)
        ninja = _find_ninja(self.ninja)
        if ninja is None:
            return ImportError(
                f"ninjagen: cannot rebuild {name}: no ninja here (the recorded {self.ninja} is gone); "
                f"run 'pip install ninja' in this environment, or 'ninjagen develop -C {self.project}' again",
                name=name)
        if not os.path.isfile(os.path.join(self.project, "build.ninja")):
            return ImportError(
                f"ninjagen: cannot rebuild {name}: there is no build.ninja in {self.project} "
                "(run 'ninjagen configure' there, or 'ninjagen develop --uninstall' to stop rebuilding)",
                name=name)
        env = dict(os.environ)
        env[BUILDING_ENV] = "1"
        color = sys.stderr is not None and hasattr(sys.stderr, "isatty") and sys.stderr.isatty()
        if color:
            env.setdefault("CLICOLOR_FORCE", "1")  # ninja keeps the compiler's colors for a terminal
        output = []
        failed_at = None  # from the first FAILED: line on, output goes into the ImportError instead
        try:
            with _Lock(self.lock_path):
                lines, wait = _spawn(ninja, self.project, env)
                with lines:
                    for raw in lines:
                        line = raw.decode("utf-8", "replace")
                        if not output and line.startswith("ninja: Entering directory"):
                            continue  # ninja -C says where it works: we know
                        output.append(line)
                        if failed_at is None and line.startswith("FAILED: "):
                            failed_at = len(output) - 1
                        if failed_at is not None:
                            continue
                        if len(output) == 1 and line.strip() == _NO_WORK:
                            continue  # the no-op: silent
                        _say(output[0] + line if len(output) == 2 and output[0].strip() == _NO_WORK else line)
                returncode = wait()
        except OSError as exc:
            return ImportError(f"ninjagen: cannot rebuild {name}: running {ninja} in {self.project} "
                               f"failed: {exc}", name=name)
        if returncode != 0:
            text = "".join(output[failed_at or 0:])
            if color:
                import re

                text = re.sub("\x1b\\[[0-9;]*[mK]", "", text)
            return ImportError(_failure(name,
                f"ninjagen: rebuilding {name} failed (ninja in {self.project} exited with {returncode}):\n"
                f"{text.rstrip()}"), name=name)
        if not (len(output) == 1 and output[0].strip() == _NO_WORK):
            import importlib

            importlib.invalidate_caches()  # new files in folders whose listing may be cached
        return None


def install(project, build_dir, ninja, packages):
    """Put the finder first on sys.meta_path (before the path finder that would find a stale module)."""
    finder = NinjagenEditableFinder(project, build_dir, ninja, packages)
    sys.meta_path.insert(0, finder)
    return finder
