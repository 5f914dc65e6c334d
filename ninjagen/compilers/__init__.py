"""The compiler registry: ``new_compiler`` and friends, as in distutils.

The registry is built from the subclasses of :class:`CCompiler` that name a
``compiler_type``; importing a toolchain module is all it takes to register it.
Unlike distutils, an unknown platform or compiler type is an error that lists
the valid ones.
"""

from __future__ import annotations

import os
from importlib import import_module
from typing import Mapping, Optional

from ..errors import PlatformError
from ..target import Target
from .base import CCompiler, gen_lib_options, gen_preprocess_options

__all__ = [
    "CCompiler",
    "new_compiler",
    "get_default_compiler",
    "set_compiler",
    "show_compilers",
    "customize_compiler",
    "compiler_classes",
    "gen_lib_options",
    "gen_preprocess_options",
    "PLATFORMS",
]

#: ``os.name`` of a platform -> its default compiler type (distutils' _default_compilers)
PLATFORMS = {"posix": "unix", "nt": "msvc"}

_chosen_default: Optional[str] = None


#: ninjagen's toolchains: compiler type -> the module that defines it (imported when first asked for,
#: so that a configure for one toolchain does not import the other four)
TOOLCHAIN_MODULES = {"unix": "unix", "msvc": "msvc", "mingw32": "cygwin", "cygwin": "cygwin", "bcpp": "bcpp"}


def compiler_classes() -> dict[str, type[CCompiler]]:
    """compiler type -> class, for every registered toolchain (ninjagen's, and any subclass imported)."""
    for module in dict.fromkeys(TOOLCHAIN_MODULES.values()):
        import_module(f"{__name__}.{module}")
    return _registered()


def _registered() -> dict[str, type[CCompiler]]:
    """compiler type -> class, for the toolchains imported so far."""
    found: dict[str, type[CCompiler]] = {}
    pending = list(CCompiler.__subclasses__())
    while pending:
        cls = pending.pop(0)
        if cls.compiler_type:
            found.setdefault(cls.compiler_type, cls)
        pending.extend(cls.__subclasses__())
    return found


def _check_plat(plat: str) -> None:
    if plat not in PLATFORMS:
        raise PlatformError(f"unknown platform {plat!r} (valid: {', '.join(PLATFORMS)})")


def get_default_compiler(osname: Optional[str] = None, platform: Optional[str] = None) -> str:
    """The compiler type used when none is named: set_compiler's choice, else the platform's."""
    if _chosen_default is not None:
        return _chosen_default
    osname = osname or os.name
    _check_plat(osname)
    if platform is not None and platform.startswith("cygwin"):
        return "unix"
    return PLATFORMS[osname]


def set_compiler(compiler: Optional[str]) -> None:
    """Make *compiler* the default type for new_compiler (None: back to the platform's)."""
    global _chosen_default
    if compiler is not None and compiler not in compiler_classes():
        raise PlatformError(_unknown_compiler(compiler))
    _chosen_default = compiler


def _unknown_compiler(compiler: str) -> str:
    return f"unknown compiler type {compiler!r} (available: {', '.join(sorted(compiler_classes()))})"


def new_compiler(plat: Optional[str] = None, compiler: Optional[str] = None, verbose: int = 0,
                 dry_run: bool = False, force: bool = False, target: Optional[Target] = None) -> CCompiler:
    """A compiler object of type *compiler* for platform *plat* (an ``os.name``).

    *target* is the Python being built for (default: the running one); *plat*
    defaults to the target's ``os.name``.
    """
    target = target if target is not None else Target.current()
    plat = plat if plat is not None else target.os_name
    _check_plat(plat)
    if compiler is None:
        compiler = get_default_compiler(plat, target.sys_platform)
    if compiler in TOOLCHAIN_MODULES and compiler not in _registered():
        import_module(f"{__name__}.{TOOLCHAIN_MODULES[compiler]}")
    try:
        cls = _registered()[compiler]
    except KeyError:
        raise PlatformError(_unknown_compiler(compiler)) from None
    return cls(verbose=verbose, dry_run=dry_run, force=force, target=target)


def customize_compiler(compiler: CCompiler, environ: Optional[Mapping[str, str]] = None) -> None:
    """Set *compiler*'s executables from its target Python's sysconfig and the environment.

    The sysconfig is the target's (``compiler.target``), not the running
    interpreter's; *environ* defaults to ``os.environ``.
    """
    compiler.customize(os.environ if environ is None else environ)


def show_compilers() -> None:
    """Print the available compiler types, as ``--help-compiler`` does in distutils."""
    print("List of available compilers:")
    for name, cls in sorted(compiler_classes().items()):
        print(f"  --compiler={name:<12} {cls.description}")
        if cls.verified_by:
            print(f"  {'':<23} verified: {cls.verified_by}")
