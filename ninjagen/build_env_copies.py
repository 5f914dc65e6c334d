"""Folders of an isolated build environment that recorded commands name, copied into the build folder.

A setup.py whose build_ext adds a helper package's headers (``pybind11.get_include()``,
``numpy.get_include()``, cppy's) under pip's build isolation names a folder of a
temporary environment: ``/tmp/pip-build-env-*/overlay/.../site-packages/pybind11/include``
(build's venvs are in the temporary folder too, uv's in ``.tmp*`` folders of its
cache).  It is another folder for every build, so every command would change and
every ``pip install -e .`` compile everything again.  Each such folder is copied
to ``<build folder>/build-env/<its path inside site-packages>`` -- a file written
only when its bytes changed, so that ninja sees a header change exactly when
there is one -- and the commands name the copy.
"""

from __future__ import annotations

import os
import re
import tempfile
from typing import Any

__all__ = ["copy_build_env_folders", "moved", "sync_tree"]

_SITE = re.compile(r"^(?P<site>.*?[/\\](?:site|dist)-packages)[/\\](?P<inside>[^\s'\"]+)")


def moved(value: Any, old: str, new: str) -> Any:
    """*value* (recorded calls: lists, dicts, strings) with the folder *old* replaced by *new* in every path.

    Also the drop-in's: an editable build's build_temp is a temporary folder that
    is gone after the install (build_clib's archives, the ``-L`` that finds them,
    the compiler state naming them would change with every install, and so
    rebuild everything); they move into the lasting build folder.
    """
    if isinstance(value, str):  # a path, or a word that holds one (-L/tmp/x.build-temp)
        return re.sub(re.escape(old) + r"(?=[/\\]|$)", lambda _: new, value)
    if isinstance(value, list):
        return [moved(v, old, new) for v in value]
    if isinstance(value, dict):
        return {k: moved(v, old, new) for k, v in value.items()}
    return value


def _throwaway(path: str) -> bool:
    """A folder of a build environment made for one build (pip's, build's, uv's)."""
    temp = os.path.join(os.path.realpath(tempfile.gettempdir()), "")
    real = os.path.realpath(path)
    return real.startswith(temp) or any(part.startswith((".tmp", "pip-build-env-", "build-env-"))
                                        for part in real.split(os.sep))


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    return []


def sync_tree(source: str, dest: str) -> None:
    """Copy the tree *source* to *dest*, writing a file only where its bytes differ."""
    for dirpath, dirnames, files in os.walk(source):
        dirnames[:] = [d for d in dirnames if d != "__pycache__"]
        target = os.path.join(dest, os.path.relpath(dirpath, source))
        os.makedirs(target, exist_ok=True)
        for name in files:
            src, dst = os.path.join(dirpath, name), os.path.join(target, name)
            with open(src, "rb") as f:
                data = f.read()
            try:
                with open(dst, "rb") as f:
                    if f.read() == data:
                        continue
            except OSError:
                pass
            with open(dst, "wb") as f:
                f.write(data)


def copy_build_env_folders(calls: list, build_dir: str) -> tuple[list, list[str]]:
    """*calls* naming copies under *build_dir* instead of throw-away build-environment folders; the copied ones."""
    folders: dict[str, str] = {}  # the folder named -> its copy
    for text in _strings(calls):
        for word in text.split():
            word = word[2:] if word.startswith(("-I", "-L")) else word
            match = _SITE.match(word)
            if not match or not os.path.isdir(word) or not _throwaway(word):
                continue
            folders.setdefault(os.path.normpath(word),
                               os.path.join(build_dir, "build-env", os.path.normpath(match.group("inside"))))
    for folder, copy in sorted(folders.items(), key=lambda item: -len(item[0])):
        sync_tree(folder, copy)
        calls = moved(calls, folder, copy)
    return calls, sorted(os.path.relpath(c, os.path.join(build_dir, "build-env")) for c in folders.values())
