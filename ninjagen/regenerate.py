"""build.ninja's regeneration step, written to survive the environment that configured it.

build.ninja rebuilds itself (a ``generator`` rule) when a file it was
generated from changes.  Some of those files live outside the project and can
vanish: ninjagen's own rule template and the record of its installation (a
reinstall, an upgrade, a deleted virtual environment or pip's isolated build
environment), the target Python's sysconfig file.  Each input therefore also
gets a ``phony`` build statement with no inputs, as CMake writes them: a
missing input is then out of date, so ninja re-runs configure instead of
stopping with "missing and no known rule to make it".

The command names the interpreter that ran configure.  When that interpreter
is gone, the command says so in one line and names the way back
(``ninjagen build``, which reconfigures from whatever environment runs it).
"""

from __future__ import annotations

import glob
import os
import sys
from typing import Optional, Sequence

from .graph import BuildGraph, Edge
from .quoting import host_join, sh_join

__all__ = ["installation_record", "regeneration_inputs", "regeneration_command", "add_regeneration"]


def installation_record() -> Optional[str]:
    """The RECORD of the installed ninjagen distribution, or None when ninjagen runs uninstalled.

    Every install, reinstall or upgrade writes it anew (a new version under a
    new ``.dist-info`` name), so as an input it makes build.ninja regenerate
    with the ninjagen that is installed now, regular or editable.  It is the
    first one on the import path, as importlib.metadata finds it, but only a
    ``.dist-info`` folder counts: a source tree's ``.egg-info`` is no install.
    """
    for folder in sys.path:
        found = sorted(glob.glob(os.path.join(glob.escape(os.path.abspath(folder or ".")),
                                              "ninjagen-*.dist-info", "RECORD")))
        if found:
            return found[-1]
    return None


def regeneration_inputs(config_inputs: Sequence[str], template: str, sysconfig_file: Optional[str]) -> list[str]:
    """The files build.ninja is generated from that exist now (a missing one would regenerate it forever)."""
    candidates = [*config_inputs, template, sysconfig_file, installation_record()]
    return list(dict.fromkeys(p for p in candidates if p and os.path.exists(p)))


def regeneration_command(python: str, configure_args: Sequence[str]) -> str:
    """The host command that runs ``ninjagen configure`` again, as ninja's shell reads it.

    On POSIX ninja runs commands through ``/bin/sh -c``, so a vanished
    interpreter can be named in one line; Windows' ninja calls CreateProcess
    directly and reports a missing program itself.
    """
    argv = [python, "-m", "ninjagen", "configure", *configure_args]
    if os.name == "nt":
        return host_join(argv)
    message = (f"ninjagen: error: {python}, the Python that configured this project, is gone: "
               'run "ninjagen build" in the project folder with any Python that has ninjagen')
    return f"if test -x {sh_join([python])}; then exec {sh_join(argv)}; fi; echo {sh_join([message])} >&2; exit 1"


def add_regeneration(graph: BuildGraph, python: str, configure_args: Sequence[str], inputs: Sequence[str],
                     build_ninja: str, compile_commands: str) -> None:
    """The ``regenerate`` rule, the statement that rebuilds *build_ninja*, and a phony one per input."""
    graph.command_rule("regenerate", regeneration_command(python, configure_args),
                       description="Regenerating build.ninja", generator=True, pool="console")
    graph.add(Edge.make(build_ninja, "regenerate", implicit=list(inputs), implicit_outputs=[compile_commands]))
    for path in inputs:
        if not graph.produces(path):
            graph.phony(path, [])
