"""Drop-in setuptools commands: setuptools' own build_ext, its compiles and links run by one ninja.

    from ninjagen.setuptools import cmdclass
    setup(..., cmdclass=cmdclass())

(or ``cmdclass={"build_ext": ninjagen.setuptools.build_ext}``, or the plugin:
``[tool.ninjagen] setuptools-build-ext = true``, which wraps a project's own
build_ext class).  setuptools stays in charge: build_ext runs as it always does,
with the project's subclass, setup.cfg, ``options=`` and all, but its compiler
records each ``compile()``, ``link()`` and ``create_static_lib()`` instead of
spawning (the recorder ``ninjagen configure`` uses for a setup.py: see
:mod:`ninjagen._build_ext_recorder` and :mod:`ninjagen.replay`).  The recorded
calls become one ninja graph in build_temp, ninja runs once (parallel,
incremental, header-aware), and the modules land where setuptools expects them
(``build_lib``, or the source tree for ``--inplace``; an editable install builds
at the in-place path, so an unchanged module is not relinked, and copies it to
where setuptools looks).  ``build_clib``'s archives are recorded the same way
and built in the same graph.
"""

from __future__ import annotations

import os
import sys
from dataclasses import asdict
from sysconfig import get_platform
from typing import Any

from setuptools.command.build_clib import build_clib as _build_clib
from setuptools.command.build_ext import build_ext as _build_ext

from . import _build_ext_recorder as recorder
from .build_env_copies import copy_build_env_folders, moved, sync_tree
from .errors import NinjagenError
from .extension import Extension
from .project import BuildExtRecording, ProjectConfig
from .setuptools_declared import give_setuptools_the_declared_extensions
from .state import DEFAULT_BUILD_DIR, ConfigureOptions
from .translators import swig_python_module

__all__ = ["build_ext", "build_clib", "cmdclass", "BuildExtMixin", "BuildClibMixin"]

#: set while ``ninjagen configure`` records what setuptools would build: the drop-in steps aside
RECORDING_ENV = "NINJAGEN_RECORDING"


def _recording() -> bool:
    return bool(os.environ.get(RECORDING_ENV))


def _extension(ext: Any) -> Extension:
    """What ninjagen needs of a setuptools Extension besides the recorded calls: its name and translation."""
    return Extension(ext.name, [os.fspath(s) for s in ext.sources], language=ext.language or None,
                     optional=bool(getattr(ext, "optional", False)),
                     swig_opts=[str(o) for o in getattr(ext, "swig_opts", None) or []],
                     cython_directives=dict(getattr(ext, "cython_directives", None) or {}))


def _jobs(parallel: Any) -> Any:
    """build_ext's ``parallel`` as ninja's -j: a count, or None for ninja's default (also for True)."""
    return parallel if isinstance(parallel, int) and not isinstance(parallel, bool) and parallel > 0 else None


class BuildClibMixin:
    """build_clib's archives recorded for build_ext's graph instead of built."""

    def build_libraries(self, libraries: Any) -> None:
        if _recording():
            return super().build_libraries(libraries)  # type: ignore[misc]
        start = len(recorder.CALLS)
        recorder.recording(self.compiler, os.getcwd(), self.build_temp)  # type: ignore[attr-defined]
        super().build_libraries(libraries)  # type: ignore[misc]
        self.distribution.ninjagen_clib_calls = recorder.CALLS[start:]  # type: ignore[attr-defined]
        del recorder.CALLS[start:]


class BuildExtMixin:
    """build_ext, its compiler's calls recorded and then run by ninja (see the module's docstring)."""

    def build_extensions(self) -> None:
        if _recording():
            return super().build_extensions()  # type: ignore[misc]
        dist = self.distribution  # type: ignore[attr-defined]
        if dist.has_c_libraries() and getattr(dist, "ninjagen_clib_calls", None) is None:
            self.run_command("build_clib")  # type: ignore[attr-defined]  # build_ext alone does not
        start = len(recorder.CALLS)
        recorder.recording(self.compiler, os.getcwd(), self.build_temp)  # type: ignore[attr-defined]
        forced, self.force = self.force, True  # every module recorded: ninja knows what is up to date
        try:
            super().build_extensions()  # type: ignore[misc]
        finally:
            self.force = forced
        calls = list(getattr(dist, "ninjagen_clib_calls", None) or []) + recorder.CALLS[start:]
        del recorder.CALLS[start:]
        self._ninjagen_build(calls)

    def build_extension(self, ext: Any) -> None:
        with recorder.building(ext.name):
            super().build_extension(ext)  # type: ignore[misc]

    def swig_sources(self, sources: Any, extension: Any = None) -> list:
        """The interfaces as they are: ninja runs SWIG, with its dependency file."""
        if _recording():
            return super().swig_sources(sources, extension)  # type: ignore[misc]
        return list(sources)

    def _ninjagen_build_temp(self, root: str) -> str:
        """The folder of the graph: build_temp, unless that is a throw-away folder outside the project."""
        build_temp = os.path.abspath(self.build_temp)  # type: ignore[attr-defined]
        if not build_temp.startswith(os.path.join(root, "")):
            build_temp = os.path.join(root, DEFAULT_BUILD_DIR,
                                      f"ninjagen.{get_platform()}-{sys.implementation.cache_tag}")
        return os.path.relpath(build_temp, root)

    def _ninjagen_build(self, calls: list) -> None:
        from .build import run_build
        from .configure import generate

        root = os.getcwd()
        build_temp = self._ninjagen_build_temp(root)
        throwaway = os.path.abspath(self.build_temp)  # type: ignore[attr-defined]
        if not throwaway.startswith(os.path.join(root, "")):  # what the build_ext wrote there comes along
            sync_tree(throwaway, os.path.join(root, build_temp))
            calls = moved(calls, throwaway, os.path.join(root, build_temp))
        calls, copied = copy_build_env_folders(calls, os.path.join(root, build_temp))
        if copied:
            print(f"ninjagen: note: copied the build environment's {', '.join(copied)}, which the compile commands "
                  f"name, into {os.path.join(build_temp, 'build-env')}: an isolated environment is another "
                  "folder for every build, and would make every build compile everything", file=sys.stderr)
        built_at, copies = {}, []
        for ext in self.extensions:  # type: ignore[attr-defined]
            expected = self.get_ext_fullpath(ext.name)  # type: ignore[attr-defined]
            if getattr(self, "editable_mode", False) and hasattr(self, "_get_inplace_equivalent"):
                inplace, _ = self._get_inplace_equivalent(self.get_finalized_command("build_py"), ext)
                built_at[os.path.normpath(expected)] = inplace
                copies.append((inplace, expected))
        project = ProjectConfig([_extension(e) for e in self.extensions],  # type: ignore[attr-defined]
                                recording=BuildExtRecording(calls=calls, copies=built_at))
        build_ninja = os.path.join(build_temp, "build.ninja")
        try:
            result = generate(root, project, ConfigureOptions(build_dir=build_temp,
                                                              compiler=self.compiler.compiler_type),  # type: ignore
                              build_ninja=build_ninja, force=bool(self.force))  # type: ignore[attr-defined]
            for line in result.compiler.notes:
                print(line, file=sys.stderr)
            skipped = run_build(root, [asdict(b) for b in result.extensions], build_ninja=build_ninja,
                                jobs=_jobs(self.parallel))  # type: ignore[attr-defined]
        except NinjagenError as exc:
            raise SystemExit(f"ninjagen: error: {exc}") from None
        for name in skipped:
            self.warn(f"building optional extension {name!r} failed: skipped")  # type: ignore[attr-defined]
        for built, expected in copies:
            if os.path.isfile(built):
                os.makedirs(os.path.dirname(os.path.abspath(expected)), exist_ok=True)
                self.copy_file(built, expected)  # type: ignore[attr-defined]
        self._ninjagen_copy_swig_modules()

    def _ninjagen_copy_swig_modules(self) -> None:
        """SWIG writes a module's Python half beside the interface; the package needs it beside the module."""
        for ext in self.extensions:  # type: ignore[attr-defined]
            output = self.get_ext_fullpath(ext.name)  # type: ignore[attr-defined]
            for src in ext.sources:
                python_half = swig_python_module(src) if str(src).endswith(".i") else None
                if not python_half or not os.path.isfile(python_half):
                    continue
                destination = os.path.join(os.path.dirname(output), os.path.basename(python_half))
                if os.path.abspath(destination) != os.path.abspath(python_half):
                    self.copy_file(python_half, destination)  # type: ignore[attr-defined]


class build_clib(BuildClibMixin, _build_clib):
    pass


class build_ext(BuildExtMixin, _build_ext):
    pass


def cmdclass() -> dict[str, type]:
    """The commands to give setup(): ``cmdclass=ninjagen.setuptools.cmdclass()``."""
    return {"build_ext": build_ext, "build_clib": build_clib}


def finalize_distribution_options(dist: Any) -> None:
    """setuptools plugin hook: use these commands where pyproject.toml opts in.

    A project with ``"ninjagen"`` in ``build-system.requires`` and
    ``[tool.ninjagen] setuptools-build-ext = true`` builds through ninja with
    ``pip install .``, ``pip install -e .`` and ``python -m build``, its setup.py
    untouched; the extensions declared in ``[tool.ninjagen] ext-modules`` become
    setuptools' (see :mod:`ninjagen.setuptools_declared`).  Any other project is
    left alone, whatever ninjagen finds.
    """
    try:
        from .config import read_pyproject

        tool = read_pyproject("pyproject.toml").get("tool", {}).get("ninjagen", {})
    except Exception:  # no pyproject.toml, or one we cannot read: not ours to judge here
        return
    if not isinstance(tool, dict):
        return
    try:
        give_setuptools_the_declared_extensions(dist, tool)
    except NinjagenError as exc:
        raise SystemExit(f"ninjagen: error: {exc}") from None
    if tool.get("setuptools-build-ext") is not True:
        return
    for name, (ours, mixin) in {"build_ext": (build_ext, BuildExtMixin),
                                "build_clib": (build_clib, BuildClibMixin)}.items():
        theirs = dist.cmdclass.get(name)
        if theirs is None or issubclass(theirs, mixin):
            dist.cmdclass[name] = theirs or ours
            continue
        # the project's own command stays in charge: ours wraps it
        dist.cmdclass[name] = type(theirs.__name__, (mixin, theirs), {"__module__": theirs.__module__})
        print(f"ninjagen: {theirs.__module__}.{theirs.__qualname__} runs as the project's {name}, its compiles "
              "and links recorded and run by ninja", file=sys.stderr)
