"""Writing files so that nobody ever sees half of one.

Text goes to a temporary file beside the target, is flushed to disk, and is
renamed over the target in one step.  A writer killed before the rename leaves
only its temporary file, named with its process id; the next writer of the
same file removes the temporaries of writers that are gone.
"""

from __future__ import annotations

import contextlib
import glob
import os
import time
from typing import Iterator, Union

__all__ = ["atomic_write", "atomic_path", "remove_stale_temporaries"]

_STALE_AFTER = 3600.0  # seconds; only where a process id cannot be checked


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _temporary_name(path: str) -> str:
    directory, base = os.path.split(path)
    return os.path.join(directory, f".{base}.{os.getpid()}.{time.monotonic_ns()}.tmp")


def _writer_is_gone(temp: str) -> bool:
    try:
        pid = int(os.path.basename(temp).split(".")[-3])
    except (IndexError, ValueError):
        return False
    if os.name != "posix":
        try:
            return time.time() - os.path.getmtime(temp) > _STALE_AFTER
        except OSError:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


def remove_stale_temporaries(path: str) -> None:
    """Remove temporaries of *path* left by writers that were killed."""
    directory, base = os.path.split(path)
    for temp in glob.glob(os.path.join(glob.escape(directory or "."), f".{glob.escape(base)}.*.tmp")):
        if _writer_is_gone(temp):
            try:
                os.unlink(temp)
            except OSError:
                pass


def atomic_write(path: Union[str, "os.PathLike[str]"], text: str) -> None:
    """Write *text* (UTF-8, LF line ends) to *path* through a temporary file and a rename."""
    with atomic_path(path) as temp:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666 & ~_umask())
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())


@contextlib.contextmanager
def atomic_path(path: Union[str, "os.PathLike[str]"]) -> Iterator[str]:
    """A temporary name beside *path* to write a file under (a zip, a tarball); renamed to *path* when
    the block ends without an error, removed when it raises."""
    path = os.fspath(path)
    remove_stale_temporaries(path)
    temp = _temporary_name(path)
    try:
        yield temp
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise
