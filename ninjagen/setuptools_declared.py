"""``[tool.ninjagen] ext-modules`` handed to setuptools, for a project built by setuptools with the plugin.

setuptools does not read ``[tool.ninjagen]``: without this, such a project's
wheel would come out without its extensions, pure-Python tagged, and no error.
With ``setuptools-build-ext = true`` the declared extensions (and static
libraries, as ``build_clib`` libraries) become the distribution's, with the
``Py_LIMITED_API`` macro and the ``abi3`` wheel tag that ``py-limited-api``
means for ninjagen; a project that declares extensions without opting in is
stopped with one line, and so is one with ``shared-libraries``, which setuptools
has no way to build.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from .config import PYPROJECT, load_project
from .errors import ConfigError
from .extension import Extension
from .project import ProjectConfig

__all__ = ["give_setuptools_the_declared_extensions"]


def _setuptools_extension(ext: Extension, target_version: tuple[int, int]) -> Any:
    from setuptools import Extension as SetuptoolsExtension

    macros = list(ext.define_macros)
    limited = ext.limited_api_hex(target_version)
    if limited is not None:
        macros.insert(0, ("Py_LIMITED_API", limited))
    made = SetuptoolsExtension(
        ext.name, list(ext.sources), include_dirs=list(ext.include_dirs), define_macros=macros,
        undef_macros=list(ext.undef_macros), library_dirs=list(ext.library_dirs), libraries=list(ext.libraries),
        runtime_library_dirs=list(ext.runtime_library_dirs), extra_objects=list(ext.extra_objects),
        extra_compile_args=list(ext.extra_compile_args), extra_link_args=list(ext.extra_link_args),
        export_symbols=list(ext.export_symbols), swig_opts=list(ext.swig_opts), depends=list(ext.depends),
        language=ext.language, optional=ext.optional, py_limited_api=bool(ext.py_limited_api))
    made.cython_directives = dict(ext.cython_directives)  # what the drop-in's recorder reads (see setuptools.py)
    return made


def _refuse_what_setuptools_cannot_build(config: ProjectConfig) -> None:
    if config.shared_libraries:
        raise ConfigError(f"{PYPROJECT} [tool.ninjagen] shared-libraries: setuptools cannot build a library "
                          'that modules load at run time: use build-backend = "ninjagen.backend"')


def give_setuptools_the_declared_extensions(dist: Any, tool: dict, project_dir: str = ".") -> None:
    """Put the project's declared extensions into *dist* (when it has none of its own)."""
    if dist.ext_modules or not tool.get("ext-modules"):
        return
    if tool.get("setuptools-build-ext") is not True:
        raise ConfigError(f"{PYPROJECT} declares [tool.ninjagen] ext-modules, but setuptools builds this project "
                          "and does not read them: set [tool.ninjagen] setuptools-build-ext = true, or "
                          'build-backend = "ninjagen.backend" (a wheel without them would be wrong)')
    config = load_project(project_dir)
    _refuse_what_setuptools_cannot_build(config)
    version = sys.version_info[:2]
    dist.ext_modules = [_setuptools_extension(ext, version) for ext in config.extensions]
    if config.libraries and not dist.libraries:
        dist.libraries = [(lib.name, {"sources": list(lib.sources), "include_dirs": list(lib.include_dirs),
                                      "macros": list(lib.define_macros), "cflags": list(lib.extra_compile_args)})
                          for lib in config.libraries]
    if all(ext.py_limited_api for ext in config.extensions):
        lowest = min(int(ext.limited_api_hex(version)[4:6], 16) for ext in config.extensions)  # type: ignore[index]
        options = dist.get_option_dict("bdist_wheel")
        options.setdefault("py_limited_api", (os.path.join(project_dir, PYPROJECT), f"cp3{lowest}"))
