"""The ``ninjagen`` command.

``build_parser()`` describes the command line and ``main(argv)`` runs it and
returns the exit status; tests call both directly.  This is the one place
where a :class:`NinjagenError` becomes a single line on stderr.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from typing import NoReturn, Optional, Sequence

from ._version import __version__
from .errors import NinjagenError

__all__ = ["build_parser", "main", "console_main"]

PROG = "ninjagen"


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line like every other error."""

    def error(self, message: str) -> "NoReturn":  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Generate a build.ninja for Python C/C++ extension modules, and run ninja on it.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument("--help-compiler", action="store_true", help="list the available compiler types and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def project_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("-C", dest="project_dir", default=".", metavar="DIR",
                       help="the project folder (default: the current one)")

    cfg = sub.add_parser("configure", help="write build.ninja and compile_commands.json")
    project_option(cfg)
    cfg.add_argument("-B", "--build-dir", metavar="DIR",
                     help="folder for objects, depfiles and ninja's logs (default: build)")
    cfg.add_argument("--python", "--target-python", dest="python", metavar="PATH",
                     help="build for this Python: an interpreter, or an unpacked Windows CPython folder "
                          "(default: the running one)")
    cfg.add_argument("--compiler", metavar="TYPE", help="compiler type (see show-compilers)")
    cfg.add_argument("--setup-py", nargs="?", const="setup.py", metavar="PATH",
                     help="read the extensions from the project's setup.py (default when pyproject.toml "
                          "declares none)")
    cfg.add_argument("--cross-prefix", metavar="PREFIX",
                     help="prefix of a cross toolchain's tools, e.g. x86_64-w64-mingw32- (mingw32, cygwin)")
    cfg.add_argument("--link-jobs", type=_positive, metavar="N", help="links that may run at once")
    cfg.add_argument("--launcher", metavar="PROGRAM",
                     help="run compiles (not links) through ccache, sccache, distcc or icecc; 'none' for none "
                          "(default: $NINJAGEN_LAUNCHER, else [tool.ninjagen] launcher)")
    cfg.add_argument("--map-prefix", action="store_true",
                     help="map the project folder to '.' in debug info and __FILE__ (gcc/clang -ffile-prefix-map): "
                          "objects that do not depend on where the checkout is")
    cfg.add_argument("-n", "--dry-run", action="store_true", help="say what would be written, write nothing")
    cfg.add_argument("--force", action="store_true", help="make the next build rebuild everything")

    bld = sub.add_parser("build", help="run ninja (configuring first if needed)")
    project_option(bld)
    bld.add_argument("-j", "--jobs", type=_positive, metavar="N", help="parallel jobs (default: ninja's)")
    bld.add_argument("--force", action="store_true", help="rebuild everything")
    bld.add_argument("-q", "--quiet", action="store_true", help="no summary line after the build")
    bld.add_argument("targets", nargs="*", help="extension names or files (default: everything)")

    rep = sub.add_parser("report", help="where the last build's time went: per extension, slowest steps, "
                                        "critical path; as text, JSON, a Chrome trace or an HTML page")
    project_option(rep)
    rep.add_argument("-f", "--file", dest="build_ninja", metavar="FILE",
                     help="the build file whose last build to report, relative to the project (default: build.ninja; "
                          "the build backend's are build/<wheel tag>/build.ninja)")
    rep.add_argument("--json", action="store_true", help="print the report as JSON instead of text")
    rep.add_argument("--summary", action="store_true", help="print only the one-line summary")
    rep.add_argument("--trace", metavar="FILE", help="write a Chrome/Perfetto trace (chrome://tracing, ui.perfetto.dev)")
    rep.add_argument("--html", metavar="FILE", help="write a self-contained HTML page: timeline, extensions, "
                                                    "critical path")

    exp = sub.add_parser("explain", help="say why the next build would rebuild what it would (ninja -d explain -n)")
    project_option(exp)
    exp.add_argument("-v", "--verbose", action="store_true", help="add ninja's own explain lines")
    exp.add_argument("targets", nargs="*", help="extension names or files (default: everything)")

    cln = sub.add_parser("clean", help="remove what the build wrote")
    project_option(cln)

    dev = sub.add_parser("develop", help="install into this environment a loader that rebuilds on import")
    project_option(dev)
    dev.add_argument("--uninstall", action="store_true", help="remove it")

    wat = sub.add_parser("watch", help="build, then rebuild on every save (needs ninjagen[watch])")
    project_option(wat)
    wat.add_argument("-j", "--jobs", type=_positive, metavar="N", help="parallel jobs (default: ninja's)")

    sub.add_parser("show-compilers", help="list the available compiler types")
    return parser


def _cmd_configure(args: argparse.Namespace) -> int:
    from .configure import configure

    if args.own_process:
        # The process ends after configure, so nothing it made needs cyclic collection; a collection
        # once configure turns it back on would walk every object made (a graph of 10,000 sources).
        gc.disable()
    result = configure(args.project_dir, build_dir=args.build_dir, python=args.python, compiler=args.compiler,
                       setup_py=args.setup_py, cross_prefix=args.cross_prefix, link_jobs=args.link_jobs,
                       dry_run=args.dry_run, force=args.force, launcher=args.launcher,
                       map_prefix=args.map_prefix)
    if not args.dry_run:
        count = len(result.extensions)
        print(f"ninjagen: wrote {_shown(result.build_ninja)} "
              f"({count} extension module{'s' if count != 1 else ''} for Python "
              f"{result.target.version[0]}.{result.target.version[1]}, compiler {result.compiler.compiler_type}); "
              "now run: ninja")
    return 0


def _shown(path: str) -> str:
    """*path* relative to the current folder when it is inside it."""
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def _cmd_build(args: argparse.Namespace) -> int:
    from .build import build

    result = build(args.project_dir, args.targets, jobs=args.jobs, force=args.force, summary=not args.quiet)
    for name in result.skipped:
        print(f"ninjagen: skipped optional extension {name}: it failed to build", file=sys.stderr)
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    import json

    from .atomic import atomic_write
    from .build_report import last_build_report
    from .build_summary import summary_line

    detailed = args.json or args.trace or args.html or not args.summary
    report = last_build_report(args.project_dir, args.build_ninja, detail=bool(detailed))
    for path, render in ((args.trace, "trace"), (args.html, "html")):
        if path:
            if render == "trace":
                from .build_trace import trace_json as writer
            else:
                from .report_html import render_html as writer
            try:
                atomic_write(path, writer(report))
            except OSError as exc:
                raise NinjagenError(f"cannot write {path}: {exc.strerror}") from None
            print(f"ninjagen: wrote {_shown(os.path.abspath(path))}", file=sys.stderr)
    if args.json:
        print(json.dumps(report, indent=1))
    elif args.summary:
        if report["steps"]:
            print(summary_line(report))
    elif not (args.trace or args.html):
        from .report_text import render_text

        print(render_text(report), end="")
    return 0


def _cmd_explain(args: argparse.Namespace) -> int:
    from .explain import explain

    print(explain(args.project_dir, args.targets).text(verbose=args.verbose))
    return 0


def _cmd_clean(args: argparse.Namespace) -> int:
    from .runner import run_ninja
    from .state import BUILD_NINJA

    root = os.path.abspath(args.project_dir)
    if not os.path.isfile(os.path.join(root, BUILD_NINJA)):
        raise NinjagenError(f"no {BUILD_NINJA} in {root}: nothing to clean")
    return run_ninja(["-t", "clean"], cwd=root).returncode


def _cmd_develop(args: argparse.Namespace) -> int:
    from .develop import develop, site_packages, uninstall

    if args.uninstall:
        removed = uninstall(args.project_dir)
        where = site_packages()
        print(f"ninjagen: removed the editable install of {os.path.abspath(args.project_dir)} from {where}"
              if removed else f"ninjagen: {os.path.abspath(args.project_dir)} is not installed in {where}")
        return 0
    result = develop(args.project_dir)
    names = ", ".join(sorted(result.packages))
    print(f"ninjagen: installed {names} in editable mode ({_shown(result.pth)}): the first import in a process "
          f"runs ninja in {os.path.abspath(args.project_dir)}; NINJAGEN_NO_REBUILD=1 turns that off")
    return 0


def _cmd_watch(args: argparse.Namespace) -> int:
    from .watch import watch

    return watch(args.project_dir, jobs=args.jobs)


def _cmd_show_compilers(args: argparse.Namespace) -> int:
    from .compilers import show_compilers

    show_compilers()
    return 0


_COMMANDS = {
    "configure": _cmd_configure,
    "build": _cmd_build,
    "report": _cmd_report,
    "explain": _cmd_explain,
    "clean": _cmd_clean,
    "develop": _cmd_develop,
    "watch": _cmd_watch,
    "show-compilers": _cmd_show_compilers,
}


def main(argv: Optional[Sequence[str]] = None, *, own_process: bool = False) -> int:
    """Run the command line *argv* (default: ``sys.argv[1:]``); *own_process*: the process ends after it."""
    parser = build_parser()
    args = parser.parse_args(argv)
    args.own_process = own_process
    if args.help_compiler:
        return _cmd_show_compilers(args)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        return _COMMANDS[args.command](args)
    except NinjagenError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130


def console_main() -> None:
    sys.exit(main(own_process=True))
