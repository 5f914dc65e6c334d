"""A wheel file (PEP 427), written so that the same files give the same bytes.

Entries are stored in a fixed order (the payload sorted, then ``.dist-info``
with ``RECORD`` last), with permissions normalized (0644, or 0755 for an
executable) and every timestamp from ``SOURCE_DATE_EPOCH`` when it is set (else
the file's own), so that two builds of the same sources in two folders give
byte-identical wheels.  ``RECORD`` lists every file with its sha256.  The wheel
is written under a temporary name and moved into place: a failed build leaves
no half-written wheel.  Given a lasting build folder, the last wheel stays there
with a digest of what its bytes come from, and a wheel of the same files is that
copy: compressing megabytes of modules again was most of a ``pip wheel .`` that
had nothing to compile.
"""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
import stat
import time
import zipfile
from typing import Optional

from . import __version__
from .atomic import atomic_path, atomic_write
from .source_date import source_date_epoch

__all__ = ["WheelWriter"]

_ZIP_EPOCH = 315532800  # 1980-01-01: the earliest time a zip entry can carry


def _record_hash(data: bytes) -> str:
    """RECORD's digest of *data* (after ``sha256=``): urlsafe base64 without padding."""
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def _bytes(path: str) -> bytes:
    with open(path, "rb") as f:
        return f.read()


def _read(path: str) -> Optional[str]:
    try:
        with open(path, encoding="ascii") as f:
            return f.read()
    except (OSError, ValueError):
        return None


class WheelWriter:
    """Collect a wheel's files, then :meth:`write` it."""

    def __init__(self, distribution: str, version: str, tag: str) -> None:
        self.basename = f"{distribution}-{version}-{tag}.whl"
        self.dist_info = f"{distribution}-{version}.dist-info"
        self.tag = tag
        self._files: dict[str, tuple[Optional[str], Optional[bytes]]] = {}  # arcname -> (path, data)

    def add_file(self, arcname: str, path: str) -> None:
        """The file at *path*, stored as *arcname* (POSIX, relative); the last one given for a name wins."""
        self._files[arcname] = (path, None)

    def add_bytes(self, arcname: str, data: bytes) -> None:
        self._files[arcname] = (None, data)

    def add_metadata(self, name: str, data: bytes) -> None:
        self.add_bytes(f"{self.dist_info}/{name}", data)

    def _wheel_file(self, root_is_purelib: bool) -> bytes:
        return (f"Wheel-Version: 1.0\nGenerator: ninjagen {__version__}\n"
                f"Root-Is-Purelib: {'true' if root_is_purelib else 'false'}\nTag: {self.tag}\n").encode()

    def write(self, wheel_directory: str, keep_in: Optional[str] = None) -> str:
        """Write the wheel into *wheel_directory*; return its file name.

        With *keep_in* (a lasting build folder), a copy of the wheel stays there
        beside a digest of everything its bytes come from (names, contents,
        modes, timestamps); when the next wheel's digest is the same, that copy
        is the wheel, and nothing is compressed again.
        """
        self.add_metadata("WHEEL", self._wheel_file(self.tag.endswith("-none-any")))
        epoch = source_date_epoch()
        epoch = None if epoch is None else max(epoch, _ZIP_EPOCH)
        record_name = f"{self.dist_info}/RECORD"
        payload = sorted(n for n in self._files if not n.startswith(self.dist_info + "/"))
        metadata = sorted(n for n in self._files if n.startswith(self.dist_info + "/") and n != record_name)
        entries = [(arcname, *self._entry(arcname, epoch)) for arcname in payload + metadata]
        digest = hashlib.sha256(repr([(a, mode, mtime, h, size) for a, _, mode, mtime, h, size in entries]).encode()
                                + repr((self.basename, epoch)).encode()).hexdigest()
        destination = os.path.join(wheel_directory, self.basename)
        os.makedirs(wheel_directory, exist_ok=True)
        kept = os.path.join(keep_in, self.basename) if keep_in else None
        if kept and _read(kept + ".digest") == digest and os.path.isfile(kept):
            with atomic_path(destination) as temporary:
                shutil.copyfile(kept, temporary)
            return self.basename
        with atomic_path(destination) as temporary:
            with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED) as zf:
                for arcname, path, mode, mtime, _, _ in entries:
                    data = self._files[arcname][1] if path is None else _bytes(path)
                    self._store(zf, arcname, data, mode, mtime)
                records = [f"{a},sha256={h},{size}" for a, _, _, _, h, size in entries] + [f"{record_name},,"]
                self._store(zf, record_name, ("\n".join(records) + "\n").encode(), 0o644, epoch)
        if kept:
            with atomic_path(kept) as temporary:
                shutil.copyfile(destination, temporary)
            atomic_write(kept + ".digest", digest)
        return self.basename

    def _entry(self, arcname: str, epoch: Optional[int]) -> tuple[Optional[str], int, Optional[int], str, int]:
        """(path, mode, mtime, RECORD's hash, size) of one entry."""
        path, data = self._files[arcname]
        mode, mtime = 0o644, epoch
        if path is not None:
            info = os.stat(path)
            data = _bytes(path)
            if info.st_mode & stat.S_IXUSR:
                mode = 0o755
            if mtime is None:
                mtime = max(int(info.st_mtime), _ZIP_EPOCH)
        assert data is not None
        return path, mode, mtime, _record_hash(data), len(data)

    @staticmethod
    def _store(zf: zipfile.ZipFile, arcname: str, data: bytes, mode: int, mtime: Optional[int]) -> None:
        when = time.gmtime(mtime if mtime is not None else time.time())[:6]
        info = zipfile.ZipInfo(arcname, date_time=when)  # type: ignore[arg-type]
        info.external_attr = (stat.S_IFREG | mode) << 16
        info.compress_type = zipfile.ZIP_DEFLATED
        info.create_system = 3  # Unix: the permissions above are read back
        zf.writestr(info, data)
