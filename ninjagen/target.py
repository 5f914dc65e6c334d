"""Target: the Python (and so the platform) a build is for.

Everything that depends on the target comes from here, never from the running
interpreter's ``sys``/``sysconfig``: ``--python`` may name another interpreter,
and a Windows CPython tree may be described on Linux.
"""

from __future__ import annotations

import json
import os
import re
import struct
import sys
from dataclasses import dataclass, field
from typing import Any, Mapping, Optional

from . import _pyinfo
from .errors import ConfigError, NinjagenError
from .process import run

__all__ = ["Target"]

#: PE machine type -> (sysconfig platform, wheel/EXT_SUFFIX tag)
_WINDOWS_MACHINES = {0x8664: ("win-amd64", "win_amd64"), 0x14C: ("win32", "win32"), 0xAA64: ("win-arm64", "win_arm64")}


def _header_version(patchlevel_h: str) -> tuple[int, int]:
    try:
        with open(patchlevel_h, encoding="latin-1") as f:
            text = f.read()
    except OSError:
        raise ConfigError(f"{patchlevel_h}: cannot read it, so the Windows Python's version is unknown") from None
    found = dict(re.findall(r"#define\s+PY_(MAJOR|MINOR)_VERSION\s+(\d+)", text))
    if "MAJOR" not in found or "MINOR" not in found:
        raise ConfigError(f"{patchlevel_h}: no PY_MAJOR_VERSION / PY_MINOR_VERSION in it")
    return int(found["MAJOR"]), int(found["MINOR"])


def _pe_machine(path: str) -> Optional[int]:
    """The machine field of a PE file's header, or None if *path* is not a PE file."""
    try:
        with open(path, "rb") as f:
            head = f.read(4096)
    except OSError:
        return None
    if head[:2] != b"MZ" or len(head) < 0x40:
        return None
    offset = struct.unpack_from("<I", head, 0x3C)[0]
    if head[offset:offset + 4] != b"PE\0\0":
        return None
    return struct.unpack_from("<H", head, offset + 4)[0]


#: a Windows CPython's own executable: python.exe, python3.13.exe, and the free-threaded
#: build's python3.13t.exe / python313t.exe / python3t.exe (group 1: the "t")
_WINDOWS_PYTHON_EXE = re.compile(r"python(?:3(?:\.?\d+)?)?(t?)\.exe", re.IGNORECASE)


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
        # as setuptools' build_ext finds them: the headers, a virtual environment's
        # include folder, and the folder of a shared libpython
        include_dirs: list[str] = []
        exec_prefix = info.get("exec_prefix")
        if exec_prefix and exec_prefix != info.get("base_exec_prefix", exec_prefix):
            venv_include = os.path.join(exec_prefix, "include")
            # first, as setuptools puts it; but not while it is empty (as in every fresh venv, and in the
            # build environments of pip and uv): naming it would tie every compile command to the
            # environment that configured, and another one would rebuild everything
            if any(files for _, _, files in os.walk(venv_include)):  # installers leave empty folders
                include_dirs.append(venv_include)
        for d in (info.get("include"), info.get("platinclude")):
            if d and d not in include_dirs:
                include_dirs.append(d)
        library_dirs: tuple[str, ...] = ()
        config = info.get("config", {})
        if info["os_name"] == "nt":
            library_dirs = (os.path.join(info["base_prefix"], "libs"),)
        elif config.get("Py_ENABLE_SHARED") and config.get("LIBDIR"):
            library_dirs = (config["LIBDIR"],)
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
        if not os.path.exists(python):
            raise ConfigError(f"--python {python}: no such file")
        if os.path.realpath(python) == os.path.realpath(sys.executable):
            return cls.current()
        try:
            proc = run([python, "-I", _pyinfo.__file__], timeout=60)
        except NinjagenError as exc:
            raise ConfigError(f"--python {python}: cannot run it ({exc})") from None
        if proc.returncode != 0:
            last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
            raise ConfigError(f"--python {python}: not a usable Python interpreter ({last})")
        try:
            info = json.loads(proc.stdout)
        except ValueError:
            raise ConfigError(f"--python {python}: not a Python interpreter (it printed no description)") from None
        return cls.from_description(info)

    @classmethod
    def from_path(cls, python: str) -> "Target":
        """``--python``: an interpreter to ask, or an unpacked Windows CPython folder (or its python.exe)."""
        tree, exe = python, None
        named = _WINDOWS_PYTHON_EXE.fullmatch(os.path.basename(python))
        if named:
            tree, exe = os.path.dirname(python) or ".", os.path.basename(python)
        if os.path.isfile(os.path.join(tree, "include", "pyconfig.h")) and os.path.isdir(os.path.join(tree, "libs")):
            return cls.from_windows_tree(tree, exe)
        return cls.from_interpreter(python)

    @classmethod
    def from_windows_tree(cls, tree: str, exe: Optional[str] = None) -> "Target":
        """A Windows CPython that cannot run here, described from its files.

        The version comes from ``include/patchlevel.h``, the architecture from
        the PE header of *exe* (default ``python.exe``) or ``pythonXY.dll``, and
        the link libraries (``pythonXY.lib``, ``python3.lib``) are in ``libs/``.

        One folder may hold both builds (the installer puts ``python3.13t.exe``
        and ``python313t.dll`` beside ``python.exe``), so the build is
        free-threaded when *exe* is the ``t`` one, or when the folder has
        ``pythonXYt.dll`` and no ``pythonXY.dll``.  The Windows ``pyconfig.h``
        does not say: the compilers define ``Py_GIL_DISABLED`` themselves.
        """
        tree = os.path.abspath(tree)
        include = os.path.join(tree, "include")
        version = _header_version(os.path.join(include, "patchlevel.h"))
        nodot = f"{version[0]}{version[1]}"
        named = _WINDOWS_PYTHON_EXE.fullmatch(exe or "")
        free_threaded = bool(named and named.group(1)) or (
            os.path.isfile(os.path.join(tree, f"python{nodot}t.dll"))
            and not os.path.isfile(os.path.join(tree, f"python{nodot}.dll")))
        t = "t" if free_threaded else ""
        exe = exe or "python.exe"
        machine = None
        for name in (exe, f"python{nodot}{t}.dll"):
            if os.path.isfile(os.path.join(tree, name)):
                machine = _pe_machine(os.path.join(tree, name))
                break
        platform, tag = _WINDOWS_MACHINES.get(machine, _WINDOWS_MACHINES[0x8664])
        config = {"EXT_SUFFIX": f".cp{nodot}{t}-{tag}.pyd", "SHLIB_SUFFIX": ".pyd", "py_version_nodot": nodot}
        if free_threaded:
            config["Py_GIL_DISABLED"] = 1
        return cls(
            python=os.path.join(tree, exe),
            version=version,
            platform=platform,
            sys_platform="win32",
            os_name="nt",
            include_dirs=(include,),
            library_dirs=(os.path.join(tree, "libs"),),
            base_prefix=tree,
            config=config,
            sysconfig_file=os.path.join(include, "pyconfig.h"),
        )

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

    @property
    def runs_here(self) -> bool:
        """Whether the target is for this host's OS (``os.name``): its tools and its Python may run here."""
        return self.os_name == os.name

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
