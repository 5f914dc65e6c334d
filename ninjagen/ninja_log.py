"""ninja's build log (``.ninja_log``): which steps ran, when, and which of them the last build ran.

Each line of the log (versions 5 to 7, written by ninja 1.10 to 1.13) is one
output: start and end in milliseconds since that ninja process started, the
output's mtime, its path and a hash of the command.  An edge with several
outputs writes one line each, with the same times and hash.  The log only
grows between recompactions, so the steps of one ninja run are one stretch of
lines whose end times never go down; the next run starts again near zero.

The last build is found two ways: exactly, from a :class:`LogMark` (the log's
inode and size before a build that ninjagen ran, saved with it), or, for a
plain ``ninja``, as the last such stretch.  A recompaction rewrites the whole
log in no useful order before the run's own lines; without a mark the first
lines of a stretch may then be older entries, which the report says nothing
wrong about beyond their times.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from typing import Optional, Sequence

from .errors import NinjagenError

__all__ = ["LOG_NAME", "LogEntry", "LogMark", "Step", "read_log", "mark_of", "runs", "last_run", "steps_of"]

LOG_NAME = ".ninja_log"
_HEADER = "# ninja log v"
#: the log versions whose lines this reader knows: ninja 1.10-1.11 write 5, 1.12 writes 6, 1.13 writes 7
KNOWN_VERSIONS = (5, 6, 7)


@dataclass(frozen=True)
class LogEntry:
    start_ms: int
    end_ms: int
    mtime: int
    output: str
    command_hash: str
    offset: int
    """Where the line starts in the file: entries at or after a mark's size came after it."""


@dataclass(frozen=True)
class LogMark:
    """The log as it was before a build: a build appends its lines after *size* unless it recompacted
    the log first, which writes a new file (a new inode)."""

    inode: int
    size: int


@dataclass(frozen=True)
class Step:
    """One edge that ran: its outputs (in log order), times in seconds since that ninja started."""

    outputs: tuple[str, ...]
    start: float
    end: float

    @property
    def output(self) -> str:
        return self.outputs[0]

    @property
    def duration(self) -> float:
        return self.end - self.start


def mark_of(log_path: str) -> Optional[LogMark]:
    """The log's mark now, or None when there is no log yet."""
    try:
        st = os.stat(log_path)
    except OSError:
        return None
    return LogMark(st.st_ino, st.st_size)


def read_log(log_path: str) -> list[LogEntry]:
    """The log's entries in file order; an absent log has none.  A log of another version is an error."""
    try:
        with open(log_path, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise NinjagenError(f"cannot read {log_path}: {exc.strerror}") from None
    first, _, _ = data.partition(b"\n")
    header = first.decode("utf-8", "replace").strip()
    if not header.startswith(_HEADER) or not header[len(_HEADER):].isdigit():
        raise NinjagenError(f"{log_path} is not a ninja build log (its first line is {header[:40]!r})")
    version = int(header[len(_HEADER):])
    if version not in KNOWN_VERSIONS:
        raise NinjagenError(f"{log_path} is a ninja log of version {version}; ninjagen reads versions "
                            f"{KNOWN_VERSIONS[0]} to {KNOWN_VERSIONS[-1]} (ninja 1.10 to 1.13)")
    entries = []
    offset = len(first) + 1
    for line in data[offset:].split(b"\n"):
        fields = line.split(b"\t")
        if len(fields) == 5:  # a line cut short by an interrupted ninja is skipped, as ninja does
            try:
                entries.append(LogEntry(int(fields[0]), int(fields[1]), int(fields[2]),
                                        fields[3].decode("utf-8", "surrogateescape"),
                                        fields[4].decode("ascii", "replace"), offset))
            except ValueError:
                pass
        offset += len(line) + 1
    return entries


def runs(entries: Sequence[LogEntry], mark: Optional[LogMark] = None, inode: Optional[int] = None,
         manifest: Optional[str] = None) -> list[list[LogEntry]]:
    """*entries* cut into ninja runs: where an end time goes down, and at *mark* when it is this log's.

    A ninja that regenerated *manifest* (build.ninja) reads it again and starts
    its clock again: the regeneration's lines are joined to the run after them,
    whose times are moved to follow it.
    """
    cut_at = mark.size if mark is not None and inode is not None and mark.inode == inode else None
    result: list[list[LogEntry]] = []
    previous_end = None
    previous = None
    for entry in entries:
        new_run = previous_end is None or entry.end_ms < previous_end
        if manifest and entry.output == manifest and not _same_edge(previous, entry):
            new_run = True  # ninja regenerates build.ninja before anything else it runs
        if cut_at is not None and entry.offset >= cut_at:
            new_run, cut_at = True, None
        if new_run:
            result.append([])
        result[-1].append(entry)
        previous_end, previous = entry.end_ms, entry
    return _joined_after_regeneration(result, manifest) if manifest else result


def _same_edge(a: Optional[LogEntry], b: LogEntry) -> bool:
    return a is not None and (a.start_ms, a.end_ms, a.command_hash) == (b.start_ms, b.end_ms, b.command_hash)


def _joined_after_regeneration(found: list[list[LogEntry]], manifest: str) -> list[list[LogEntry]]:
    joined: list[list[LogEntry]] = []
    carried: list[LogEntry] = []
    for run in found:
        if carried:
            shift = max(e.end_ms for e in carried)
            run = carried + [replace(e, start_ms=e.start_ms + shift, end_ms=e.end_ms + shift) for e in run]
            carried = []
        regeneration = {e.command_hash for e in run if e.output == manifest}
        if regeneration and all(e.command_hash in regeneration for e in run):
            carried = run  # only build.ninja (and what its edge writes beside it) ran
        else:
            joined.append(run)
    return joined + [carried] if carried else joined


def last_run(log_path: str, mark: Optional[LogMark] = None, manifest: Optional[str] = None) -> list[LogEntry]:
    """The entries of the last ninja run that ran anything (see the module's docstring)."""
    entries = read_log(log_path)
    now = mark_of(log_path)
    found = runs(entries, mark, now.inode if now else None, manifest)
    return found[-1] if found else []


def steps_of(entries: Sequence[LogEntry]) -> list[Step]:
    """One :class:`Step` per edge: the lines of an edge with several outputs come together, with the
    same times and command hash.  Times become seconds."""
    steps: list[Step] = []
    key: tuple = ()
    outputs: list[str] = []
    for entry in entries:
        this = (entry.start_ms, entry.end_ms, entry.command_hash)
        if this != key:
            if outputs:
                steps.append(Step(tuple(outputs), key[0] / 1000, key[1] / 1000))
            key, outputs = this, []
        outputs.append(entry.output)
    if outputs:
        steps.append(Step(tuple(outputs), key[0] / 1000, key[1] / 1000))
    return steps
