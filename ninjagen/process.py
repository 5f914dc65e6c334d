"""The one way ninjagen starts a process: no shell, and a failure that shows what ran.

Everything ninjagen runs (ninja, a target interpreter asked for its sysconfig,
a setup.py in its own process, a configure-time probe) goes through :func:`run`.
A program that cannot be started raises :class:`ProbeError`; with ``check``, a
non-zero exit raises the given error with the command, the exit status and the
output.
"""

from __future__ import annotations

import subprocess
from typing import Iterator, Mapping, Optional, Sequence, Type

from .errors import NinjagenError, ProbeError
from .quoting import host_join

__all__ = ["run", "argument_chunks"]


def run(argv: Sequence[str], *, cwd: Optional[str] = None, env: Optional[Mapping[str, str]] = None,
        capture: bool = True, merge_output: bool = False, timeout: Optional[float] = None,
        check: Optional[Type[NinjagenError]] = None, what: str = "") -> subprocess.CompletedProcess:
    """Run *argv*; its output captured as text unless *capture* is false (then it streams through).

    *merge_output* sends stderr into stdout.  With *check*, a non-zero exit raises
    ``check(...)`` naming *what* (default: the program), the command, the status
    and the output.
    """
    pipe = subprocess.PIPE if capture else None
    try:
        proc = subprocess.run(list(argv), cwd=cwd, env=None if env is None else dict(env), text=True,
                              stdin=subprocess.DEVNULL, stdout=pipe,
                              stderr=subprocess.STDOUT if capture and merge_output else pipe, timeout=timeout)
    except FileNotFoundError:
        raise ProbeError(f"cannot run {argv[0]!r}: not found on PATH") from None
    except subprocess.TimeoutExpired:
        raise ProbeError(f"{what or argv[0]}: {host_join(argv)} did not finish within {timeout:g} s") from None
    except OSError as exc:
        raise ProbeError(f"cannot run {argv[0]!r}: {exc.strerror}") from None
    if check is not None and proc.returncode != 0:
        output = "\n".join(part.strip() for part in (proc.stdout, proc.stderr) if part and part.strip())
        raise check(f"{what or argv[0]}: {host_join(argv)} exited with status {proc.returncode}"
                    + (f"\n{output}" if output else ""))
    return proc


def argument_chunks(items: Sequence[str], chars: int) -> Iterator[list[str]]:
    """*items* in runs of about *chars* characters: the arguments of command lines that fit
    (Windows' CreateProcess takes 32K characters)."""
    chunk: list[str] = []
    size = 0
    for item in items:
        if chunk and size + len(item) > chars:
            yield chunk
            chunk, size = [], 0
        chunk.append(item)
        size += len(item) + 1
    if chunk:
        yield chunk
