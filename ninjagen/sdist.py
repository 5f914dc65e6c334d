"""The files an sdist carries, and the reproducible tarball that carries them.

Which files: in a git checkout, git's tracked files under the project folder that
exist on disk, less those with the ``export-ignore`` attribute, on the file or on
a folder above it (as ``git archive`` leaves them out); submodules are left out.
A checkout git cannot read (a broken ``.git``, "dubious ownership") is an error,
not a walk that would ship untracked files.  Elsewhere (git not installed, or
not in a work tree): every file under the project folder but
build outputs, environments and caches (:data:`PRUNED_FOLDERS`,
:data:`SKIPPED_FILES`, at any depth).  Either way, symlinks to files count as the
file, symlinked folders are not followed, and the tree's own ``PKG-INFO`` is
never carried (:func:`write_sdist` writes its own).

``[tool.ninjagen] sdist-include`` / ``sdist-exclude`` globs are relative to the
project folder and are matched as :func:`glob.glob` with ``recursive=True`` matches
them: ``*`` and ``?`` within one name, ``**`` across any number of folders, and
neither matches a name that starts with ``.`` (name it: ``.github/**``).  Only
files count.  Includes add files whatever the rules above say; excludes remove
files and win over includes.

The tarball: gzip'd pax tar, entries sorted, files only (no folder entries), owner
0/0 with empty names, mode 0o644 or 0o755 (executable by its owner), mtime
``SOURCE_DATE_EPOCH`` or else the file's own (PKG-INFO's: the newest file's); the
gzip header holds no file name and the same epoch (0 without ``SOURCE_DATE_EPOCH``),
so the same tree gives the same bytes.
"""

from __future__ import annotations

import fnmatch
import glob
import gzip
import io
import os
import re
import stat
import tarfile
from typing import Optional, Sequence

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from .atomic import atomic_path
from .errors import ConfigError, ProbeError
from .process import argument_chunks, run
from .source_date import source_date_epoch

__all__ = ["sdist_files", "write_sdist", "PRUNED_FOLDERS", "SKIPPED_FILES"]

#: folders the walk outside git never enters (fnmatch patterns on the folder's name)
PRUNED_FOLDERS = ("build", "dist", ".git", ".hg", ".svn", "__pycache__", "*.egg-info", ".venv", "venv", ".tox",
                  ".nox", ".pytest_cache", ".mypy_cache")
#: files the walk outside git leaves out: what a build, in place or not, writes into the tree
SKIPPED_FILES = ("build.ninja", "compile_commands.json", ".ninja_log", ".ninja_deps", "*.pyc", "*.pyo", "*.so",
                 "*.pyd", "*.dylib", "*.o", "*.obj", "*.a", "*.lib", "*.dll")

_GIT_ARGS_CHARS = 20000  # paths per check-attr call: well under Windows' 32K command line
_PROJECT_NAME = re.compile(r"^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$", re.I)


def sdist_files(root: str, *, include: Sequence[str] = (), exclude: Sequence[str] = ()) -> list[str]:
    """The project's files an sdist carries, relative POSIX paths, sorted."""
    root = os.path.abspath(root)
    tracked = _git_files(root)
    files = set(_walk_files(root) if tracked is None else tracked)
    for pattern in include:
        matched = _glob_files(root, pattern, "sdist-include")
        if not matched:
            raise ConfigError(f"[tool.ninjagen] sdist-include: {pattern!r} matches no file")
        files |= matched
    excluded_by = {}
    for pattern in exclude:
        for path in _glob_files(root, pattern, "sdist-exclude"):
            excluded_by.setdefault(path, pattern)
    files -= set(excluded_by)
    files.discard("PKG-INFO")
    if "pyproject.toml" not in files:
        raise ConfigError(_why_no_pyproject(root, excluded_by.get("pyproject.toml"), tracked is not None))
    return sorted(files)


def write_sdist(root: str, sdist_directory: str, *, name: str, version: str, pkg_info: str,
                include: Sequence[str] = (), exclude: Sequence[str] = ()) -> str:
    """Write <name>-<version>.tar.gz (name normalized as PEP 625 says) into sdist_directory; return its basename."""
    if not _PROJECT_NAME.match(name):
        raise ConfigError(f"project name {name!r} is not a valid name for a distribution")
    try:
        version = str(Version(version))
    except InvalidVersion:
        raise ConfigError(f"project version {version!r} is not a valid version") from None
    base = f"{canonicalize_name(name).replace('-', '_')}-{version}"
    filename = f"{base}.tar.gz"
    epoch = source_date_epoch()
    root = os.path.abspath(root)
    os.makedirs(sdist_directory, exist_ok=True)
    target = os.path.abspath(os.path.join(sdist_directory, filename))
    files = [f for f in sdist_files(root, include=include, exclude=exclude)
             if os.path.join(root, *f.split("/")) != target]  # an earlier run's tarball, in a folder we walk
    with atomic_path(target) as temp:
        with open(temp, "wb") as raw:
            _write_tar(raw, root, base, files, pkg_info.encode("utf-8"), epoch)
            raw.flush()
            os.fsync(raw.fileno())
    return filename


def _write_tar(raw, root: str, base: str, files: Sequence[str], pkg_info: bytes, epoch: Optional[int]) -> None:
    stats = {path: os.stat(os.path.join(root, *path.split("/"))) for path in files}
    # without SOURCE_DATE_EPOCH, PKG-INFO is as old as the newest file it was made beside
    pkg_info_mtime = epoch if epoch is not None else max((int(st.st_mtime) for st in stats.values()), default=0)
    entries = sorted([(f"{base}/{path}", path) for path in files] + [(f"{base}/PKG-INFO", None)])
    with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=epoch or 0) as gz:
        with tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar:
            for arcname, path in entries:
                if path is None:
                    tar.addfile(_tarinfo(arcname, len(pkg_info), pkg_info_mtime, 0o644), io.BytesIO(pkg_info))
                    continue
                st = stats[path]
                info = _tarinfo(arcname, st.st_size, epoch if epoch is not None else int(st.st_mtime),
                                0o755 if st.st_mode & stat.S_IXUSR else 0o644)
                with open(os.path.join(root, *path.split("/")), "rb") as f:
                    tar.addfile(info, f)


def _tarinfo(arcname: str, size: int, mtime: int, mode: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(arcname)
    info.size, info.mtime, info.mode, info.type = size, mtime, mode, tarfile.REGTYPE
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def _git(root: str, *args: str):
    return run(["git", "-C", root, *args], check=ProbeError, what="git")


def _git_files(root: str) -> Optional[list[str]]:
    """git's tracked files under *root* that exist on disk, less export-ignore; None outside a work tree."""
    try:
        probe = run(["git", "-C", root, "rev-parse", "--is-inside-work-tree"])
    except ProbeError:  # no git
        return None
    if probe.returncode != 0 or probe.stdout.strip() != "true":
        if _inside_git_folder(root):  # a checkout git cannot read (dubious ownership, a broken .git)
            reason = next((line for line in (probe.stderr or "").splitlines() if line.strip()), "not a work tree")
            raise ProbeError(f"{root} is in a git checkout, but git cannot list its files: {reason.strip()}")
        return None
    listed = _git(root, "ls-files", "-z", "--cached").stdout.split("\0")
    # a submodule, a symlinked folder and a file deleted from disk are not files here: left out
    tracked = {path for path in listed if path and os.path.isfile(os.path.join(root, *path.split("/")))}
    ignored = _export_ignored(root, tracked | {d for p in tracked for d in _parents(p)})
    return sorted(p for p in tracked if p not in ignored and ignored.isdisjoint(_parents(p)))


def _export_ignored(root: str, paths: set[str]) -> set[str]:
    """Those of *paths* (files and folders) whose export-ignore attribute is set."""
    ignored = set()
    for chunk in argument_chunks(sorted(paths), _GIT_ARGS_CHARS):
        fields = _git(root, "check-attr", "-z", "export-ignore", "--", *chunk).stdout.split("\0")
        ignored.update(fields[i] for i in range(0, len(fields) - 2, 3) if fields[i + 2] == "set")
    return ignored


def _parents(path: str) -> list[str]:
    """``a/b/c`` -> ``["a", "a/b"]``."""
    parts = path.split("/")[:-1]
    return ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]


def _inside_git_folder(root: str) -> bool:
    folder = root
    while True:
        if os.path.exists(os.path.join(folder, ".git")):
            return True
        parent = os.path.dirname(folder)
        if parent == folder:
            return False
        folder = parent


def _walk_files(root: str) -> list[str]:
    """Every file under *root* but build outputs and caches; symlinked folders are not followed."""
    found = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if not _matches_any(d, PRUNED_FOLDERS)]
        rel = os.path.relpath(folder, root)
        for name in names:
            if not _matches_any(name, SKIPPED_FILES) and os.path.isfile(os.path.join(folder, name)):
                found.append(name if rel == "." else f"{rel}/{name}".replace(os.sep, "/"))
    return sorted(found)


def _matches_any(name: str, patterns: Sequence[str]) -> bool:
    return any(fnmatch.fnmatch(name, pattern) for pattern in patterns)


def _glob_files(root: str, pattern: str, key: str) -> set[str]:
    """The files *pattern* matches under *root* (glob.glob, recursive), not through symlinked folders."""
    parts = pattern.replace("\\", "/").split("/")
    if pattern.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", pattern):
        raise ConfigError(f"[tool.ninjagen] {key}: {pattern!r} is absolute; globs are relative to the project folder")
    if ".." in parts:
        raise ConfigError(f"[tool.ninjagen] {key}: {pattern!r} has '..'; globs stay inside the project folder")
    found = set()
    for match in glob.glob(os.path.join(glob.escape(root), pattern), recursive=True):
        rel = os.path.relpath(match, root).replace(os.sep, "/")
        if os.path.isfile(match) and not any(os.path.islink(os.path.join(root, *p.split("/"))) for p in _parents(rel)):
            found.add(rel)
    return found


def _why_no_pyproject(root: str, excluded_by: Optional[str], in_git: bool) -> str:
    if excluded_by is not None:
        return f"[tool.ninjagen] sdist-exclude: {excluded_by!r} leaves out pyproject.toml, which an sdist must carry"
    if not os.path.isfile(os.path.join(root, "pyproject.toml")):
        return f"no pyproject.toml in {root}, and an sdist must carry one"
    if in_git and _export_ignored(root, {"pyproject.toml"}):
        return "pyproject.toml has the export-ignore attribute in .gitattributes, and an sdist must carry it"
    if in_git:
        return "pyproject.toml is not tracked by git, and an sdist must carry it: git add pyproject.toml"
    return "pyproject.toml is left out, and an sdist must carry it"
