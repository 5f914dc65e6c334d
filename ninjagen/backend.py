"""ninjagen as a PEP 517 / PEP 660 build backend: ``build-backend = "ninjagen.backend"``.

    [build-system]
    requires = ["ninjagen"]
    build-backend = "ninjagen.backend"

What to build comes from ``[tool.ninjagen]`` as for ``ninjagen configure``; the
metadata from ``[project]``.  A hook that cannot do its work prints one line,
``ninjagen: error: ...``, and exits with status 1 (the frontend shows that line,
not a traceback from inside the backend).  See :mod:`ninjagen.wheel_build`,
:mod:`ninjagen.sdist` and :mod:`ninjagen.editable_wheel`.
"""

from __future__ import annotations

import functools
import os
import sys
from typing import Any, Callable, Mapping, Optional, TypeVar

from .errors import NinjagenError

__all__ = [
    "get_requires_for_build_wheel", "get_requires_for_build_sdist", "get_requires_for_build_editable",
    "prepare_metadata_for_build_wheel", "prepare_metadata_for_build_editable",
    "build_wheel", "build_sdist", "build_editable",
]

Settings = Optional[Mapping[str, Any]]
F = TypeVar("F", bound=Callable[..., Any])


def _one_line_errors(hook: F) -> F:
    @functools.wraps(hook)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return hook(*args, **kwargs)
        except NinjagenError as exc:
            print(f"ninjagen: error: {exc}", file=sys.stderr)
            raise SystemExit(1) from None

    return run  # type: ignore[return-value]


def _settings(config_settings: Settings):
    from .backend_settings import parse_settings

    return parse_settings(config_settings)


def _requires(config_settings: Settings) -> list[str]:
    """Cython when an extension has ``.pyx`` sources; nothing else (ninja and jinja2 come with ninjagen)."""
    from .config import load_project
    from .wheel_build import read_project

    _settings(config_settings)
    project = read_project(os.getcwd())
    if not project.packaging.has_extensions:
        return []
    config = load_project(project.root)
    pyx = any(str(s).endswith(".pyx") for ext in config.extensions for s in ext.sources)
    return ["cython>=3"] if pyx else []


@_one_line_errors
def get_requires_for_build_wheel(config_settings: Settings = None) -> list[str]:
    return _requires(config_settings)


@_one_line_errors
def get_requires_for_build_editable(config_settings: Settings = None) -> list[str]:
    return _requires(config_settings)


@_one_line_errors
def get_requires_for_build_sdist(config_settings: Settings = None) -> list[str]:
    _settings(config_settings)
    return []


def _prepare(metadata_directory: str) -> str:
    from .wheel_build import metadata_files, read_project

    project = read_project(os.getcwd())
    meta = project.metadata
    dist_info = os.path.join(metadata_directory, f"{meta.distribution}-{meta.version}.dist-info")
    for name, data in metadata_files(project).items():
        path = os.path.join(dist_info, *name.split("/"))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
    return os.path.basename(dist_info)


@_one_line_errors
def prepare_metadata_for_build_wheel(metadata_directory: str, config_settings: Settings = None) -> str:
    _settings(config_settings)
    return _prepare(metadata_directory)


@_one_line_errors
def prepare_metadata_for_build_editable(metadata_directory: str, config_settings: Settings = None) -> str:
    _settings(config_settings)
    return _prepare(metadata_directory)


@_one_line_errors
def build_wheel(wheel_directory: str, config_settings: Settings = None,
                metadata_directory: Optional[str] = None) -> str:
    from .wheel_build import build_wheel as build, read_project

    settings = _settings(config_settings)
    return build(read_project(os.getcwd()), wheel_directory, settings)


@_one_line_errors
def build_editable(wheel_directory: str, config_settings: Settings = None,
                   metadata_directory: Optional[str] = None) -> str:
    from .editable_wheel import build_editable as build
    from .wheel_build import read_project

    settings = _settings(config_settings)
    return build(read_project(os.getcwd()), wheel_directory, settings)


@_one_line_errors
def build_sdist(sdist_directory: str, config_settings: Settings = None) -> str:
    from .sdist import write_sdist
    from .wheel_build import read_project

    _settings(config_settings)
    project = read_project(os.getcwd())
    meta = project.metadata
    return write_sdist(project.root, sdist_directory, name=meta.name, version=meta.version,
                       pkg_info=meta.core_metadata, include=project.packaging.sdist_include,
                       exclude=project.packaging.sdist_exclude)
