"""``[tool.ninjagen]`` in pyproject.toml -> the project model (:mod:`ninjagen.project`).

The keys and value forms of ``ext-modules`` are those of setuptools'
``[tool.setuptools] ext-modules`` (kebab-case Extension fields), and a project
that declares its extensions there is read unchanged.  This module knows
nothing of toolchains or flag spellings.
"""

from __future__ import annotations

import os
from dataclasses import fields
from typing import Any, Optional

from .errors import ConfigError
from .extension import Extension
from .project import PackagingConfig, ProjectConfig, SharedLibrary, StaticLibrary

try:  # tomli, where installed: its CPython wheels are compiled (mypyc), 3x the standard library's copy (the same
    # parser and messages).  Not a dependency on 3.11+: every isolated build environment would install it
    import tomli as tomllib
except ImportError:  # pragma: no cover - an installation without it (Python 3.11+ only)
    import tomllib

__all__ = ["load_project", "read_pyproject", "extension_from_table", "packaging_config", "PYPROJECT"]

PYPROJECT = "pyproject.toml"


_TOOL_KEYS = {"ext-modules", "libraries", "shared-libraries", "package-dir", "build-dir", "compiler", "link-jobs",
              "cross-prefix", "launcher", "heavy-jobs", "setuptools-build-ext",
              # what the build backend ships (see packaging_config)
              "packages", "py-modules", "wheel-exclude", "sdist-include", "sdist-exclude"}


def _kebab(name: str) -> str:
    return name.replace("_", "-")


_EXTENSION_KEYS = {_kebab(f.name): f.name for f in fields(Extension)}
_LIBRARY_KEYS = {_kebab(f.name): f.name for f in fields(StaticLibrary)}
_SHARED_LIBRARY_KEYS = {_kebab(f.name): f.name for f in fields(SharedLibrary)}


def _unknown_key(where: str, key: str, valid: Any) -> ConfigError:
    import difflib  # here: only an error needs it

    hint = difflib.get_close_matches(key, list(valid), n=1)
    suffix = f" (did you mean {hint[0]!r}?)" if hint else f" (valid keys: {', '.join(sorted(valid))})"
    return ConfigError(f"{where}: unknown key {key!r}{suffix}")


def _table_to_kwargs(where: str, table: Any, keys: dict[str, str]) -> dict[str, Any]:
    if not isinstance(table, dict):
        raise ConfigError(f"{where} must be a table, got {table!r}")
    kwargs = {}
    for key, value in table.items():
        if key not in keys:
            raise _unknown_key(where, key, keys)
        kwargs[keys[key]] = value
    missing = [k for k in ("name", "sources") if k not in kwargs]
    if missing:
        raise ConfigError(f"{where}: missing required key {_kebab(missing[0])!r}")
    return kwargs


def _macros_from_toml(kwargs: dict[str, Any]) -> None:
    """TOML has no None: ``["NAME"]`` or ``"NAME"`` means a macro without a value."""
    macros = kwargs.get("define_macros")
    if isinstance(macros, list):
        kwargs["define_macros"] = [tuple(m) if isinstance(m, list) else m for m in macros]


def extension_from_table(where: str, table: Any) -> Extension:
    kwargs = _table_to_kwargs(where, table, _EXTENSION_KEYS)
    _macros_from_toml(kwargs)
    try:
        return Extension(**kwargs)
    except TypeError as exc:  # a field given a value of a shape dataclasses reject
        raise ConfigError(f"{where}: {exc}") from None


def library_from_table(where: str, table: Any, shared: bool = False) -> StaticLibrary:
    kwargs = _table_to_kwargs(where, table, _SHARED_LIBRARY_KEYS if shared else _LIBRARY_KEYS)
    _macros_from_toml(kwargs)
    return SharedLibrary(**kwargs) if shared else StaticLibrary(**kwargs)


def _list_of_tables(where: str, value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise ConfigError(f"{where} must be an array of tables, got {value!r}")
    return value


def _package_dir(where: str, value: Any) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise ConfigError(f"{where} must be a table of package name = folder, got {value!r}")
    return dict(value)


def read_pyproject(path: str) -> dict[str, Any]:
    try:
        with open(path, "rb") as f:
            return tomllib.load(f)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read it ({exc.strerror})") from None


def load_project(project_dir: str, setup_py: Optional[str] = None, python: Optional[str] = None,
                 build_ext: bool = True) -> ProjectConfig:
    """Read the project's pyproject.toml, or what its setup.py builds.

    setup.py is read when *setup_py* names it, or when pyproject.toml declares
    no extensions and a setup.py is there; *python* runs it, through its own
    build_ext when *build_ext* (see :func:`ninjagen.setup_py.capture_setup_py`).
    """
    from .setup_py import SETUP_PY, capture_setup_py

    path = os.path.normpath(os.path.join(project_dir, PYPROJECT))
    setup_path = os.path.normpath(os.path.join(project_dir, setup_py or SETUP_PY))
    has_pyproject = os.path.isfile(path)
    data = read_pyproject(path) if has_pyproject else {}
    tool = data.get("tool", {})
    declares = isinstance(tool, dict) and any(
        isinstance(tool.get(t), dict) and "ext-modules" in tool[t] for t in ("ninjagen", "setuptools"))
    if setup_py is not None or (not declares and os.path.isfile(setup_path)):
        config = capture_setup_py(setup_path, python, build_ext)
        if has_pyproject:
            config.inputs.append(PYPROJECT)
        return config
    if not has_pyproject:
        raise ConfigError(f"no {PYPROJECT} in {os.path.abspath(project_dir)} "
                          "(ninjagen reads the extension modules from it, or from a setup.py)")
    tool = data.get("tool", {})
    if not isinstance(tool, dict):
        raise ConfigError(f"{PYPROJECT}: [tool] must be a table")
    ours = tool.get("ninjagen", {})
    setuptools = tool.get("setuptools", {})
    if not isinstance(ours, dict):
        raise ConfigError(f"{PYPROJECT}: [tool.ninjagen] must be a table")
    for key in ours:
        if key not in _TOOL_KEYS:
            raise _unknown_key(f"{PYPROJECT} [tool.ninjagen]", key, _TOOL_KEYS)

    config = ProjectConfig()
    if "ext-modules" in ours:
        section, tables = "tool.ninjagen", ours["ext-modules"]
    elif isinstance(setuptools, dict) and "ext-modules" in setuptools:
        section, tables = "tool.setuptools", setuptools["ext-modules"]
    else:
        raise ConfigError(f"{PYPROJECT}: no extension modules: add [tool.ninjagen] ext-modules = [...]")
    config.source = f"{PYPROJECT} [{section}]"
    for i, table in enumerate(_list_of_tables(f"{config.source} ext-modules", tables)):
        label = table.get("name", "?") if isinstance(table, dict) else "?"
        config.extensions.append(extension_from_table(f"{config.source} ext-modules[{i}] ({label})", table))
    for i, table in enumerate(_list_of_tables(f"{PYPROJECT} [tool.ninjagen] libraries", ours.get("libraries", []))):
        config.libraries.append(library_from_table(f"{PYPROJECT} [tool.ninjagen] libraries[{i}]", table))
    shared = _list_of_tables(f"{PYPROJECT} [tool.ninjagen] shared-libraries", ours.get("shared-libraries", []))
    for i, table in enumerate(shared):
        lib = library_from_table(f"{PYPROJECT} [tool.ninjagen] shared-libraries[{i}]", table, shared=True)
        config.shared_libraries.append(lib)  # type: ignore[arg-type]

    if "package-dir" in ours:
        config.package_dir = _package_dir(f"{PYPROJECT} [tool.ninjagen] package-dir", ours["package-dir"])
    elif isinstance(setuptools, dict) and "package-dir" in setuptools:
        config.package_dir = _package_dir(f"{PYPROJECT} [tool.setuptools] package-dir", setuptools["package-dir"])

    build_dir = ours.get("build-dir")
    if build_dir is not None and (not isinstance(build_dir, str) or not build_dir):
        raise ConfigError(f"{PYPROJECT} [tool.ninjagen] build-dir must be a folder name, got {build_dir!r}")
    config.build_dir = build_dir
    for key in ("compiler", "cross-prefix", "launcher"):
        value = ours.get(key)
        if value is not None and not isinstance(value, str):
            raise ConfigError(f"{PYPROJECT} [tool.ninjagen] {key} must be a string, got {value!r}")
    config.compiler = ours.get("compiler")
    config.cross_prefix = ours.get("cross-prefix")
    config.launcher = ours.get("launcher")
    for key in ("link-jobs", "heavy-jobs"):
        jobs = ours.get(key)
        if jobs is not None and (isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1):
            raise ConfigError(f"{PYPROJECT} [tool.ninjagen] {key} must be a whole number of at least 1, got {jobs!r}")
    config.link_jobs, config.heavy_jobs = ours.get("link-jobs"), ours.get("heavy-jobs")
    return config


def _strings(where: str, value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ConfigError(f"{where} must be an array of strings, got {value!r}")
    return list(value)


def packaging_config(data: dict[str, Any]) -> PackagingConfig:
    """What the build backend ships, from a parsed pyproject.toml's ``[tool.ninjagen]``."""
    tool = data.get("tool", {})
    ours = tool.get("ninjagen", {}) if isinstance(tool, dict) else {}
    if not isinstance(ours, dict):
        raise ConfigError(f"{PYPROJECT}: [tool.ninjagen] must be a table")
    for key in ours:
        if key not in _TOOL_KEYS:
            raise _unknown_key(f"{PYPROJECT} [tool.ninjagen]", key, _TOOL_KEYS)
    where = f"{PYPROJECT} [tool.ninjagen]"
    lists = {key: _strings(f"{where} {key}", ours[key]) for key in
             ("packages", "py-modules", "wheel-exclude", "sdist-include", "sdist-exclude") if key in ours}
    package_dir = ours.get("package-dir")
    if package_dir is None and isinstance(tool.get("setuptools"), dict):
        package_dir = tool["setuptools"].get("package-dir")
    return PackagingConfig(
        packages=lists.get("packages"), py_modules=lists.get("py-modules", []),
        package_dir=_package_dir(f"{where} package-dir", package_dir) if package_dir is not None else {},
        wheel_exclude=lists.get("wheel-exclude", []), sdist_include=lists.get("sdist-include", []),
        sdist_exclude=lists.get("sdist-exclude", []),
        has_extensions=any(isinstance(tool.get(t), dict) and bool(tool[t].get("ext-modules"))
                           for t in ("ninjagen", "setuptools")))
