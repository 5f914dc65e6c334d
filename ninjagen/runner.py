"""Finding and running the ``ninja`` binary that the ``ninja`` package ships."""

from __future__ import annotations

import os
import shutil
import subprocess
from typing import Optional, Sequence

from .errors import NinjagenError
from .process import run

__all__ = ["ninja_binary", "run_ninja"]


def ninja_binary() -> str:
    """Path of the ninja executable: the PyPI package's, else one on PATH."""
    try:
        import ninja

        exe = os.path.join(ninja.BIN_DIR, "ninja" + (".exe" if os.name == "nt" else ""))
        if os.path.isfile(exe):
            return exe
    except ImportError:
        pass
    found = shutil.which("ninja")
    if found is None:
        raise NinjagenError("the ninja binary was not found: pip install ninja")
    return found


def run_ninja(args: Sequence[str], cwd: str, capture: bool = False,
              env: Optional[dict] = None) -> subprocess.CompletedProcess:
    """Run ninja with *args* in *cwd*; output streams through unless *capture*."""
    return run([ninja_binary(), *args], cwd=cwd, env=env, capture=capture)
