"""Where compiles and links put their files in the build folder.

Objects go to ``<build>/<source path>.<tag>.o``: objects compiled with the
same settings (defines, include folders, extra compile arguments) have the same
tag, so a source several modules compile the same way compiles once, and the
objects of a source compiled two ways never share a name.  A tag in the name
rather than a folder per settings keeps object paths as deep as the sources':
ninja stats every object on every run, and each folder in a path costs the
kernel a lookup (one folder more in each object's path made a no-op of ten
thousand sources 5 to 7 % slower, with the same instructions).
"""

from __future__ import annotations

import hashlib
import json
import os
from typing import Any

__all__ = ["ObjectTags", "TAG_PATTERN", "kept_inside", "link_temp"]

#: a tag as object names hold it: six hex digits, ten for a settings digest whose first six another one has
TAG_PATTERN = r"[0-9a-f]{6}(?:[0-9a-f]{4})?"

_digests: dict[str, str] = {}  # the repr of some settings -> their digest (pure: shared by all configures)


def _digest(settings: Any) -> str:
    key = repr(settings)  # lists, tuples, dicts and strings: their repr tells them apart as their JSON does
    digest = _digests.get(key)
    if digest is None:
        digest = _digests[key] = hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()
    return digest


class ObjectTags:
    """The tags of one configure: six hex digits of the settings' digest, ten where two settings of this
    configure have the same first six (so two settings never share a tag)."""

    def __init__(self) -> None:
        self._owners: dict[str, str] = {}  # tag -> the digest it stands for

    def tag(self, settings: Any) -> str:
        """The tag for objects compiled with *settings* (JSON-able values)."""
        digest = _digest(settings)
        short = digest[:6]
        return short if self._owners.setdefault(short, digest) == digest else digest[:10]


def kept_inside(path: str) -> str:
    """*path* made relative, so that joined to a folder it stays inside it: no drive, no leading "/",
    and each ".." above the start is "__" ("" when nothing is left, as of "/")."""
    path = os.path.normpath(os.path.splitdrive(path)[1]).replace(os.sep, "/")
    if not path.startswith(("/", "../")) and path != "..":
        return path
    parts = [("__" if p == ".." else p) for p in path.split("/") if p]
    return os.path.join(*parts) if parts else ""


def link_temp(build_dir: str, output: str) -> str:
    """Where the link of *output* puts what it makes besides it (an import library, a ``.def`` file):
    the build folder's copy of the module's folder, so two modules never share one."""
    return os.path.normpath(os.path.join(build_dir, kept_inside(os.path.dirname(output) or ".")))
