"""Wheels of a ``[tool.ninjagen]`` project: configure in a lasting build folder, run ninja, pack.

The build folder is the project's ``build/<wheel tag>/`` (``-C build-dir=``
chooses another): it outlives pip's isolated build environment, so the next
``pip wheel .`` compiles only what changed, and nothing in it names that
environment (the project is configured with its own list, without a
regeneration statement that would run the environment's Python).  The modules
and shared libraries are linked into ``<build folder>/wheel/`` at their
package paths, so their run paths (``$ORIGIN``) hold once installed.  Compiles
map the project folder to ``.``: two folders give the same wheel.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from typing import Optional

from .backend_settings import BackendSettings
from .config import PYPROJECT, load_project, packaging_config, read_pyproject
from .errors import ConfigError
from .metadata import ProjectMetadata, read_metadata
from .project import PackagingConfig, ProjectConfig
from .state import DEFAULT_BUILD_DIR, ConfigureOptions
from .target import Target
from .wheel_tags import wheel_tag
from .wheelfile import WheelWriter

__all__ = ["Project", "read_project", "build_wheel", "write_wheel", "metadata_files", "extension_sources",
           "extensions_and_pure_files", "target_python"]

WHEEL_DIR = "wheel"


@dataclass
class Project:
    """A backend project, read once per hook."""

    root: str
    metadata: ProjectMetadata
    packaging: PackagingConfig


def read_project(root: str) -> Project:
    root = os.path.abspath(root)
    path = os.path.join(root, PYPROJECT)
    if not os.path.isfile(path):
        raise ConfigError(f"no {PYPROJECT} in {root}")
    data = read_pyproject(path)
    packaging = packaging_config(data)
    if not packaging.has_extensions and os.path.isfile(os.path.join(root, "setup.py")):
        raise ConfigError("this project's extensions are in setup.py: build it with setuptools "
                          '(build-backend = "setuptools.build_meta"), through ninja with '
                          "[tool.ninjagen] setuptools-build-ext = true; ninjagen.backend builds "
                          "[tool.ninjagen] ext-modules")
    return Project(root, read_metadata(root, data), packaging)


def metadata_files(project: Project) -> dict[str, bytes]:
    """The ``.dist-info`` files besides WHEEL and RECORD: METADATA, entry points, licence files."""
    files = {"METADATA": project.metadata.core_metadata.encode()}
    if project.metadata.entry_points:
        files["entry_points.txt"] = project.metadata.entry_points.encode()
    for rel in project.metadata.license_files:
        with open(os.path.join(project.root, rel), "rb") as f:
            files[f"licenses/{rel}"] = f.read()
    return files


def target_python(settings: BackendSettings) -> Target:
    """The target Python: the one given (``-C python=``), else the one running the backend."""
    if settings.python:
        target = Target.from_path(settings.python)
        target.check_headers(f"config-setting python={settings.python}")
        return target
    return Target.current()


def extension_sources(config: ProjectConfig) -> list[str]:
    """Every file the extensions and libraries are built from: not shipped in the wheel."""
    files: list[str] = []
    for unit in [*config.extensions, *config.libraries, *config.shared_libraries]:
        files += list(unit.sources) + list(getattr(unit, "depends", []) or [])
    return files


def extensions_and_pure_files(project: Project) -> tuple[ProjectConfig, dict[str, str]]:
    """What the project builds, and its pure-Python files (path inside the wheel -> file)."""
    from .discovery import wheel_sources

    packaging = project.packaging
    config = load_project(project.root) if packaging.has_extensions else ProjectConfig()
    pure = wheel_sources(project.root, package_dir=packaging.package_dir, packages=packaging.packages,
                         py_modules=packaging.py_modules,
                         extension_packages=[e.name.rpartition(".")[0] for e in config.extensions if "." in e.name],
                         excluded_files=extension_sources(config), exclude=packaging.wheel_exclude)
    return config, pure


def build_wheel(project: Project, wheel_directory: str, settings: BackendSettings) -> str:
    """Build the project's wheel into *wheel_directory*; return its file name."""
    from .build import run_build
    from .configure import generate

    root = project.root
    config, pure = extensions_and_pure_files(project)
    if not config.extensions:
        return write_wheel(project, "py3-none-any", pure, wheel_directory)
    target = target_python(settings)
    tag = wheel_tag(target, config.extensions)
    build_dir = settings.build_dir or os.path.join(config.build_dir or DEFAULT_BUILD_DIR, tag)
    staging = os.path.join(build_dir, WHEEL_DIR)
    build_ninja = os.path.join(build_dir, "build.ninja")
    options = ConfigureOptions(build_dir=build_dir, python=settings.python, compiler=settings.compiler,
                               launcher=settings.launcher, map_prefix=True)
    result = generate(root, replace(config, package_dir={"": staging}, outputs={}), options, target=target,
                      build_ninja=build_ninja)
    records = [{"name": b.name, "output": b.output, "optional": b.optional} for b in result.extensions]
    skipped = set(run_build(root, records, build_ninja=build_ninja, jobs=settings.jobs, verbose=settings.verbose))
    built: dict[str, str] = {}  # path inside the wheel -> file
    everything = result.compiler.graph.edges.get("all")
    for output in (everything.inputs if everything else ()):
        if any(b.output == output and b.name in skipped for b in result.extensions):
            continue
        full = os.path.join(root, output)
        if not os.path.isfile(full):
            raise ConfigError(f"{output}: ninja built it, but it is not there: not packing a wheel without it")
        built[os.path.relpath(full, os.path.join(root, staging)).replace(os.sep, "/")] = full
    return write_wheel(project, tag, {**pure, **built}, wheel_directory, keep_in=os.path.join(root, build_dir))


def write_wheel(project: Project, tag: str, files: dict[str, str], wheel_directory: str,
                extra: Optional[dict[str, bytes]] = None, keep_in: Optional[str] = None) -> str:
    meta = project.metadata
    writer = WheelWriter(meta.distribution, meta.version, tag)
    for inside, path in files.items():
        writer.add_file(inside, path)
    for name, data in (extra or {}).items():
        writer.add_bytes(name, data)
    for name, data in metadata_files(project).items():
        writer.add_metadata(name, data)
    return writer.write(wheel_directory, keep_in=keep_in)
