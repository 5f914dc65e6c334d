"""ninjagen's editable loader: the first import of a project's package rebuilds it.

``ninjagen develop`` copies this file into site-packages (as
``_ninjagen_editable_<project>.py``, with a call to :func:`install` appended)
and adds a ``.pth`` line that imports it at interpreter start-up; an editable
wheel of the project carries the same two files.  It must stay standalone and
small: standard library only, and nothing but ``os`` and ``sys`` (already
loaded) at start-up; the rest is imported when a rebuild runs.

On the first import of one of the project's top-level names in a process,
the finder runs ``ninja`` on the project's build.ninja (once per process),
under a file lock in the build folder so that two processes never build at
once.  The ninja is the running environment's (the ``ninja`` package puts it
beside the interpreter), else the one ``ninjagen develop`` recorded, else one
on PATH: the environment that installed the loader may be gone.  Nothing to
compile (a no-op, or build.ninja regenerated and nothing else): silent
(``verbose=True`` in the install call: ninja's output all the same).
Work to do: ninja's progress streams to stderr, then the build's one-line
summary (``ninjagen report --summary``, where this Python has a ninjagen or the
editable wheel left its copy).  A failed build: ImportError carrying ninja's
(and so the compiler's) output.

The Python that configured the project may be gone too (pip's isolated build
environment, a deleted venv): build.ninja's regeneration step then fails,
saying so.  After that failure only, the finder runs ``ninjagen build`` (the
copy an editable wheel left in the build folder, where this Python has none) with
the running interpreter, which configures again from this environment and
builds, under the same lock; without ninjagen here, the ImportError says what
to install.

``rebuild=False`` in the install call, or ``NINJAGEN_NO_REBUILD=1`` at run
time, turns rebuilding off; ninja's children get ``NINJAGEN_EDITABLE_BUILDING=1``
so that a build step that imports the package does not start a build of its own.

Most imports change nothing, and a ninja no-op costs more than the import itself:
after each successful run, the finder records what ninja looked at (every node
of build.ninja's graph, the headers of its deps log, build.ninja, ninja's logs,
the ninja binary) and each file's modification time, once a dry run (``ninja
-n``) confirmed there is no work left.  The next first import stats those files
and runs ninja only if one of them differs from the record (see
:meth:`NinjagenEditableFinder.fresh`).
"""

import os
import sys

NO_REBUILD_ENV = "NINJAGEN_NO_REBUILD"
BUILDING_ENV = "NINJAGEN_EDITABLE_BUILDING"
LOCK_NAME = "ninjagen-editable.lock"
FRESH_NAME = "ninjagen-editable-fresh"
"""The record of the last build that left nothing to do, in the build folder (marshal)."""
FRESH_FORMAT = "ninjagen-editable-fresh 1"
"""The first item of a record: a record written by a loader of another format is never trusted."""
STATE_MARKER = "ninjagen state: "
"""Starts build.ninja's header comment that names the state file (ninjagen.state's, repeated)."""
_NO_WORK = "ninja: no work to do."
_ERROR = "ninjagen: error: "
_GONE = ", the Python that configured this project, is gone"
"""What build.ninja's regeneration step says when that Python is gone (ninjagen.regenerate)."""
_NO_NINJAGEN = ": No module named ninjagen"


def _quiet(line):
    """A line of a build that compiled nothing: a no-op, or only build.ninja regenerated (as after the
    install: the ninjagen that configured it was in the installer's build environment)."""
    text = line.strip()
    return (text == _NO_WORK or text.endswith(": No module named ninjagen") or (text.startswith("[") and text.endswith("] Regenerating build.ninja"))
            or text.startswith("ninjagen: wrote ") or (text.startswith("ninjagen: ") and text.endswith("; reconfiguring")))


def _say(text):
    """Write ninja's progress to stderr, as it comes (there may be no stderr: pythonw)."""
    if sys.stderr is not None:
        sys.stderr.write(text)
        sys.stderr.flush()


def _spawn(argv, project, env):
    """Start *argv* (which finds *project* by itself: ``ninja -C project``), its stdout and stderr
    in one pipe: (the pipe as a binary file, wait).

    On POSIX through os.posix_spawn: importing subprocess would cost more than the
    ninja no-op that most imports pay for.
    """
    if not hasattr(os, "posix_spawn"):
        import subprocess

        proc = subprocess.Popen(argv, cwd=project, env=env, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        return proc.stdout, proc.wait
    read_end, write_end = os.pipe()
    try:
        pid = os.posix_spawn(argv[0], argv, env, file_actions=[
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
        if line.startswith(_ERROR):
            return f"ninjagen: cannot rebuild {name}: {line[len(_ERROR):]}\n{text}"
    return text


def _unusable_configurer(output, project):
    """Why the Python that configured *project* cannot configure it again (gone, or without its
    ninjagen), as the end of a sentence; None when it can.

    Asked only after ninja failed: from its output (build.ninja's regeneration step
    names a vanished interpreter; a Python without ninjagen says so), else from the
    state file that build.ninja names, read as ninjagen.state writes it.
    """
    for line in output:
        if line.startswith(_ERROR) and _GONE in line:
            return f"{line[len(_ERROR):line.index(_GONE)]}, the Python that configured {project}, is gone"
    configured_by = None
    try:
        with open(os.path.join(project, "build.ninja"), encoding="utf-8") as f:
            for _ in range(3):
                line = f.readline()
                if line.startswith("# " + STATE_MARKER):
                    import json

                    with open(os.path.join(project, line[len(STATE_MARKER) + 2:].rstrip("\n")),
                              encoding="utf-8") as state:
                        configured_by = json.load(state).get("configured_by")
                    break
    except (OSError, ValueError, AttributeError):
        return None
    if not configured_by or not isinstance(configured_by, str):
        return None
    if not os.path.exists(configured_by):
        return f"{configured_by}, the Python that configured {project}, is gone"
    if any(line.rstrip().endswith(_NO_NINJAGEN) for line in output):
        return f"{configured_by}, the Python that configured {project}, has no ninjagen any more"
    return None


def _read_all(argv, project, env):
    """Run *argv* quietly: (exit status, its output as text)."""
    lines, wait = _spawn(argv, project, env)
    with lines:
        text = lines.read().decode("utf-8", "surrogateescape")
    return wait(), text


def _unquote(line):
    """A path as ``ninja -t inputs`` prints it, shell-quoted where it needs it: as it is on disk."""
    if os.name == "nt":
        return line[1:-1] if len(line) > 1 and line[0] == line[-1] == '"' else line  # no '"' in Windows paths
    if len(line) > 1 and line[0] == line[-1] == "'":
        return line[1:-1].replace("'\\''", "'")
    return line


def _deps_log_nodes(path):
    """The outputs of ninja's deps log (``.ninja_deps``, format 4) and the inputs its latest record
    for each lists (the headers a compiler reported); none when there is no log.

    Raises ValueError for a log this reader does not know, so that nothing is recorded.
    """
    try:
        with open(path, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        return set()
    import struct

    if data[:12] != b"# ninjadeps\n" or struct.unpack_from("=i", data, 12)[0] != 4:
        raise ValueError(f"{path}: not a version 4 deps log")
    names, latest, offset, end = [], {}, 16, len(data)
    while offset + 4 <= end:
        (size,) = struct.unpack_from("=I", data, offset)
        offset += 4
        is_deps, size = size >> 31, size & 0x7FFFFFFF
        if offset + size > end:
            break  # a record cut short: ninja ignores it too
        if is_deps:
            ids = struct.unpack_from(f"={size // 4}i", data, offset)
            latest[ids[0]] = ids[3:]
        else:
            names.append(os.fsdecode(data[offset:offset + size - 4].rstrip(b"\0")))
        offset += size
    return {names[i] for out, ids in latest.items() for i in (out, *ids)}


def _identity(path):
    """(modification time, size, inode) of *path*, None when it cannot be stat'ed: for the files whose
    content ninja reads (build.ninja, its logs) and the ninja binary."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size, st.st_ino


_DIR_FD = os.stat in os.supports_dir_fd


def _mtimes(groups):
    """The modification times of the files in *groups*, pairs of a folder and the names of files in
    it (bytes), in their order; OSError if one is missing.  Each folder is opened once and its files
    stat'ed by name where the platform can: shorter lookups, and no path to encode."""
    stat, found = os.stat, []
    if _DIR_FD:
        for folder, names in groups:
            fd = os.open(folder, os.O_RDONLY)
            try:
                found += [stat(name, dir_fd=fd).st_mtime_ns for name in names]
            finally:
                os.close(fd)
    else:
        join = os.path.join
        for folder, names in groups:
            found += [stat(join(folder, name)).st_mtime_ns for name in names]
    return found


def _snapshot(paths):
    """What ninja sees of *paths* (absolute): (the files that exist as :func:`_mtimes` groups, their
    modification times, the paths that do not exist)."""
    groups = {}
    absent = []
    for path in paths:
        if os.path.exists(path):
            folder, name = os.path.split(os.fsencode(path))
            groups.setdefault(folder, []).append(name)
        else:
            absent.append(path)
    groups = tuple((folder, tuple(names)) for folder, names in groups.items())
    return groups, _mtimes(groups), absent


def _write_atomically(path, data):
    temporary = f"{path}.{os.getpid()}.tmp"
    with open(temporary, "wb") as f:
        f.write(data)
    os.replace(temporary, path)


def _forget(path):
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


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

    def __init__(self, project, build_dir, ninja, packages, rebuild=True, verbose=False, support=None):
        self.project = project
        """The project folder, where build.ninja is (absolute)."""
        self.build_dir = build_dir
        self.lock_path = os.path.join(project, build_dir, LOCK_NAME)
        self.fresh_path = os.path.join(project, build_dir, FRESH_NAME)
        self.ninja = ninja
        """The ninja binary ``ninjagen develop`` ran with: used when this environment has none."""
        self.packages = packages
        """Top-level name -> the folders to look for it in (absolute)."""
        self.rebuilds = rebuild
        """False: never run ninja, import what is built."""
        self.verbose = verbose
        """True: show ninja's output even when it had nothing to do."""
        self.support = support
        """A folder holding a copy of ninjagen (an editable wheel's): on PYTHONPATH when this Python has none."""
        self._state = None  # None: not built yet in this process; True: built; an ImportError: failed
        import _thread  # built in: costs nothing

        self._mutex = _thread.RLock()  # reentrant: an import made while building finds _state set

    def find_spec(self, fullname, path=None, target=None):
        folders = self.packages.get(fullname)
        if folders is None:
            return None  # not ours (a submodule is found through its package's __path__)
        self.rebuild(fullname)
        # the import system's own path finder, loaded at start-up: importlib.machinery would import
        # importlib and warnings, which cost more than the rest of an import that built nothing
        bootstrap = sys.modules.get("_frozen_importlib_external")
        if bootstrap is None:
            from importlib.machinery import PathFinder
        else:
            PathFinder = bootstrap.PathFinder
        return PathFinder.find_spec(fullname, folders)

    def rebuild(self, name):
        """Run ninja once per process; raise ImportError if the build failed."""
        with self._mutex:
            if self._state is None:
                self._state = True
                off = _off(os.environ.get(NO_REBUILD_ENV)) or _off(os.environ.get(BUILDING_ENV))
                if self.rebuilds and not off:
                    if not self.fresh():
                        self._state = self._build(name) or True
                    elif self.verbose:
                        _say(f"ninjagen: {self.project} is up to date: no file ninja looks at has changed "
                             "since its last build\n")
        if isinstance(self._state, ImportError):
            raise self._state

    def fresh(self):
        """True when ninja would have nothing to do, by the record of its last successful run.

        The record lists every file ninja looks at, with the modification time it had
        when a dry run found no work: True only if each still has it (and build.ninja,
        ninja's logs and the ninja binary also their size and inode), each file that
        did not exist still does not, and the ninja that would run is the recorded one.
        No record, an unreadable one or one of another format, another project folder:
        False.  Only stats: no process, no import beyond marshal (loaded at start-up).
        """
        import marshal

        try:
            with open(self.fresh_path, "rb") as f:
                form, project, ninja, exact, groups, mtimes, absent = marshal.loads(f.read())
            if form != FRESH_FORMAT or project != self.project or ninja != _find_ninja(self.ninja):
                return False
            stat = os.stat
            for path, identity in exact:
                st = stat(path)
                if (st.st_mtime_ns, st.st_size, st.st_ino) != identity:
                    return False
            if _mtimes(groups) != mtimes:
                return False
            access, exists = os.access, os.F_OK
            for path in absent:
                if access(path, exists):
                    return False
            return True
        except Exception:  # OSError (a file gone), ValueError, EOFError, TypeError (a damaged record)
            return False

    def _record(self, ninja, env):
        """Write the record that :meth:`fresh` reads, after a successful build, under the lock.

        Only when a dry run (``ninja -n``) after the snapshot finds nothing to do, and
        nothing changed between the snapshot and the end of that dry run: an edit made
        during the build is either seen by ninja, or differs from the snapshot.
        """
        import marshal
        import time

        project = self.project
        logs = dict.fromkeys(os.path.join(project, folder, name)
                             for folder in ("", self.build_dir) for name in (".ninja_log", ".ninja_deps"))
        exact = [os.path.join(project, "build.ninja"), *logs, ninja]
        before = [_identity(path) for path in exact]
        nodes = self._graph(ninja, env, before[0])
        for path in logs:
            if path.endswith("deps"):
                nodes.update(os.path.join(project, node) for node in _deps_log_nodes(path))
        nodes = sorted(nodes.difference(exact))
        for _ in range(25):  # build.ninja must be older than the snapshot: an edit after it then shows
            os.utime(self.lock_path)
            if before[0] is None or before[0][0] < os.stat(self.lock_path).st_mtime_ns:
                break
            time.sleep(0.002)
        else:
            return
        snapshot = _snapshot(nodes)
        returncode, text = _read_all([ninja, "-C", project, "-n"], project, env)
        lines = [line for line in text.splitlines() if not line.startswith("ninja: Entering directory")]
        if returncode != 0 or lines != [_NO_WORK]:
            return
        if _snapshot(nodes) != snapshot or [_identity(path) for path in exact] != before:
            return  # something changed meanwhile: the next import runs ninja
        groups, mtimes, absent = snapshot
        absent.extend(path for path, identity in zip(exact, before) if identity is None)
        identities = tuple((path, identity) for path, identity in zip(exact, before) if identity)
        record = (FRESH_FORMAT, project, ninja, identities, groups, mtimes, tuple(absent))
        _write_atomically(self.fresh_path, marshal.dumps(record))

    def _graph(self, ninja, env, build_ninja):
        """Every node of build.ninja's graph that a build of its default targets looks at (a set of
        absolute paths): the outputs of all its statements, the inputs of the default targets and of
        build.ninja's regeneration; kept beside the record while build.ninja stays the same."""
        import marshal

        cache = os.path.join(self.project, self.build_dir, FRESH_NAME + "-graph")
        key = (FRESH_FORMAT, ninja, build_ninja)
        try:
            with open(cache, "rb") as f:
                cached_key, nodes = marshal.loads(f.read())
            if cached_key == key:
                return set(nodes)
        except Exception:
            pass
        nodes = set()
        for tool in (["targets", "all"], ["inputs"], ["inputs", "build.ninja"]):
            if tool[-1] == "build.ninja" and os.path.join(self.project, "build.ninja") not in nodes:
                continue  # a build.ninja that does not regenerate itself
            returncode, text = _read_all([ninja, "-C", self.project, "-t", *tool], self.project, env)
            if returncode != 0:
                raise OSError(f"ninja -t {' '.join(tool)} exited with {returncode}")
            for line in text.splitlines():
                if line and not line.startswith("ninja: "):  # Entering directory, a warning
                    path = line.rpartition(": ")[0] if tool[0] == "targets" else _unquote(line)
                    nodes.add(os.path.join(self.project, path))
        _write_atomically(cache, marshal.dumps((key, tuple(sorted(nodes)))))
        return nodes

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
        try:
            with _Lock(self.lock_path):
                _forget(self.fresh_path)  # whatever happens now, the old record is no longer the last build's
                returncode, output, held = self._run([ninja, "-C", self.project], env)
                why = _unusable_configurer(output, self.project) if returncode != 0 else None
                if why is not None:
                    failure = self._build_with_ninjagen(name, why, env, color)  # still under the lock
                else:
                    if returncode == 0 and not all(_quiet(line) for line in output):
                        self._summarize(env)  # still under the lock: the log is this build's
                    failure = self._outcome(name, f"ninja in {self.project}", returncode, output, held, color)
                if failure is None:
                    try:
                        self._record(ninja, env)  # still under the lock: no other loader builds meanwhile
                    except Exception:
                        pass  # no record: the next import runs ninja
                return failure
        except OSError as exc:
            return ImportError(f"ninjagen: cannot rebuild {name}: running {ninja} in {self.project} "
                               f"failed: {exc}", name=name)

    def _build_with_ninjagen(self, name, why, env, color):
        """What a regeneration step that cannot run says to do: ``ninjagen build`` with this Python,
        which configures again from this environment, and builds."""
        env = self._ninjagen_env(env)
        if env is None:
            return self._no_ninjagen(name, why)
        argv = [sys.executable, "-m", "ninjagen", "build", "-C", self.project]
        try:
            returncode, output, held = self._run(argv, env)
        except OSError as exc:
            return ImportError(f"ninjagen: cannot rebuild {name}: running {' '.join(argv)} failed: {exc}",
                               name=name)
        if returncode != 0 and any(line.rstrip().endswith(_NO_NINJAGEN) for line in output):
            return self._no_ninjagen(name, why)  # found here, but not by that Python
        return self._outcome(name, " ".join(argv), returncode, output, held, color,
                             compiler_first=any(line.startswith("FAILED: ") for line in held))

    def _ninjagen_env(self, env):
        """*env* for ``python -m ninjagen`` with this Python: the editable wheel's copy of ninjagen first
        where there is one, with its ninja first on PATH (the one that built: the same version); None
        when there is no ninjagen to run."""
        import importlib.util

        if self.support and os.path.isdir(os.path.join(self.support, "ninjagen")) and sys.executable:
            path, bin_dir = env.get("PYTHONPATH"), os.path.join(os.path.dirname(self.support), "bin")
            return {**env, "PYTHONPATH": self.support + (os.pathsep + path if path else ""),
                    "PATH": bin_dir + os.pathsep + env.get("PATH", os.defpath)}
        if not sys.executable or importlib.util.find_spec("ninjagen") is None:
            return None
        return env

    def _summarize(self, env):
        """After ninja compiled something: ninjagen's one-line summary of that build (``ninjagen report
        --summary``), where a ninjagen is there to say it; nothing otherwise."""
        env = self._ninjagen_env(env)
        if env is None:
            return
        try:
            lines, wait = _spawn([sys.executable, "-m", "ninjagen", "report", "--summary", "-C", self.project],
                                 self.project, env)
            with lines:
                text = lines.read().decode("utf-8", "replace")
            if wait() == 0 and text.startswith("ninjagen: "):
                _say(text)
        except OSError:
            pass

    def _outcome(self, name, what, returncode, output, held, color, compiler_first=False):
        """None when *what* built (caches refreshed if it did something), else the ImportError.

        The message leads with ninjagen's one-line error where there is one, unless
        *compiler_first*: the compiler's errors then say more than ninjagen's summary.
        """
        if returncode != 0:
            text = "".join(held)
            if color:
                import re

                text = re.sub("\x1b\\[[0-9;]*[mK]", "", text)
            message = f"ninjagen: rebuilding {name} failed ({what} exited with {returncode}):\n{text.rstrip()}"
            return ImportError(message if compiler_first else _failure(name, message), name=name)
        if not (len(output) == 1 and output[0].strip() == _NO_WORK):
            import importlib

            importlib.invalidate_caches()  # new files in folders whose listing may be cached
        return None

    def _no_ninjagen(self, name, why):
        """The ImportError when this environment has no ninjagen to configure the project again."""
        python = sys.executable or "this Python"
        return ImportError(
            f"ninjagen: cannot rebuild {name}: {why}, and this environment ({python}) has no ninjagen "
            f"to configure it again: run '{python} -m pip install ninjagen', or reinstall the project "
            f"(pip install -e {self.project})", name=name)

    def _run(self, argv, env):
        """Run *argv* (ninja, or ninjagen build), streaming its output to stderr as ninja's.

        Returns (exit status, its lines but ninja -C's first, the lines held back):
        ninjagen's own error lines and everything from the first ``FAILED:`` on are
        held for the ImportError.  Unless the loader is verbose, ninja -C's
        ``Entering directory`` is not shown, nor a no-op's ``no work to do``.
        """
        output, held, pending = [], [], []  # pending: quiet lines, shown only if a real step follows
        failed, showing = False, self.verbose
        lines, wait = _spawn(argv, self.project, env)
        with lines:
            for raw in lines:
                line = raw.decode("utf-8", "replace")
                if not output and line.startswith("ninja: Entering directory"):
                    if self.verbose:
                        _say(line)
                    continue  # ninja -C says where it works: we know
                output.append(line)
                failed = failed or line.startswith("FAILED: ")
                if failed or line.startswith(_ERROR):
                    held.append(line)
                elif showing:
                    _say(line)
                elif _quiet(line):
                    pending.append(line)
                else:
                    showing = True
                    _say("".join(pending) + line)
        return wait(), output, held


def install(project, build_dir, ninja, packages, rebuild=True, verbose=False, support=None):
    """Put the finder first on sys.meta_path (before the path finder that would find a stale module)."""
    finder = NinjagenEditableFinder(project, build_dir, ninja, packages, rebuild=rebuild, verbose=verbose,
                                    support=support)
    sys.meta_path.insert(0, finder)
    return finder
