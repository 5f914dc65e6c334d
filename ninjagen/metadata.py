"""A project's ``[project]`` table (PEP 621) as core metadata, through pyproject-metadata.

pyproject-metadata (the library meson-python uses) validates the table and
writes the ``METADATA`` / ``PKG-INFO`` text, licence expression and licence
files (PEP 639) included; ``packaging`` normalizes names.  What ninjagen adds:
its errors are one line naming the field, ``dynamic`` fields are refused
(ninjagen computes none of them), and the ``entry_points.txt`` of a wheel.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Mapping

from .config import PYPROJECT
from .errors import ConfigError

__all__ = ["ProjectMetadata", "read_metadata"]


@dataclass(frozen=True)
class ProjectMetadata:
    """What a wheel or an sdist needs of ``[project]``."""

    name: str
    """As written (``METADATA``'s ``Name``)."""
    version: str
    """Normalized (PEP 440)."""
    distribution: str
    """The name in file names: normalized, ``-`` as ``_`` (``my_pkg``)."""
    core_metadata: str
    """``METADATA`` / ``PKG-INFO``."""
    license_files: tuple[str, ...]
    """Relative to the project folder, POSIX separators."""
    entry_points: str
    """``entry_points.txt``, or "" when the project declares none."""


def _one_line(exc: BaseException) -> str:
    """pyproject-metadata's error (or the first of an ExceptionGroup's) as one line."""
    while hasattr(exc, "exceptions") and exc.exceptions:  # ExceptionGroup (all_errors=True)
        exc = exc.exceptions[0]
    return " ".join(str(exc).split())


def _entry_points(groups: Mapping[str, Mapping[str, str]]) -> str:
    lines: list[str] = []
    for group, entries in groups.items():
        if entries:
            lines.append(f"[{group}]")
            lines += [f"{name} = {target}" for name, target in entries.items()]
            lines.append("")
    return "\n".join(lines)


def read_metadata(project_dir: str, pyproject: Mapping[str, Any]) -> ProjectMetadata:
    """The core metadata of the project at *project_dir* from its parsed pyproject.toml.

    Exactly what ``[project]`` says (PEP 621: a backend adds no requirement of its own).
    """
    try:
        from packaging.utils import canonicalize_name
        from pyproject_metadata import StandardMetadata
    except ImportError as exc:  # pragma: no cover - both are dependencies of ninjagen
        raise ConfigError(f"the build backend needs {exc.name}: pip install pyproject-metadata packaging") from None
    if "project" not in pyproject:
        raise ConfigError(f"{PYPROJECT}: no [project] table: the build backend takes the name, version and "
                          "the rest of the metadata from it (PEP 621)")
    try:
        meta = StandardMetadata.from_pyproject(dict(pyproject), project_dir=project_dir)
    except Exception as exc:  # ConfigurationError, or an ExceptionGroup of them
        raise ConfigError(f"{PYPROJECT}: {_one_line(exc)}") from None
    if meta.dynamic:
        raise ConfigError(f"{PYPROJECT}: project.dynamic lists {meta.dynamic[0]!r}, which ninjagen cannot fill: "
                          f"write project.{meta.dynamic[0]} in [project] itself")
    groups: dict[str, Mapping[str, str]] = {}
    if meta.scripts:
        groups["console_scripts"] = meta.scripts
    if meta.gui_scripts:
        groups["gui_scripts"] = meta.gui_scripts
    groups.update(meta.entrypoints)
    root = os.path.abspath(project_dir)
    license_files = tuple(sorted(os.path.relpath(os.path.join(root, os.fspath(p)), root).replace(os.sep, "/")
                                 for p in meta.license_files or ()))
    return ProjectMetadata(
        name=meta.name, version=str(meta.version), distribution=canonicalize_name(meta.name).replace("-", "_"),
        core_metadata=str(meta.as_rfc822()), license_files=license_files, entry_points=_entry_points(groups))
