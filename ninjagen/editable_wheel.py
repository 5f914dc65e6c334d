"""The editable wheel (PEP 660) of a ``[tool.ninjagen]`` project: ``pip install -e .``, ``uv pip install -e .``.

It holds the loader that ``ninjagen develop`` installs (:func:`ninjagen.develop.loader_files`):
the project is configured in place, as ``ninjagen configure`` does, and built
once now; then the first import of one of its packages in a process rebuilds
what changed.  Pure-Python packages are served from the source tree by the same
finder.  What the loader runs is copied into the build folder
(:mod:`ninjagen.editable_support`): pip deletes its isolated build environment
(uv its whole build venv) as soon as the wheel is built.
"""

from __future__ import annotations

import os

from .backend_settings import BackendSettings
from .editable_support import copy_support
from .state import ConfigureOptions
from .wheel_build import Project, extensions_and_pure_files, target_python, write_wheel
from .wheel_tags import wheel_tag

__all__ = ["build_editable"]


def _pure_packages(pure: dict[str, str]) -> dict[str, list[str]]:
    """Top-level name -> the folder that holds it, from the wheel's pure-Python files."""
    found: dict[str, list[str]] = {}
    for inside, path in pure.items():
        parts = inside.split("/")
        name = parts[0][:-3] if len(parts) == 1 else parts[0]
        holder = os.path.dirname(path)
        for _ in parts[1:]:
            holder = os.path.dirname(holder)
        folders = found.setdefault(name, [])
        if holder not in folders:
            folders.append(holder)
    return found


def build_editable(project: Project, wheel_directory: str, settings: BackendSettings) -> str:
    from .build import ensure_configured, run_build
    from .configure import generate
    from .develop import loader_files
    from .state import read_state

    root = project.root
    config, pure = extensions_and_pure_files(project)
    if not config.extensions:  # pure Python: the folders that hold its packages, on sys.path
        holders = sorted({f for folders in _pure_packages(pure).values() for f in folders})
        pth = {f"_{project.metadata.distribution}_editable.pth": ("\n".join(holders) + "\n").encode()}
        return write_wheel(project, "py3-none-any", {}, wheel_directory, extra=pth)
    options = ConfigureOptions(build_dir=settings.build_dir, python=settings.python, compiler=settings.compiler,
                               launcher=settings.launcher)
    state = read_state(root)
    if state is None or (state.options or ConfigureOptions()) != options:
        generate(root, None, options)  # as asked now, in place: the loader runs this build.ninja
    state = ensure_configured(root)
    run_build(root, state.extensions, jobs=settings.jobs, verbose=settings.verbose)
    ninja, support = copy_support(root, state.build_dir)
    files = loader_files(root, state, rebuild=settings.editable_rebuild, verbose=settings.editable_verbose,
                         packages=_pure_packages(pure), ninja=ninja, support=support)
    tag = wheel_tag(target_python(settings), config.extensions)
    return write_wheel(project, tag, {}, wheel_directory, extra={name: text.encode() for name, text in files.items()})
