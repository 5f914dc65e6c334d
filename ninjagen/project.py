"""The project model: what to build, as frozen-in-meaning values that every reader returns.

``[tool.ninjagen]`` (:mod:`ninjagen.config`), a setup.py (:mod:`ninjagen.setup_py`)
and a script's own lists all become a :class:`ProjectConfig`; configure reads
nothing else.  This module knows no file format and no toolchain.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Mapping, Optional

from .errors import ConfigError
from .extension import CompiledSources, Extension, check_strings

__all__ = ["StaticLibrary", "SharedLibrary", "ProjectConfig", "BuildExtRecording", "BuiltExtension", "PackagingConfig",
           "package_folder"]


@dataclass
class StaticLibrary(CompiledSources):
    """A helper library built as an archive and linked into extensions (setuptools' build_clib)."""

    extra_compile_args: list[str] = field(default_factory=list)
    depends: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name or any(c in self.name for c in "/\\ "):
            raise ConfigError(f"library name {self.name!r} must be a plain name (no slashes or spaces)")
        self._check_sources(f"library {self.name!r}", "extra_compile_args", "depends")


@dataclass
class SharedLibrary(StaticLibrary):
    """Code that several extensions share at run time: one DLL / shared object they all load.

    It is built into the folder of ``package`` (``""``: the top level) so that
    the modules find it beside them: on Windows a DLL is looked up next to the
    module that loads it, on Unix the modules carry an ``$ORIGIN`` rpath.
    """

    package: str = ""
    libraries: list[str] = field(default_factory=list)
    library_dirs: list[str] = field(default_factory=list)
    extra_link_args: list[str] = field(default_factory=list)
    export_symbols: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__post_init__()
        owner = f"library {self.name!r}"
        if not isinstance(self.package, str) or (self.package and not all(p.isidentifier() for p in self.package.split("."))):
            raise ConfigError(f"{owner}: package must be a dotted package name or \"\", got {self.package!r}")
        for fname in ("libraries", "library_dirs", "extra_link_args", "export_symbols"):
            setattr(self, fname, check_strings(owner, fname, getattr(self, fname)))


@dataclass(frozen=True)
class BuildExtRecording:
    """The compiler calls setuptools' build_ext made, as plain data (``_build_ext_recorder.result``)."""

    calls: list[dict] = field(default_factory=list)
    """In order: ``call`` (compile, link, create_static_lib), ``ext`` (the extension being built, or
    None), ``state`` (the compiler's commands and settings then), ``args``, ``returned`` (objects)."""
    copies: dict[str, str] = field(default_factory=dict)
    """Built module -> where ``--inplace`` copies it."""
    spawned: list[dict] = field(default_factory=list)
    """Commands the project ran through the compiler by hand (they ran at configure time)."""


@dataclass(frozen=True)
class BuiltExtension:
    """Where configure builds one extension module."""

    name: str
    output: str
    """Path of the built module, relative to the project folder."""
    optional: bool


@dataclass
class ProjectConfig:
    """What ``[tool.ninjagen]`` says (or ``[tool.setuptools]`` where ours is silent)."""

    extensions: list[Extension] = field(default_factory=list)
    libraries: list[StaticLibrary] = field(default_factory=list)
    shared_libraries: list[SharedLibrary] = field(default_factory=list)
    package_dir: dict[str, str] = field(default_factory=dict)
    """Where packages live, as setuptools' ``package-dir`` (``{"" = "src"}``)."""
    build_dir: Optional[str] = None
    """The folder for objects, depfiles and ninja's logs (default ``build``)."""
    compiler: Optional[str] = None
    """The compiler type (default: the target platform's)."""
    link_jobs: Optional[int] = None
    """How many links may run at once (default: half the cores)."""
    cross_prefix: Optional[str] = None
    """Prefix of a cross toolchain's tools (``x86_64-w64-mingw32-``), for mingw32 and cygwin."""
    launcher: Optional[str] = None
    """A compiler launcher (``ccache``, ``sccache``, ``distcc``, ``icecc``) in front of compiles only."""
    heavy_jobs: Optional[int] = None
    """How many compiles of ``heavy`` extensions may run at once (default 1)."""
    source: str = ""
    """Where the extensions were read from, for messages."""
    inputs: list[str] = field(default_factory=list)
    """Files besides pyproject.toml whose change makes build.ninja regenerate (setup.py)."""
    outputs: dict[str, str] = field(default_factory=dict)
    """Extension name -> where its module goes, where the caller decides (setuptools' build_lib)."""
    recording: Optional[BuildExtRecording] = None
    """What the project's own build_ext did (a setup.py project): replayed instead of *extensions* being
    compiled from their fields, which then only name the modules."""


@dataclass
class PackagingConfig:
    """What a wheel and an sdist of the project carry besides its extensions (``[tool.ninjagen]``)."""

    packages: Optional[list[str]] = None
    """The pure-Python packages; None: found as setuptools' automatic discovery finds them."""
    py_modules: list[str] = field(default_factory=list)
    package_dir: dict[str, str] = field(default_factory=dict)
    wheel_exclude: list[str] = field(default_factory=list)
    sdist_include: list[str] = field(default_factory=list)
    sdist_exclude: list[str] = field(default_factory=list)
    has_extensions: bool = False
    """Whether pyproject.toml declares extension modules (else the wheel is pure Python)."""


def package_folder(package: str, package_dir: Mapping[str, str]) -> str:
    """The folder of *package* (dotted; "" for the top level), as setuptools' ``package_dir`` maps it:
    the longest mapped prefix, then the rest of the name as folders ("" when nothing says more)."""
    parts = package.split(".") if package else []
    for i in range(len(parts), -1, -1):
        prefix = ".".join(parts[:i])
        if prefix in package_dir:
            return os.path.join(package_dir[prefix], *parts[i:])
    return os.path.join(*parts) if parts else ""
