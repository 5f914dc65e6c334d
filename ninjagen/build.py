"""Running a build: configure when needed, run ninja, judge the result by exit status.

``ninjagen build``, ``develop`` and ``watch`` come through :func:`ensure_configured`,
which configures a project that has no build.ninja and configures again, with
the running ninjagen, one whose build.ninja cannot be trusted to regenerate
itself (see :meth:`BuildState.stale_reason`): a vanished interpreter, another
environment, another ninjagen, a changed compiler environment.  Nothing here
prints except the one line that says why it configures again and the summary
line after a build; errors are raised.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import Mapping, Optional, Sequence

from .build_report import build_report
from .build_summary import summary_line
from .configure import configure, forget_build_log, generate
from .errors import BuildError, ConfigError, NinjagenError
from .last_build import BuildWatch
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
          force: bool = False, summary: bool = True) -> BuildResult:
    """Configure where needed, then build *targets* (extension names or files; default everything)."""
    state = ensure_configured(project_dir)
    if force:
        forget_build_log(os.path.join(state.project_dir, state.build_dir))
    return BuildResult(state, run_build(state.project_dir, state.extensions, targets, jobs=jobs, summary=summary))


def _watch(root: str, build_ninja: Optional[str], jobs: Optional[int]) -> Optional[BuildWatch]:
    manifest = build_ninja or BUILD_NINJA
    state = read_state(root, manifest)
    return None if state is None else BuildWatch(root, state.build_dir, manifest, state.launcher, jobs)


def _after_build(watch: BuildWatch, root: str, build_ninja: Optional[str], extensions: Sequence[Mapping],
                 summary: bool) -> None:
    """The build's record; with *summary*, its line on stdout after ninja's own (none for a no-op)."""
    try:
        last = watch.finish()
        if last is None or not summary:
            return
        report = build_report(root, last.steps, extensions, build_ninja=build_ninja, jobs=last.jobs,
                              wall=last.wall, cache=last.cache, detail=False)
    except (NinjagenError, OSError):
        return  # a summary is never worth failing a build that succeeded
    print(summary_line(report), flush=True)


def run_build(root: str, extensions: Sequence[Mapping], targets: Sequence[str] = (), jobs: Optional[int] = None,
              build_ninja: Optional[str] = None, verbose: bool = False, summary: bool = True) -> list[str]:
    """Run ninja on *build_ninja* (default: the project's) in *root*; return the optional extensions skipped.

    *extensions* are the state's records (``name``, ``output``, ``optional``).  An
    optional extension that fails to build is skipped; any other failure raises
    :class:`BuildError` naming the extensions not built.  After a build that ran
    anything, *summary* prints its line (:mod:`build_summary`); the build folder
    keeps its record either way, for ``ninjagen report``.
    """
    args = ["-f", build_ninja] if build_ninja else []
    if jobs:
        args += ["-j", str(jobs)]
    if verbose:
        args.append("-v")  # every command in full
    if any(e.get("optional") for e in extensions):
        args += ["-k", "0"]  # an optional module's failure must not stop the others
    watch = _watch(root, build_ninja, jobs)
    if run_ninja([*args, *targets], cwd=root).returncode == 0:
        if watch is not None:
            _after_build(watch, root, build_ninja, extensions, summary)
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
