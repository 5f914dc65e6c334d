"""The only place that starts a compiler at configure time.

A compiler asks its questions (``has_function``, ``cl``'s ``/showIncludes``
prefix) as a :class:`Probe`: the files to write in a scratch folder and the
complete commands to run there, spelled by the compiler.  This module writes
the files, runs the commands and remembers the answer in the build folder,
keyed by those files and commands, so a reconfigure does not pay for them
again.  It knows no toolchain: no flag is spelled here.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from typing import Callable, Mapping, Optional, Sequence, TypeVar

from .atomic import atomic_write
from .errors import CompileError
from .process import run

__all__ = ["Probe", "run_command", "succeeds", "output", "CACHE_NAME"]

CACHE_NAME = "ninjagen-probes.json"

#: the scratch folder's name in cache keys, so that a key does not change from run to run
_KEY_FOLDER = "@probe"

T = TypeVar("T")


@dataclass(frozen=True)
class Probe:
    """Files to write in a fresh scratch folder, then commands to run one after the other."""

    files: Mapping[str, str]
    """File name in the scratch folder -> its text."""
    commands: Callable[[str], Sequence[Sequence[str]]]
    """The scratch folder -> the argv lists to run (no shell), from the project folder."""


def run_command(argv: list[str], cwd: str | None = None) -> str:
    """Run *argv* (no shell); return its output, or raise CompileError with command, status and output."""
    return run(argv, cwd=cwd, merge_output=True, check=CompileError, what="probe").stdout


def succeeds(probe: Probe, cache_dir: str, *, dry_run: bool = False) -> bool:
    """Whether every command of *probe* exits with status 0 (cached in *cache_dir*).

    A program that cannot be started at all is a :class:`ProbeError`, not False.
    """
    return bool(_cached(cache_dir, dry_run, ["succeeds", dict(probe.files), probe.commands(_KEY_FOLDER)],
                        lambda: _run(probe, lambda out, scratch: True) is not None))


def output(probe: Probe, cache_dir: str, read: Callable[[str, str], Optional[T]], *,
           dry_run: bool = False) -> Optional[T]:
    """``read(output of the last command, scratch folder)``, or None when a command fails (cached).

    *read* must return a JSON value: it is what the cache keeps.
    """
    return _cached(cache_dir, dry_run, ["output", dict(probe.files), probe.commands(_KEY_FOLDER)],  # type: ignore
                   lambda: _run(probe, read))


def _run(probe: Probe, read: Callable[[str, str], Optional[T]]) -> Optional[T]:
    import tempfile  # here: a configure that probes nothing does not import it

    with tempfile.TemporaryDirectory(prefix="ninjagen-probe-") as scratch:
        for name, text in probe.files.items():
            with open(os.path.join(scratch, name), "w", encoding="utf-8") as f:
                f.write(text)
        last = ""
        try:
            for argv in probe.commands(scratch):
                last = run_command(list(argv))
        except CompileError:
            return None
        return read(last, scratch)


def _load_cache(path: str) -> dict[str, object]:
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _cached(cache_dir: str, dry_run: bool, key_parts: list, compute: Callable[[], object]) -> object:
    """*compute()*, remembered in *cache_dir* under a hash of *key_parts* (not written on a dry run)."""
    key = hashlib.sha256(json.dumps(key_parts, sort_keys=True).encode()).hexdigest()
    cache_file = os.path.join(cache_dir, CACHE_NAME)
    cache = _load_cache(cache_file)
    if key in cache:
        return cache[key]
    value = compute()
    if not dry_run:
        cache[key] = value
        os.makedirs(cache_dir, exist_ok=True)
        atomic_write(cache_file, json.dumps(cache, indent=1, sort_keys=True) + "\n")
    return value
