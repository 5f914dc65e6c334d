"""Which pure-Python packages, modules and package files go into a wheel.

As setuptools' automatic discovery finds them, or as ``[tool.ninjagen]`` names them:

- ``packages = ["pkg", "pkg.sub"]``: exactly those (each one's folder through
  ``package-dir``), ``py-modules = ["mod"]``: top-level single-file modules;
- otherwise a ``src/`` layout (``package-dir = {"" = "src"}``, or a ``src``
  folder when no package-dir is given): every package and module under it;
  a flat layout: the top-level folders with an ``__init__.py`` that are not
  tests, docs, examples, build outputs and the like (setuptools' list), plus the
  packages that the extension modules live in.

A package carries the files in its folder (package data, ``py.typed``,
``.pyi``) and in its folders that are not packages themselves; never
``__pycache__``, bytecode, the sources of the extensions, or an extension module
or shared library an in-place build left there (the wheel gets the ones built
for its own tag).  ``wheel-exclude`` globs (fnmatch, on the path inside the
wheel) drop more.
"""

from __future__ import annotations

import fnmatch
import os
import re
from typing import Iterable, Mapping, Sequence

from .errors import ConfigError
from .project import package_folder

__all__ = ["wheel_sources"]

# setuptools' FlatLayoutPackageFinder.DEFAULT_EXCLUDE (names only; "[._]*" is the dot/underscore rule below)
_NOT_PACKAGES = {
    "ci", "bin", "debian", "doc", "docs", "documentation", "manpages", "news", "newsfragments", "changelog",
    "test", "tests", "unit_test", "unit_tests", "example", "examples", "scripts", "tools", "util", "utils",
    "python", "build", "dist", "venv", "env", "requirements", "tasks", "fabfile", "site_scons", "benchmark",
    "benchmarks", "exercise", "exercises", "htmlcov", "samples", "sample", "bench",
}
_BUILT = re.compile(r"\.(so|pyd|dylib|dll)$|\.so\.\d")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _is_package(folder: str) -> bool:
    return os.path.isfile(os.path.join(folder, "__init__.py"))


def _found_packages(root: str, base: str, flat: bool) -> list[str]:
    """Package names under *base* (relative to *root*).

    Flat layout: regular packages (with ``__init__.py``) whose top-level name is
    not one setuptools leaves out; ``src`` layout: every folder (namespace packages too).
    """
    top = os.path.join(root, base)
    found = []
    for dirpath, dirnames, _files in os.walk(top):
        at_top = dirpath == top
        keep = []
        for d in sorted(dirnames):
            if not _IDENTIFIER.fullmatch(d) or d == "__pycache__":
                continue
            if flat and (not _is_package(os.path.join(dirpath, d))
                         or at_top and (d in _NOT_PACKAGES or d.startswith("_"))):
                continue
            keep.append(d)
        dirnames[:] = keep
        if not at_top:
            found.append(os.path.relpath(dirpath, top).replace(os.sep, "."))
    return found


def _layout(root: str, package_dir: Mapping[str, str]) -> tuple[dict[str, str], bool]:
    """(package_dir, flat): a ``src`` folder is the root package folder when package-dir names none."""
    if package_dir:
        return dict(package_dir), "" not in package_dir or package_dir[""] in ("", ".")
    if os.path.isdir(os.path.join(root, "src")):
        return {"": "src"}, False
    return {}, True


def _files_of(root: str, package: str, folder: str, packages: set[str]) -> Iterable[tuple[str, str]]:
    """(path inside the wheel, path in the project) of every file of *package*: its folder, and the
    subfolders that are not packages (a subpackage is an entry of its own, or not shipped)."""
    top = os.path.join(root, folder)
    for dirpath, dirnames, files in os.walk(top):
        rel = os.path.relpath(dirpath, top)
        prefix = package.split(".") + ([] if rel == "." else rel.split(os.sep))
        dirnames[:] = [d for d in sorted(dirnames) if d != "__pycache__" and ".".join(prefix + [d]) not in packages
                       and not _is_package(os.path.join(dirpath, d))]
        for name in sorted(files):
            yield "/".join(prefix + [name]), os.path.join(dirpath, name)


def wheel_sources(root: str, *, package_dir: Mapping[str, str], packages: Sequence[str] | None = None,
                  py_modules: Sequence[str] = (), extension_packages: Sequence[str] = (),
                  excluded_files: Iterable[str] = (), exclude: Sequence[str] = ()) -> dict[str, str]:
    """Path inside the wheel -> file in the project, for the pure-Python part of a wheel.

    *extension_packages* are the packages the extension modules live in (found
    as packages in a flat layout); *excluded_files* (relative to *root*) are the
    extensions' sources and the like.
    """
    mapping, flat = _layout(root, package_dir)
    if packages is None:
        names = set()
        for prefix, base in (mapping.items() if mapping else [("", "")]):
            found = _found_packages(root, base, flat and prefix == "")
            names |= {f"{prefix}.{p}" if prefix else p for p in found}
            if prefix:
                names.add(prefix)
        for name in extension_packages:
            parts = name.split(".")
            for i in range(1, len(parts) + 1):
                if os.path.isdir(os.path.join(root, package_folder(".".join(parts[:i]), mapping))):
                    names.add(".".join(parts[:i]))
        if not flat:  # src layout: its top-level modules too
            base = os.path.join(root, mapping.get("", ""))
            py_modules = [*py_modules, *(f[:-3] for f in sorted(os.listdir(base)) if f.endswith(".py")
                                         and _IDENTIFIER.fullmatch(f[:-3]))]
        packages = sorted(names)
    skipped = {os.path.normpath(os.path.join(root, f)) for f in excluded_files}
    chosen = set(packages)
    out: dict[str, str] = {}
    for package in packages:
        folder = os.path.normpath(package_folder(package, mapping))
        if not os.path.isdir(os.path.join(root, folder)):
            raise ConfigError(f"[tool.ninjagen] packages: package {package!r} has no folder {folder}")
        for inside, path in _files_of(root, package, folder, chosen):
            out[inside] = path
    for module in py_modules:
        path = os.path.join(root, package_folder(module, mapping) + ".py")
        if not os.path.isfile(path):
            raise ConfigError(f"[tool.ninjagen] py-modules: module {module!r} has no file {os.path.relpath(path, root)}")
        out[module.replace(".", "/") + ".py"] = path
    return {inside: path for inside, path in sorted(out.items())
            if not (path.endswith((".pyc", ".pyo")) or _BUILT.search(inside)
                    or os.path.normpath(path) in skipped
                    or any(fnmatch.fnmatchcase(inside, pattern) for pattern in exclude))}
