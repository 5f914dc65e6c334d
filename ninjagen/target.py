"""Target: the Python (and so the platform) a build is for.

Everything that depends on the target comes from here, never from the running
interpreter's ``sys``/``sysconfig``: ``--python`` may name another interpreter,
and a Windows CPython tree may be described on Linux.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Optional

from . import _pyinfo
from .errors import ConfigError

__all__ = ["Target"]


@dataclass(frozen=True)
class Target:
    """A frozen description of the Python that extension modules are built for."""

    python: str
    """Path of the target interpreter."""
    version: tuple[int, int]
    platform: str
    """``sysconfig.get_platform()`` of the target, e.g. ``linux-x86_64``."""
    sys_platform: str
    """``sys.platform`` of the target: ``linux``, ``darwin``, ``win32``, ``cygwin``."""
    os_name: str
    include_dirs: tuple[str, ...]
    library_dirs: tuple[str, ...] = ()
    base_prefix: str = ""
    config: Mapping[str, Any] = field(default_factory=dict, hash=False)
    """The target's sysconfig variables that builds use (CC, CFLAGS, EXT_SUFFIX, ...)."""
    sysconfig_file: Optional[str] = None
    """The file the target's sysconfig came from: a change means reconfigure."""

    # ---------------------------------------------------------------- construct
    @classmethod
    def from_description(cls, info: Mapping[str, Any]) -> "Target":
        include_dirs: list[str] = []
        for d in (info.get("include"), info.get("platinclude")):
            if d and d not in include_dirs:
                include_dirs.append(d)
        library_dirs: tuple[str, ...] = ()
        if info["os_name"] == "nt":
            library_dirs = (os.path.join(info["base_prefix"], "libs"),)
        return cls(
            python=info["python"],
            version=(int(info["version"][0]), int(info["version"][1])),
            platform=info["platform"],
            sys_platform=info["sys_platform"],
            os_name=info["os_name"],
            include_dirs=tuple(include_dirs),
            library_dirs=library_dirs,
            base_prefix=info.get("base_prefix", ""),
            config=dict(info.get("config", {})),
            sysconfig_file=info.get("sysconfig_file"),
        )

    @classmethod
    def current(cls) -> "Target":
        """The running interpreter, described without starting a process."""
        return cls.from_description(_pyinfo.describe())

    @classmethod
    def from_interpreter(cls, python: str) -> "Target":
        """Ask the interpreter at *python* for its sysconfig."""
        exe = Path(python)
        if not exe.exists():
            raise ConfigError(f"--python {python}: no such file")
        if os.path.realpath(python) == os.path.realpath(sys.executable):
            return cls.current()
        try:
            proc = subprocess.run(
                [str(exe), "-I", _pyinfo.__file__],
                capture_output=True, text=True, timeout=60,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise ConfigError(f"--python {python}: cannot run it ({exc})") from None
        if proc.returncode != 0:
            last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
            raise ConfigError(f"--python {python}: not a usable Python interpreter ({last})")
        try:
            info = json.loads(proc.stdout)
        except ValueError:
            raise ConfigError(f"--python {python}: not a Python interpreter (it printed no description)") from None
        return cls.from_description(info)

    # ------------------------------------------------------------------ derived
    def var(self, name: str, default: Any = "") -> Any:
        value = self.config.get(name)
        return default if value is None else value

    @property
    def ext_suffix(self) -> str:
        return self.var("EXT_SUFFIX") or (".pyd" if self.os_name == "nt" else ".so")

    @property
    def abi3_suffix(self) -> str:
        """Suffix of a limited-API module: ``.abi3.so`` on POSIX, ``.pyd`` on Windows."""
        if self.os_name == "nt":
            return ".pyd"
        return ".abi3" + (self.var("SHLIB_SUFFIX") or ".so")

    @property
    def free_threaded(self) -> bool:
        return bool(self.var("Py_GIL_DISABLED", 0))

    def check_headers(self, label: str = "") -> None:
        """Fail clearly when the target Python has no development headers.

        *label* names the Python as the user did (``--python PATH``).
        """
        for d in self.include_dirs:
            if os.path.isfile(os.path.join(d, "Python.h")):
                return
        raise ConfigError(
            f"{label or 'Python ' + self.python}: no development headers (no Python.h in "
            f"{', '.join(self.include_dirs) or 'its include directory'}); install its -dev package"
        )
