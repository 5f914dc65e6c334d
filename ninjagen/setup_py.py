"""A project's setup.py as a source of Extensions: run it with setup() intercepted.

The script runs in its own process (the target Python when it can run here), so
its imports, its ``sys.exit`` and whatever it changes stay there; what comes back
is the ``ext_modules`` and ``libraries`` (build_clib) that setup() was given.
Nothing is built by setuptools.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from typing import Any, Optional

from . import _setup_capture
from .project import BuildExtRecording, ProjectConfig, StaticLibrary
from .errors import ConfigError, NinjagenError
from .extension import Extension
from .process import run

__all__ = ["capture_setup_py", "SETUP_PY"]

SETUP_PY = "setup.py"


def _run(mode: str, setup_py: str, python: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="ninjagen-setup-py-") as scratch:
        out = os.path.join(scratch, "setup.json")
        try:
            proc = run([python, _setup_capture.__file__, mode, os.path.abspath(setup_py), out], timeout=600)
        except NinjagenError as exc:
            raise ConfigError(f"{setup_py}: cannot run it with {python} ({exc})") from None
        if not os.path.isfile(out):
            last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
            raise ConfigError(f"{setup_py}: running it with {python} failed: {last}")
        with open(out, encoding="utf-8") as f:
            return json.load(f)


def _macro(macro: list) -> tuple:
    """A define as distutils spells it ("-D%s=%s"): psutil's ("PSUTIL_VERSION", 610) means "610"."""
    return tuple(v if i == 0 or v is None or isinstance(v, str) else str(v) for i, v in enumerate(macro))


def _extension(setup_py: str, fields: dict[str, Any]) -> Extension:
    cython = fields.pop("cython", {})
    fields["define_macros"] = [_macro(m) for m in fields.get("define_macros") or []]
    if fields.get("py_limited_api") is None:
        fields.pop("py_limited_api", None)
    for key in ("optional",):
        if fields.get(key) is None:
            fields.pop(key, None)
    fields = {k: v for k, v in fields.items() if v is not None or k == "language"}
    if cython:
        fields["cython_directives"] = dict(cython.get("directives") or {})
        fields["cython_include_dirs"] = list(cython.get("include_path") or [])
        fields["cython_compile_time_env"] = dict(cython.get("compile_time_env") or {})
    try:
        return Extension(**fields)
    except TypeError as exc:
        raise ConfigError(f"{setup_py}: extension {fields.get('name')!r}: {exc}") from None


def _library(setup_py: str, item: dict[str, Any]) -> StaticLibrary:
    """A build_clib entry: ("name", {"sources": [...], "macros": [...], "include_dirs": [...], "cflags": [...]})."""
    info = item["build_info"]
    define, undef = [], []
    for macro in info.get("macros") or []:
        if len(macro) == 1:
            undef.append(macro[0])
        else:
            define.append(_macro(macro))
    unknown = set(info) - {"sources", "macros", "include_dirs", "cflags", "obj_deps"}
    if unknown:
        raise ConfigError(f"{setup_py}: library {item['name']!r}: unknown build_info keys {sorted(unknown)}")
    depends = [d for deps in (info.get("obj_deps") or {}).values() for d in deps]
    return StaticLibrary(item["name"], info.get("sources") or [], include_dirs=info.get("include_dirs") or [],
                         define_macros=define, undef_macros=undef, extra_compile_args=info.get("cflags") or [],
                         depends=depends)


def capture_setup_py(setup_py: str, python: Optional[str] = None, build_ext: bool = True) -> ProjectConfig:
    """What *setup_py* builds: what its own build_ext does (*build_ext*), else what setup() is given.

    The build_ext route needs setuptools to run for the target: with *python*
    on this machine.  The other reads the extensions and build_clib libraries
    passed to setup() and compiles them from their fields.
    """
    if not os.path.isfile(setup_py):
        raise ConfigError(f"{setup_py}: not found")
    if build_ext:
        return _recorded_build_ext(setup_py, python or sys.executable)
    data = _run("setup", setup_py, python or sys.executable)
    if "error" in data:
        raise ConfigError(f"{setup_py} failed: {data['error']}")
    if not data.get("called"):
        raise ConfigError(f"{setup_py} finished without calling setup()")
    custom = data.get("custom_build_ext")
    if not data["ext_modules"]:
        hint = (f"; its build_ext ({custom['class']}) may add them at build time, which ninjagen cannot see"
                if custom else "")
        raise ConfigError(f"{setup_py} passes no ext_modules to setup(){hint}: list the extensions in "
                          "ext_modules, or in [tool.ninjagen] ext-modules")
    if custom and custom["overrides"]:
        print(f"ninjagen: warning: {setup_py} uses its own build_ext ({custom['class']}, which overrides "
              f"{', '.join(custom['overrides'])}); ninjagen builds the {len(data['ext_modules'])} extensions "
              "setup() received, without running that code", file=sys.stderr)
    config = ProjectConfig(source=setup_py)
    config.extensions = [_extension(setup_py, dict(fields)) for fields in data["ext_modules"]]
    config.libraries = [_library(setup_py, item) for item in data["libraries"]]
    for ext in config.extensions:  # as setuptools' build_ext: every build_clib library, after the extension's own
        ext.libraries += [lib.name for lib in config.libraries if lib.name not in ext.libraries]
    config.package_dir = dict(data.get("package_dir") or {})
    config.inputs = [setup_py]
    return config


def _recorded_build_ext(setup_py: str, python: str) -> ProjectConfig:
    """*setup_py*'s own ``build_clib build_ext --inplace``, its compiler calls recorded."""
    data = _run("build_ext", setup_py, python)
    if "error" in data:
        raise ConfigError(f"{setup_py} failed: {data['error']}")
    if not data.get("setup_called"):
        raise ConfigError(f"{setup_py} finished without calling setup()")
    if not data.get("extensions"):
        raise ConfigError(f"{setup_py} builds no extension modules (setup() gets no ext_modules and its build_ext "
                          "adds none): list them in ext_modules, or in [tool.ninjagen] ext-modules")
    folder = os.path.dirname(setup_py)
    config = ProjectConfig(source=setup_py)
    config.extensions = [_extension(setup_py, {k: v for k, v in fields.items() if k != "output"})
                         for fields in data["extensions"]]
    config.recording = BuildExtRecording(calls=list(data["calls"]), copies=dict(data.get("copies") or {}),
                                         spawned=list(data.get("spawned") or []))
    config.inputs = [p for p in (setup_py, os.path.join(folder, "setup.cfg")) if os.path.isfile(p)]
    return config
