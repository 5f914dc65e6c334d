"""Compiler launchers: ccache, sccache, distcc, icecc, ... in front of compile commands only.

A launcher runs the real compiler for ninja (caching it, or sending it to
another machine).  It belongs in front of *compiles*: a link through ccache is
an uncacheable call, and a link command that starts with the launcher word is
what broke setuptools (pypa/setuptools#4748, ``CC="ccache gcc"`` turning
``LDSHARED`` into ``ccache gcc -shared``).  The launcher comes from
``--launcher``, else ``NINJAGEN_LAUNCHER``, else ``[tool.ninjagen] launcher``;
the compile rules put it in front as ``$launcher``.  A launcher word that
arrives inside ``CC``/``CXX`` is left in the compile commands and taken off the
link commands.
"""

from __future__ import annotations

import os
import shlex
import shutil
from typing import Mapping, Optional, Sequence

from .errors import ConfigError

__all__ = ["KNOWN_LAUNCHERS", "CACHING_LAUNCHERS", "LAUNCHER_ENV", "is_launcher", "strip_launcher",
           "caching_launcher", "keys_by_working_folder", "resolve_launcher"]

#: programs that take a compiler command as their arguments
KNOWN_LAUNCHERS = ("ccache", "sccache", "distcc", "icecc", "buildcache")
#: the launchers among them that keep compiled objects in a cache
CACHING_LAUNCHERS = ("ccache", "sccache", "buildcache")
#: the caches among them that key an object by gcc's preprocessed output as gcc writes it, with the line
#: naming the working folder (sccache's preprocessor cache mode); ccache takes that line out itself
FOLDER_KEYED_CACHES = ("sccache",)
LAUNCHER_ENV = "NINJAGEN_LAUNCHER"
#: a value that asks for no launcher (overrides the environment and pyproject.toml)
NO_LAUNCHER = ("", "none")


def _program(word: str) -> str:
    """The program *word* names: ``/usr/bin/ccache`` and ``CCACHE.EXE`` are ``ccache``."""
    base = os.path.basename(word.replace("\\", "/")).lower()
    return base[:-4] if base.endswith(".exe") else base


def is_launcher(word: str) -> bool:
    """Whether *word* names one of the known launchers (a path to one counts)."""
    return _program(word) in KNOWN_LAUNCHERS


def keys_by_working_folder(words: Sequence[str]) -> bool:
    """Whether the launcher words *words* start with run a cache that the working folder's line would key."""
    found = caching_launcher(words)
    return found is not None and found[0] in FOLDER_KEYED_CACHES


def caching_launcher(words: Sequence[str]) -> Optional[tuple[str, str]]:
    """The first caching launcher among the launcher words *words* start with, as (name, word), or None.

    ``["/opt/bin/sccache", "gcc"]`` gives ``("sccache", "/opt/bin/sccache")``;
    ``["distcc", "gcc"]`` gives None.
    """
    for word in words:
        if not is_launcher(word):
            return None
        if _program(word) in CACHING_LAUNCHERS:
            return _program(word), word
    return None


def strip_launcher(words: Sequence[str]) -> list[str]:
    """*words* without the known launcher(s) they start with (``ccache gcc -shared`` -> ``gcc -shared``)."""
    words = list(words)
    while len(words) > 1 and is_launcher(words[0]):
        words = words[1:]
    return words


def resolve_launcher(requested: Optional[str], environ: Mapping[str, str], configured: Optional[str],
                     check: bool = True) -> list[str]:
    """The launcher's words: *requested* (``--launcher``), else ``$NINJAGEN_LAUNCHER``, else *configured*.

    ``none`` or an empty value means no launcher.  With *check*, the program
    must be on PATH (a missing one is a configure-time error, not a ninja
    failure on every compile).
    """
    if requested is not None:
        text, origin = requested, "--launcher"
    elif environ.get(LAUNCHER_ENV) is not None:
        text, origin = environ[LAUNCHER_ENV], LAUNCHER_ENV
    else:
        text, origin = configured or "", "[tool.ninjagen] launcher"
    if text.strip().lower() in NO_LAUNCHER:
        return []
    try:
        words = shlex.split(text)
    except ValueError as exc:
        raise ConfigError(f"{origin} {text!r}: {exc}") from None
    if check and shutil.which(words[0]) is None:
        known = ", ".join(KNOWN_LAUNCHERS)
        raise ConfigError(f"{origin}: launcher {words[0]!r} was not found on PATH (install it; known launchers: {known})")
    return words
