"""What an editable install's loader runs, copied into the project's build folder.

pip builds the editable wheel in an isolated environment and deletes it
afterwards; uv deletes its whole build venv.  The ninjagen and ninja that
configured the project lived there, and the environment the project is
installed into need not have either (the wheel's metadata is the project's
own: PEP 621 lets no backend add a dependency).  So the backend copies them
beside the build they serve, ``<build folder>/ninjagen-support/``: the ninja
binary in ``bin/``, ninjagen and the packages it imports in ``lib/``.  The loader
runs that ninja when its environment has none, and ``python -m ninjagen build``
with that folder on ``PYTHONPATH`` when build.ninja must be written again and
its environment has no ninjagen.  The copy lasts as long as the build folder
(and ``pip install -e .`` makes it again).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys

from . import __version__
from .errors import NinjagenError
from .rules import templates_dir
from .runner import ninja_binary

__all__ = ["copy_support", "SUPPORT_DIR"]

SUPPORT_DIR = "ninjagen-support"
#: ninjagen's imports at configure time, besides the standard library
_PACKAGES = ("ninjagen", "ninja", "jinja2", "markupsafe", "pyproject_metadata", "packaging") + (
    ("tomli",) if sys.version_info < (3, 11) else ())
_SKIP = shutil.ignore_patterns("__pycache__", "*.pyc")


def _package_folder(name: str) -> str:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise NinjagenError(f"cannot copy {name} for the editable install: it is not importable here as a package")
    return list(spec.submodule_search_locations)[0]


def copy_support(root: str, build_dir: str) -> tuple[str, str]:
    """Copy ninja and ninjagen's packages under *build_dir* (relative to *root*); return (ninja, lib folder)."""
    support = os.path.join(root, build_dir, SUPPORT_DIR)
    lib = os.path.join(support, "lib")
    # the ninja package keeps its binary among the environment's scripts: the copy's goes into bin/,
    # which the loader puts first on PATH for the copied ninjagen (another ninja version would read
    # the build log's command hashes as changed commands, and rebuild everything)
    ninja = os.path.join(support, "bin", os.path.basename(ninja_binary()))
    stamp = os.path.join(support, "VERSION")
    wanted = f"ninjagen {__version__} for {sys.version_info[0]}.{sys.version_info[1]}\n"
    try:
        with open(stamp, encoding="utf-8") as f:
            if f.read() == wanted and os.path.isfile(ninja) and os.path.isdir(os.path.join(lib, "ninjagen")):
                return ninja, lib
    except OSError:
        pass
    try:
        shutil.rmtree(support, ignore_errors=True)
        os.makedirs(os.path.dirname(ninja))
        shutil.copy2(ninja_binary(), ninja)
        for name in _PACKAGES:
            shutil.copytree(_package_folder(name), os.path.join(lib, name), ignore=_SKIP, symlinks=False)
        templates = os.path.join(lib, "ninjagen", "templates")
        if not os.path.isdir(templates):  # a source checkout keeps them beside the package
            shutil.copytree(templates_dir(), templates, ignore=_SKIP)
        with open(stamp, "w", encoding="utf-8") as f:
            f.write(wanted)
    except OSError as exc:
        raise NinjagenError(f"cannot copy what the editable install runs into {support}: {exc}") from None
    return ninja, lib
