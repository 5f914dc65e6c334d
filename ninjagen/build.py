"""Running a build: configure when needed, run ninja, judge the result by exit status.

``ninjagen build``, ``develop`` and ``watch`` come through :func:`ensure_configured`,
which configures a project that has no build.ninja and configures again, with
the running ninjagen, one whose build.ninja cannot be trusted to regenerate
itself (see :meth:`BuildState.stale_reason`): a vanished interpreter, another
environment, another ninjagen, a changed compiler environment.  Nothing here
prints except the one line that says why it configures again; errors are raised.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import Mapping, Optional, Sequence

from .configure import configure, forget_build_log, generate
from .errors import BuildError, ConfigError
from .runner import run_ninja
from .state import BUILD_NINJA, BuildState, read_state

__all__ = ["ensure_configured", "build", "run_build", "BuildResult"]


def ensure_configured(project_dir: str) -> BuildState:
    """The project's build state, after configuring where build.ninja is missing or stale."""
    root = os.path.abspath(project_dir)
    if not os.path.isdir(root):
        raise ConfigError(f"project folder {project_dir} does not exist")
    state = read_state(root)
    if state is None:
        if os.path.isfile(os.path.join(root, BUILD_NINJA)):
            print(f"ninjagen: {BUILD_NINJA} has no readable ninjagen state; reconfiguring", file=sys.stderr)
        configure(root)
    else:
        reason = state.stale_reason()
        if reason is None:
            return state
        print(f"ninjagen: {reason}; reconfiguring", file=sys.stderr)
        generate(root, None, state.reconfigure_options())
    state = read_state(root)
    if state is None:
        raise ConfigError(f"configure wrote no readable state for {root}")
    return state


@dataclass(frozen=True)
class BuildResult:
    state: BuildState
    skipped: list[str]
    """Optional extensions that failed to build, and so were left out."""


def build(project_dir: str, targets: Sequence[str] = (), jobs: Optional[int] = None,
          force: bool = False) -> BuildResult:
    """Configure where needed, then build *targets* (extension names or files; default everything)."""
    state = ensure_configured(project_dir)
    if force:
        forget_build_log(os.path.join(state.project_dir, state.build_dir))
    return BuildResult(state, run_build(state.project_dir, state.extensions, targets, jobs=jobs))


def run_build(root: str, extensions: Sequence[Mapping], targets: Sequence[str] = (), jobs: Optional[int] = None,
              build_ninja: Optional[str] = None, verbose: bool = False) -> list[str]:
    """Run ninja on *build_ninja* (default: the project's) in *root*; return the optional extensions skipped.

    *extensions* are the state's records (``name``, ``output``, ``optional``).  An
    optional extension that fails to build is skipped; any other failure raises
    :class:`BuildError` naming the extensions not built.
    """
    args = ["-f", build_ninja] if build_ninja else []
    if jobs:
        args += ["-j", str(jobs)]
    if verbose:
        args.append("-v")  # every command in full
    if any(e.get("optional") for e in extensions):
        args += ["-k", "0"]  # an optional module's failure must not stop the others
    if run_ninja([*args, *targets], cwd=root).returncode == 0:
        return []
    wanted = [e for e in extensions if not targets or e["name"] in targets or e["output"] in targets]
    # ninja kept going (-k 0) and built what it could; asking for each module again, quietly,
    # re-runs only its failed steps, and the exit status says which modules cannot be built
    unbuilt = [e for e in wanted if run_ninja([*args, e["name"]], cwd=root, capture=True).returncode != 0]
    required = [e["name"] for e in unbuilt if not e.get("optional")]
    if required or not unbuilt:
        what = f" (extensions not built: {', '.join(required)})" if required else ""
        raise BuildError(f"build failed{what}")
    return [e["name"] for e in unbuilt]
