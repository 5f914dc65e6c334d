"""``ninjagen develop``: an editable install whose first import in a process rebuilds.

Into the running interpreter's site-packages go two files: the standalone
finder (:mod:`ninjagen._editable`, copied with this project's settings
appended) and a ``.pth`` line that imports it at start-up.  The settings are
the project folder, its build folder (for the lock), the absolute path of the
ninja binary, and where each top-level package or module of the project lives
(from the extensions' outputs that configure recorded: a ``src/`` layout maps
``pkg`` to ``src``).  ``--uninstall`` removes both files.
"""

from __future__ import annotations

import ast
import glob
import importlib.machinery
import os
import py_compile
import re
import sysconfig
from dataclasses import dataclass
from typing import Optional

from .atomic import atomic_write
from .errors import NinjagenError

__all__ = ["develop", "uninstall", "installed", "site_packages", "MODULE_PREFIX", "DevelopResult"]

MODULE_PREFIX = "_ninjagen_editable_"


@dataclass(frozen=True)
class DevelopResult:
    module: str
    """The finder module written into site-packages (its path)."""
    pth: str
    packages: dict[str, list[str]]
    """Top-level name -> folders the finder looks in."""


def site_packages() -> str:
    """The running interpreter's site-packages (purelib of ``sys.prefix``): where ``develop`` installs."""
    return sysconfig.get_path("purelib")


def _project_name(root: str) -> str:
    from .config import PYPROJECT, read_pyproject

    name = ""
    path = os.path.join(root, PYPROJECT)
    if os.path.isfile(path):
        project = read_pyproject(path).get("project")
        if isinstance(project, dict) and isinstance(project.get("name"), str):
            name = project["name"]
    name = re.sub(r"[^A-Za-z0-9]+", "_", name or os.path.basename(root)).strip("_").lower()
    return name or "project"


def _packages(root: str, extensions: list[dict]) -> dict[str, list[str]]:
    """Top-level name -> the folders that hold it, from where each extension module lands."""
    suffixes = importlib.machinery.EXTENSION_SUFFIXES
    packages: dict[str, list[str]] = {}
    for ext in extensions:
        name, output = ext["name"], ext["output"]
        parts = name.split(".")
        if os.path.basename(output)[len(parts[-1]):] not in suffixes:
            raise NinjagenError(f"extension {name!r} is built as {output}, which this Python cannot import "
                                f"(it takes {', '.join(suffixes)}): run 'ninjagen configure' with this Python")
        folder = os.path.dirname(output)
        for part in reversed(parts[:-1]):  # climb from the module's folder to the one that holds the top package
            if os.path.basename(folder) != part:
                raise NinjagenError(f"extension {name!r} is built as {output}, outside a folder named after "
                                    f"its package: an editable install cannot map {parts[0]!r} to a folder")
            folder = os.path.dirname(folder)
        folders = packages.setdefault(parts[0], [])
        path = os.path.normpath(os.path.join(root, folder))
        if path not in folders:
            folders.append(path)
    return packages


def installed(site_dir: Optional[str] = None) -> dict[str, tuple[str, dict[str, list[str]]]]:
    """The editable installs in *site_dir*: finder module path -> (project folder, packages)."""
    found = {}
    for path in sorted(glob.glob(os.path.join(site_dir or site_packages(), MODULE_PREFIX + "*.py"))):
        try:
            with open(path, encoding="utf-8") as f:
                tree = ast.parse(f.read())
            call = tree.body[-1].value  # type: ignore[attr-defined]
            project, _build_dir, _ninja, packages = (ast.literal_eval(a) for a in call.args)
        except (OSError, SyntaxError, ValueError, AttributeError, IndexError, TypeError):
            continue  # not one of ours, or damaged: left alone
        found[path] = (project, packages)
    return found


def _remove(module_path: str) -> None:
    stem = os.path.splitext(os.path.basename(module_path))[0]
    folder = os.path.dirname(module_path)
    for path in [module_path, os.path.join(folder, stem + ".pth"),
                 *glob.glob(os.path.join(folder, "__pycache__", stem + ".*.pyc"))]:
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise NinjagenError(f"cannot remove {path}: {exc.strerror}") from None


def develop(project_dir: str = ".", site_dir: Optional[str] = None) -> DevelopResult:
    """Install the rebuild-on-import loader for the project into *site_dir* (default: site_packages())."""
    from .build import ensure_configured
    from .runner import ninja_binary

    root = os.path.abspath(project_dir)
    if not os.path.isdir(root):
        raise NinjagenError(f"project folder {project_dir} does not exist")
    site_dir = site_dir or site_packages()
    state = ensure_configured(root)
    build_dir = state.build_dir
    packages = _packages(root, state.extensions)
    if not packages:
        raise NinjagenError(f"{root} builds no extension modules: nothing to install")
    for path, (project, theirs) in installed(site_dir).items():
        if project == root:
            _remove(path)  # ours, perhaps under an older name: replaced
            continue
        clash = sorted(set(theirs) & set(packages))
        if clash and os.path.isdir(project):
            raise NinjagenError(f"{', '.join(clash)} is already installed in editable mode from {project} "
                                f"(remove it with: ninjagen develop --uninstall -C {project})")
    stem = MODULE_PREFIX + _project_name(root)
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "_editable.py"), encoding="utf-8") as f:
        source = f.read()
    call = f"install({root!r}, {build_dir!r}, {ninja_binary()!r}, {packages!r})\n"
    module_path, pth_path = os.path.join(site_dir, stem + ".py"), os.path.join(site_dir, stem + ".pth")
    try:
        os.makedirs(site_dir, exist_ok=True)
        atomic_write(module_path, source.rstrip("\n") + "\n\n\n" + call)
        atomic_write(pth_path, f"import {stem}\n")
        # its bytecode now: start-up then only reads it, also where no bytecode is written
        py_compile.compile(module_path, doraise=True, invalidation_mode=py_compile.PycInvalidationMode.TIMESTAMP)
    except OSError as exc:
        raise NinjagenError(f"cannot write into {site_dir}: {exc.strerror}") from None
    return DevelopResult(module_path, pth_path, packages)


def uninstall(project_dir: str = ".", site_dir: Optional[str] = None) -> list[str]:
    """Remove the project's editable loader from *site_dir*; return the finder modules removed."""
    root = os.path.abspath(project_dir)
    removed = [path for path, (project, _) in installed(site_dir).items() if project == root]
    for path in removed:
        _remove(path)
    return removed
