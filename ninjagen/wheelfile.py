"""A wheel file (PEP 427), written so that the same files give the same bytes.

Entries are stored in a fixed order (the payload sorted, then ``.dist-info``
with ``RECORD`` last), with permissions normalized (0644, or 0755 for an
executable) and every timestamp from ``SOURCE_DATE_EPOCH`` when it is set (else
the file's own), so that two builds of the same sources in two folders give
byte-identical wheels.  ``RECORD`` lists every file with its sha256.  The wheel
is written under a temporary name and moved into place: a failed build leaves
no half-written wheel.
"""

from __future__ import annotations

import base64
import hashlib
import os
import stat
import time
import zipfile
from typing import Optional

from . import __version__
from .atomic import atomic_path
from .source_date import source_date_epoch

__all__ = ["WheelWriter"]

_ZIP_EPOCH = 315532800  # 1980-01-01: the earliest time a zip entry can carry


def _record_hash(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


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

    def write(self, wheel_directory: str) -> str:
        """Write the wheel into *wheel_directory*; return its file name."""
        self.add_metadata("WHEEL", self._wheel_file(self.tag.endswith("-none-any")))
        epoch = source_date_epoch()
        epoch = None if epoch is None else max(epoch, _ZIP_EPOCH)
        record_name = f"{self.dist_info}/RECORD"
        payload = sorted(n for n in self._files if not n.startswith(self.dist_info + "/"))
        metadata = sorted(n for n in self._files if n.startswith(self.dist_info + "/") and n != record_name)
        records = []
        destination = os.path.join(wheel_directory, self.basename)
        os.makedirs(wheel_directory, exist_ok=True)
        with atomic_path(destination) as temporary:
            with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED) as zf:
                for arcname in payload + metadata:
                    path, data = self._files[arcname]
                    mode = 0o644
                    mtime = epoch
                    if path is not None:
                        info = os.stat(path)
                        with open(path, "rb") as f:
                            data = f.read()
                        if info.st_mode & stat.S_IXUSR:
                            mode = 0o755
                        if mtime is None:
                            mtime = max(int(info.st_mtime), _ZIP_EPOCH)
                    assert data is not None
                    self._store(zf, arcname, data, mode, mtime)
                    records.append(f"{arcname},{_record_hash(data)},{len(data)}")
                records.append(f"{record_name},,")
                self._store(zf, record_name, ("\n".join(records) + "\n").encode(), 0o644, epoch)
        return self.basename

    @staticmethod
    def _store(zf: zipfile.ZipFile, arcname: str, data: bytes, mode: int, mtime: Optional[int]) -> None:
        when = time.gmtime(mtime if mtime is not None else time.time())[:6]
        info = zipfile.ZipInfo(arcname, date_time=when)  # type: ignore[arg-type]
        info.external_attr = (stat.S_IFREG | mode) << 16
        info.compress_type = zipfile.ZIP_DEFLATED
        info.create_system = 3  # Unix: the permissions above are read back
        zf.writestr(info, data)
