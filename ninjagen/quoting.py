"""The only home of escaping.

Two layers stand between an argument and the program that receives it:

* the command line: on POSIX ninja runs ``/bin/sh -c COMMAND``, so every
  argument is quoted for sh (:func:`sh_join`); on Windows ninja calls
  CreateProcess, and the program's C runtime splits the line again
  (:func:`msvc_join`, the rules of ``CommandLineToArgvW``);
* the ninja file: ``$`` starts a variable, and inside paths of a ``build``
  line a space or a colon ends the path (:func:`ninja_text`, :func:`ninja_path`).

Each function does one pass; callers never chain escapes of the same layer.
"""

from __future__ import annotations

import os
import re
import shlex
from typing import Iterable

from .errors import ConfigError

__all__ = [
    "sh_quote",
    "sh_join",
    "msvc_quote",
    "msvc_join",
    "msvc_split",
    "host_join",
    "ninja_text",
    "ninja_path",
]

_SH_SAFE = re.compile(r"[\w@%+=:,./-]+", re.ASCII)


def sh_quote(arg: str) -> str:
    """Quote *arg* for POSIX sh; plain words stay as they are."""
    if _SH_SAFE.fullmatch(arg):
        return arg
    return shlex.quote(arg)


def sh_join(args: Iterable[str]) -> str:
    """Join arguments into one sh command line that yields them unchanged."""
    return " ".join(sh_quote(a) for a in args)


def msvc_quote(arg: str) -> str:
    """Quote *arg* so that the MSVC C runtime parses it back unchanged.

    Backslashes are literal except before a double quote; an argument is
    wrapped in quotes when it is empty or holds white space or a quote.
    """
    if arg and not re.search(r'[\s"]', arg):
        return arg
    out = ['"']
    backslashes = 0
    for ch in arg:
        if ch == "\\":
            backslashes += 1
            continue
        if ch == '"':
            out.append("\\" * (2 * backslashes + 1) + '"')
        else:
            out.append("\\" * backslashes + ch)
        backslashes = 0
    out.append("\\" * (2 * backslashes) + '"')
    return "".join(out)


def msvc_join(args: Iterable[str]) -> str:
    """Join arguments into one Windows command line (no shell involved)."""
    return " ".join(msvc_quote(a) for a in args)


def msvc_split(line: str) -> list[str]:
    """Split a command line by the ``CommandLineToArgvW`` rules (post-2008 CRT).

    Used to prove :func:`msvc_join` right where no Windows program can run.
    """
    args: list[str] = []
    i, n = 0, len(line)
    while True:
        while i < n and line[i] in " \t":
            i += 1
        if i >= n:
            return args
        cur: list[str] = []
        in_quotes = False
        while i < n and (in_quotes or line[i] not in " \t"):
            backslashes = 0
            while i < n and line[i] == "\\":
                backslashes += 1
                i += 1
            if i < n and line[i] == '"':
                cur.append("\\" * (backslashes // 2))
                if backslashes % 2:
                    cur.append('"')
                elif in_quotes and i + 1 < n and line[i + 1] == '"':
                    cur.append('"')
                    i += 1
                else:
                    in_quotes = not in_quotes
                i += 1
            else:
                cur.append("\\" * backslashes)
                if i < n and (in_quotes or line[i] not in " \t"):
                    cur.append(line[i])
                    i += 1
        args.append("".join(cur))


def host_join(args: Iterable[str]) -> str:
    """Join a command that ninja runs on this machine (the regeneration rule)."""
    return msvc_join(args) if os.name == "nt" else sh_join(args)


def _reject_line_breaks(text: str, what: str) -> None:
    if "\n" in text or "\r" in text:
        raise ConfigError(f"{what} {text!r} contains a line break, which a ninja file cannot hold")


def ninja_text(text: str, what: str = "value") -> str:
    """Escape *text* for a ninja variable value or command: ``$`` -> ``$$``.

    A leading space would be dropped by ninja's parser, so it is escaped too.
    """
    _reject_line_breaks(text, what)
    escaped = text.replace("$", "$$")
    if escaped.startswith(" "):
        escaped = "$" + escaped
    return escaped


def ninja_path(path: str) -> str:
    """Escape *path* for the output or input list of a ``build`` line."""
    if "\n" in path or "\r" in path or "|" in path or "\t" in path:  # tested at once: most paths have none
        _reject_line_breaks(path, "path")
        if "|" in path:
            raise ConfigError(f"path {path!r} contains '|', which a ninja build line cannot hold")
        raise ConfigError(f"path {path!r} contains a tab, which ninja's build log cannot hold")
    if "$" in path or " " in path or ":" in path:
        return path.replace("$", "$$").replace(" ", "$ ").replace(":", "$:")
    return path
