"""Drop-in setuptools commands: every extension of a setup.py built in one ninja graph.

    from ninjagen.setuptools import cmdclass
    setup(..., cmdclass=cmdclass())

(or ``cmdclass={"build_ext": ninjagen.setuptools.build_ext}``).  setuptools stays
in charge of packaging; ``build_ext`` records each extension, as
``build_extension`` is called for it, into a ninja graph in its ``build_temp``,
then runs ninja once: parallel, incremental, header-aware.  Modules land where
setuptools expects them (``build_lib``, or the source tree for ``--inplace`` and
editable installs).  A subclass that overrides ``build_extension`` to change an
extension's options and then calls ``super().build_extension(ext)`` keeps
working.  ``build_clib`` libraries become archives in the same graph (the
``build_clib`` command here records nothing, so they are not built twice).
"""

from __future__ import annotations

import os
import sys
from dataclasses import asdict
from sysconfig import get_platform
from typing import Any

from setuptools.command.build_clib import build_clib as _build_clib
from setuptools.command.build_ext import build_ext as _build_ext

from .project import StaticLibrary
from .state import DEFAULT_BUILD_DIR
from .errors import NinjagenError
from .extension import Extension
from .translators import swig_python_module

__all__ = ["build_ext", "build_clib", "cmdclass"]

_FIELDS = ("sources", "include_dirs", "define_macros", "undef_macros", "library_dirs", "libraries",
           "runtime_library_dirs", "extra_objects", "extra_compile_args", "extra_link_args", "export_symbols",
           "swig_opts", "depends", "language", "optional", "py_limited_api")


def _extension(ext: Any) -> Extension:
    """A setuptools / distutils / Cython Extension as ninjagen's."""
    fields = {name: getattr(ext, name) for name in _FIELDS if getattr(ext, name, None) is not None}
    fields["define_macros"] = [tuple(m) for m in fields.get("define_macros", [])]
    directives = getattr(ext, "cython_directives", None)
    if directives:
        fields["cython_directives"] = dict(directives)
    return Extension(ext.name, **{k: list(v) if isinstance(v, tuple) else v for k, v in fields.items()})


def _library(name: str, info: dict) -> StaticLibrary:
    macros = info.get("macros") or []
    return StaticLibrary(name, list(info.get("sources") or []), include_dirs=list(info.get("include_dirs") or []),
                         define_macros=[tuple(m) for m in macros if len(m) == 2],
                         undef_macros=[m[0] for m in macros if len(m) == 1],
                         extra_compile_args=list(info.get("cflags") or []))


def _jobs(parallel: Any) -> Any:
    """build_ext's ``parallel`` as ninja's -j: a count, or None for ninja's default (also for True)."""
    return parallel if isinstance(parallel, int) and not isinstance(parallel, bool) and parallel > 0 else None


#: set while ``ninjagen configure`` records what setuptools would build: the drop-in steps aside
RECORDING_ENV = "NINJAGEN_RECORDING"


def _recording() -> bool:
    return bool(os.environ.get(RECORDING_ENV))


class build_clib(_build_clib):
    """Records nothing and builds nothing: ninjagen's build_ext builds the libraries in its graph."""

    def run(self) -> None:
        if _recording():
            super().run()


class build_ext(_build_ext):
    """setuptools' build_ext, with the compiles and links done by one ninja run."""

    def build_extensions(self) -> None:
        if _recording():
            return super().build_extensions()
        self.check_extensions_list(self.extensions)
        self._ninjagen_recorded: list[tuple[Extension, str]] = []
        self._ninjagen_copies: list[tuple[str, str]] = []
        for ext in self.extensions:
            self.build_extension(ext)
        self._ninjagen_run()

    def build_extension(self, ext: Any) -> None:
        """Record *ext* (with the options setuptools and any subclass gave it) for the ninja graph."""
        if _recording():
            return super().build_extension(ext)
        ext.sources = list(ext.sources)
        ninja_ext = _extension(ext)
        ninja_ext.include_dirs += [d for d in self.include_dirs or [] if d not in ninja_ext.include_dirs]
        ninja_ext.library_dirs += list(self.library_dirs or [])
        ninja_ext.libraries += [lib for lib in self.libraries or [] if lib not in ninja_ext.libraries]
        ninja_ext.runtime_library_dirs += list(self.rpath or [])
        ninja_ext.define_macros += list(self.define or [])
        ninja_ext.undef_macros += list(self.undef or [])
        self._ninjagen_recorded.append((ninja_ext, self._ninjagen_output(ext)))

    def _ninjagen_output(self, ext: Any) -> str:
        """Where ninja writes the module.

        An editable install hands build_ext a new temporary build_lib each time;
        the module is built at its in-place path instead (stable, so an unchanged
        module is not relinked) and copied to where setuptools looks for it.
        """
        expected = self.get_ext_fullpath(ext.name)
        if getattr(self, "editable_mode", False) and hasattr(self, "_get_inplace_equivalent"):
            inplace, _ = self._get_inplace_equivalent(self.get_finalized_command("build_py"), ext)
            self._ninjagen_copies.append((inplace, expected))
            return inplace
        return expected

    def _ninjagen_build_temp(self, root: str) -> str:
        """The folder of the graph: build_temp, unless that is a throw-away folder outside the project."""
        build_temp = os.path.abspath(self.build_temp)
        if not build_temp.startswith(os.path.join(root, "")):
            build_temp = os.path.join(root, DEFAULT_BUILD_DIR, f"ninjagen.{get_platform()}-{sys.implementation.cache_tag}")
        return os.path.relpath(build_temp, root)

    def _ninjagen_run(self) -> None:
        from .build import run_build
        from .configure import configure

        root = os.getcwd()
        build_temp = self._ninjagen_build_temp(root)
        libraries = [_library(name, info) for name, info in (self.distribution.libraries or [])]
        outputs = {ext.name: os.path.relpath(os.path.abspath(path), root) for ext, path in self._ninjagen_recorded}
        build_ninja = os.path.join(build_temp, "build.ninja")
        try:
            result = configure(root, extensions=[ext for ext, _ in self._ninjagen_recorded], libraries=libraries,
                               outputs=outputs, build_dir=build_temp, build_ninja=build_ninja,
                               compiler=getattr(self.compiler, "compiler_type", self.compiler),
                               force=bool(self.force))
            skipped = run_build(root, [asdict(b) for b in result.extensions], jobs=_jobs(self.parallel),
                                build_ninja=build_ninja)
        except NinjagenError as exc:
            raise SystemExit(f"ninjagen: error: {exc}") from None
        for name in skipped:
            self.warn(f"building optional extension {name!r} failed: skipped")
        for built, expected in self._ninjagen_copies:
            if os.path.isfile(built):
                self.copy_file(built, expected)
        self._ninjagen_copy_swig_modules()

    def _ninjagen_copy_swig_modules(self) -> None:
        """SWIG writes a module's Python half beside the interface; the package needs it beside the module."""
        for ext, output in self._ninjagen_recorded:
            for src in ext.sources:
                python_half = swig_python_module(src) if src.endswith(".i") else None
                destination = os.path.join(os.path.dirname(output), os.path.basename(python_half or ""))
                if python_half and os.path.isfile(python_half) and \
                        os.path.abspath(destination) != os.path.abspath(python_half):
                    self.copy_file(python_half, destination)


def cmdclass() -> dict[str, type]:
    """The commands to give setup(): ``cmdclass=ninjagen.setuptools.cmdclass()``."""
    return {"build_ext": build_ext, "build_clib": build_clib}


def finalize_distribution_options(dist: Any) -> None:
    """setuptools plugin hook: use these commands where pyproject.toml opts in.

    A project with ``"ninjagen"`` in ``build-system.requires`` and
    ``[tool.ninjagen] setuptools-build-ext = true`` builds through ninja with
    ``pip install .``, ``pip install -e .`` and ``python -m build``, its setup.py
    untouched.  Any other project is left alone, whatever ninjagen finds.
    """
    try:
        from .config import read_pyproject

        tool = read_pyproject("pyproject.toml").get("tool", {}).get("ninjagen", {})
    except Exception:  # no pyproject.toml, or one we cannot read: not ours to judge here
        return
    if isinstance(tool, dict) and tool.get("setuptools-build-ext") is True:
        for name, command in cmdclass().items():
            dist.cmdclass.setdefault(name, command)
