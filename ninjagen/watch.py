"""``ninjagen watch``: rebuild on save.

Builds once, then waits for changes under the project folder and runs ninja
again after each batch, its progress and errors streaming as they happen.
What counts as a change: a C/C++/Cython/SWIG source or header (by suffix),
``pyproject.toml`` / ``setup.py`` / ``setup.cfg``, or any file that ninja
names as an input of the build (``ninja -t inputs``: ``depends`` files, for
one); never the build folder or what the build writes.  The file watching is
watchfiles' (the ``watch`` extra: ``pip install 'ninjagen[watch]'``).
"""

from __future__ import annotations

import os
import sys
from typing import Any, Optional

from .errors import NinjagenError

__all__ = ["watch", "WATCHED_SUFFIXES", "CONFIG_FILES"]

WATCHED_SUFFIXES = frozenset({
    ".c", ".cc", ".cpp", ".cxx", ".c++", ".C", ".m", ".mm",          # sources
    ".h", ".hh", ".hpp", ".hxx", ".h++", ".H", ".inc", ".inl", ".ipp", ".tcc",  # headers
    ".pyx", ".pxd", ".pxi", ".i", ".swg",                            # Cython, SWIG
    ".rc", ".def",                                                   # Windows resources, exports
})
CONFIG_FILES = frozenset({"pyproject.toml", "setup.py", "setup.cfg"})
MISSING = "ninjagen watch needs the watchfiles package: pip install 'ninjagen[watch]'"


def _import_watchfiles() -> Any:
    try:
        import watchfiles
    except ImportError:
        raise NinjagenError(MISSING) from None
    return watchfiles


def _ninja_lines(root: str, *args: str) -> list[str]:
    from .runner import run_ninja

    proc = run_ninja(list(args), cwd=root, capture=True)
    return proc.stdout.splitlines() if proc.returncode == 0 else []


def _known_inputs(root: str) -> set[str]:
    """Absolute paths of the files the build reads that no build statement writes."""
    outputs = {line.rpartition(":")[0] for line in _ninja_lines(root, "-t", "targets", "all")}
    return {os.path.normpath(os.path.join(root, p)) for p in _ninja_lines(root, "-t", "inputs", "all")
            if p not in outputs}


class _Filter:
    """Which changed paths start a build (a watchfiles filter: ``(change, path) -> bool``)."""

    def __init__(self, root: str, build_dir: str, default: Any) -> None:
        self.root = root
        self.build_dir = os.path.join(os.path.normpath(os.path.join(root, build_dir)), "")
        self.default = default  # watchfiles' DefaultFilter: .git, __pycache__, editor swap files
        self.known = _known_inputs(root)

    def refresh(self) -> None:
        self.known = _known_inputs(self.root)

    def __call__(self, change: Any, path: str) -> bool:
        path = os.path.normpath(path)
        if path.startswith(self.build_dir) or not self.default(change, path):
            return False
        name = os.path.basename(path)
        return name in CONFIG_FILES or os.path.splitext(name)[1] in WATCHED_SUFFIXES or path in self.known


def _build(root: str, jobs: Optional[int]) -> bool:
    from .runner import run_ninja

    sys.stdout.flush()
    ok = run_ninja(["-j", str(jobs)] if jobs else [], cwd=root).returncode == 0
    sys.stdout.flush()
    print("ninjagen: build finished; watching for changes" if ok else
          "ninjagen: build failed; watching for changes", file=sys.stderr, flush=True)
    return ok


def watch(project_dir: str = ".", jobs: Optional[int] = None, stop_event: Any = None) -> int:
    """Build, then rebuild after every change, until Ctrl-C (or *stop_event* is set)."""
    from .build import ensure_configured

    watchfiles = _import_watchfiles()
    state = ensure_configured(project_dir)
    root = state.project_dir
    changes_filter = _Filter(root, state.build_dir, watchfiles.DefaultFilter())
    armed = False
    try:
        # yield_on_timeout: the first (empty) batch says the watcher is in place; build only then,
        # so that a save during the first build is not missed
        for changes in watchfiles.watch(root, watch_filter=changes_filter, stop_event=stop_event,
                                        debounce=800, step=50, rust_timeout=200, yield_on_timeout=True):
            if not armed:
                armed = True
                _build(root, jobs)
                print(f"ninjagen: watching {root} (Ctrl-C to stop)", file=sys.stderr, flush=True)
                continue
            if not changes:
                continue
            names = sorted(os.path.relpath(path, root) for _, path in changes)
            more = f" and {len(names) - 3} more" if len(names) > 3 else ""
            print(f"ninjagen: changed: {', '.join(names[:3])}{more}; rebuilding", file=sys.stderr, flush=True)
            _build(root, jobs)
            changes_filter.refresh()
    except KeyboardInterrupt:
        pass
    print("ninjagen: stopped watching", file=sys.stderr, flush=True)
    return 0
