"""``ninjagen develop``: an editable install whose first import in a process rebuilds.

:func:`loader_files` makes the two files of the loader: the standalone finder
(:mod:`ninjagen._editable`, copied with this project's settings appended as
one ``install(...)`` call) and a ``.pth`` line that imports it at start-up.
The settings are the project folder, its build folder (for the lock), the
absolute path of the ninja binary, where each top-level package or module of
the project lives (from the extensions' outputs that configure recorded: a
``src/`` layout maps ``pkg`` to ``src``), and whether the first import
rebuilds, and shows ninja's output when nothing changed.  :func:`develop`
writes them into the running interpreter's site-packages; an editable wheel
(:mod:`ninjagen.backend`) carries the same two files.  ``--uninstall`` removes
them.
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
from typing import TYPE_CHECKING, Mapping, Optional, Sequence

from .atomic import atomic_write
from .errors import NinjagenError

if TYPE_CHECKING:
    from .state import BuildState

__all__ = ["develop", "uninstall", "installed", "loader_files", "site_packages", "MODULE_PREFIX", "DevelopResult"]

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


def _installed_call(source: str) -> tuple[str, dict[str, list[str]]]:
    """(project folder, packages) from the ``install(project, build_dir, ninja, packages, ...)`` call
    that ends a finder module; keyword arguments after the four positional ones are ignored."""
    call = ast.parse(source).body[-1].value  # type: ignore[attr-defined]
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "install"):
        raise ValueError("no install(...) call at the end")
    project, _build_dir, _ninja, packages = (ast.literal_eval(a) for a in call.args)
    return project, packages


def installed(site_dir: Optional[str] = None) -> dict[str, tuple[str, dict[str, list[str]]]]:
    """The editable installs in *site_dir*: finder module path -> (project folder, packages)."""
    found = {}
    for path in sorted(glob.glob(os.path.join(site_dir or site_packages(), MODULE_PREFIX + "*.py"))):
        try:
            with open(path, encoding="utf-8") as f:
                found[path] = _installed_call(f.read())
        except (OSError, SyntaxError, ValueError, AttributeError, IndexError, TypeError):
            continue  # not one of ours, or damaged: left alone
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


def loader_files(root: str, state: "BuildState", *, rebuild: bool = True, verbose: bool = False,
                 ninja: Optional[str] = None, packages: Optional[Mapping[str, Sequence[str]]] = None,
                 support: Optional[str] = None) -> dict[str, str]:
    """The editable loader for the configured project at *root*: file name -> text, to go into
    site-packages (the finder module ``_ninjagen_editable_<name>.py`` and its ``.pth``).

    *state* is the project's build state (:func:`ninjagen.build.ensure_configured`).
    *rebuild* False: the loader never runs ninja (``NINJAGEN_NO_REBUILD=1`` also turns
    a rebuild off at run time).  *verbose*: ninja's output is shown even when nothing
    changed.  *ninja*: the binary recorded as the loader's second choice, after the one
    beside the running interpreter (default: the one this process would run).
    *packages*: more top-level names -> their folders (absolute, or relative to *root*),
    such as pure-Python packages, merged into those of the extension modules.  *support*: a
    folder with a copy of ninjagen (:mod:`ninjagen.editable_support`), for when the importing
    environment has none.
    """
    from .runner import ninja_binary

    root = os.path.abspath(root)
    found = _packages(root, state.extensions)
    for name, folders in (packages or {}).items():
        known = found.setdefault(name, [])
        known.extend(f for f in (os.path.normpath(os.path.join(root, f)) for f in folders) if f not in known)
    if not found:
        raise NinjagenError(f"{root} builds no extension modules: nothing to install")
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "_editable.py"), encoding="utf-8") as f:
        source = f.read()
    call = (f"install({root!r}, {state.build_dir!r}, {ninja or ninja_binary()!r}, {found!r}, "
            f"rebuild={bool(rebuild)!r}, verbose={bool(verbose)!r}, support={support!r})\n")
    stem = MODULE_PREFIX + _project_name(root)
    return {stem + ".py": source.rstrip("\n") + "\n\n\n" + call, stem + ".pth": f"import {stem}\n"}


def develop(project_dir: str = ".", site_dir: Optional[str] = None, *, rebuild: bool = True,
            verbose: bool = False) -> DevelopResult:
    """Install the rebuild-on-import loader for the project into *site_dir* (default: site_packages()).

    *rebuild* and *verbose* are :func:`loader_files`'.
    """
    from .build import ensure_configured

    root = os.path.abspath(project_dir)
    if not os.path.isdir(root):
        raise NinjagenError(f"project folder {project_dir} does not exist")
    site_dir = site_dir or site_packages()
    state = ensure_configured(root)
    files = loader_files(root, state, rebuild=rebuild, verbose=verbose)
    (module_name,) = [name for name in files if name.endswith(".py")]
    (pth_name,) = [name for name in files if name.endswith(".pth")]
    module_path, pth_path = os.path.join(site_dir, module_name), os.path.join(site_dir, pth_name)
    packages = _installed_call(files[module_name])[1]
    for path, (project, theirs) in installed(site_dir).items():
        if project == root:
            _remove(path)  # ours, perhaps under an older name: replaced
            continue
        clash = sorted(set(theirs) & set(packages))
        if clash and os.path.isdir(project):
            raise NinjagenError(f"{', '.join(clash)} is already installed in editable mode from {project} "
                                f"(remove it with: ninjagen develop --uninstall -C {project})")
    try:
        os.makedirs(site_dir, exist_ok=True)
        atomic_write(module_path, files[module_name])
        atomic_write(pth_path, files[pth_name])
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
