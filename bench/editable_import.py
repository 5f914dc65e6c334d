"""The editable loader's cost when nothing changed: its freshness check against a plain import and a ninja no-op.

    python bench/editable_import.py PROJECT [--runs 31] [--no-imports]

PROJECT must be configured and built (bench/run.py's M project after its builds; the L
project after its fake build).  :func:`measure` times, in the same run, tools taking turns:

* ``plain``: ``python -c "import MOD"`` in a bare venv with the package's folder on PYTHONPATH;
* ``editable``: the same in a second bare venv that has the project's loader in its
  site-packages (as ``ninjagen develop`` writes it), after an import that wrote the record;
* ``check``: the loader's freshness check alone, in this process
  (``NinjagenEditableFinder.fresh``), and ``noop``: ``ninja -C PROJECT`` with nothing to do,
  which is what the loader ran on each first import before the check.

``imports=False`` times only the check and the no-op; the default, None, does so when
the module cannot be imported (the L project's objects are bench/fakecc.c's empty
files).  Medians; every sample is in the result.  bench/run.py reads ``overhead_s`` (the
editable import's wall time over the plain one's; M) and ``import_s`` (the loader's own
work in an import that finds nothing changed: the check's wall time; L, against its
ninja no-op).
"""

from __future__ import annotations

import argparse
import json
import os
import py_compile
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Optional

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from ninjagen import _editable  # noqa: E402
from ninjagen.develop import loader_files  # noqa: E402
from ninjagen.runner import ninja_binary  # noqa: E402
from ninjagen.state import read_state  # noqa: E402


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME", _editable.NO_REBUILD_ENV, _editable.BUILDING_ENV)}
    env.update(extra)
    return env


def _venv(path: str) -> tuple[str, str]:
    """A bare venv at *path*: (its python, its site-packages)."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", path], check=True)
    python = os.path.join(path, "Scripts" if os.name == "nt" else "bin", "python")
    site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                          capture_output=True, text=True, check=True).stdout.strip()
    return python, site


def _timed(argv: list[str], env: dict[str, str], cwd: str) -> tuple[float, float]:
    """(wall time, CPU time: user + system) of running *argv*."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stderr = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    proc.stderr.close()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} exited with {proc.returncode}: {stderr.decode()[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime


def _check_time(finder: _editable.NinjagenEditableFinder) -> tuple[float, float]:
    """(wall time, CPU time of this thread) of the loader's freshness check."""
    start, cpu = time.perf_counter(), time.thread_time()
    fresh = finder.fresh()
    wall, cpu = time.perf_counter() - start, time.thread_time() - cpu
    if not fresh:
        raise RuntimeError(f"the freshness check of {finder.project} fails: something changed, or no record")
    return wall, cpu


def measure(project_dir: str, runs: int = 31, imports: Optional[bool] = None) -> dict:
    """Time a plain import, an editable import, the freshness check and a ninja no-op on the built project
    *project_dir* (medians of *runs*, taking turns); see the module docstring."""
    project = os.path.abspath(project_dir)
    state = read_state(project)
    if state is None:
        raise RuntimeError(f"{project} is not configured")
    module = sorted(ext["name"] for ext in state.extensions)[0]
    ninja = ninja_binary()
    finder = _editable.NinjagenEditableFinder(project, state.build_dir, ninja, {module.split(".")[0]: [project]})
    if not finder.fresh() and finder._build(module) is not None:
        raise RuntimeError(f"ninja failed in {project}")
    if imports is None:
        folder = _packages_folder(loader_files(project, state, ninja=ninja), module)
        imports = subprocess.run([sys.executable, "-c", f"import {module}"], env=_env(PYTHONPATH=folder),
                                 cwd=project, capture_output=True).returncode == 0
    samples: dict[str, list[tuple[float, float]]] = {"check": [], "noop": []}
    with tempfile.TemporaryDirectory(prefix="editable-import-") as work:
        if imports:
            files = loader_files(project, state, ninja=ninja)
            plain_python, _ = _venv(os.path.join(work, "plain"))
            editable_python, site = _venv(os.path.join(work, "editable"))
            for name, text in files.items():
                with open(os.path.join(site, name), "w", encoding="utf-8") as f:
                    f.write(text)
                if name.endswith(".py"):
                    py_compile.compile(os.path.join(site, name), doraise=True)
            folder = _packages_folder(files, module)
            code = f"import {module}"
            argv = {"plain": ([plain_python, "-c", code], _env(PYTHONPATH=folder)),
                    "editable": ([editable_python, "-c", code], _env())}
            before = os.stat(finder.fresh_path)
            for kind, (cmd, env) in argv.items():  # warm both, and check that they import
                _timed(cmd, env, work)
                samples[kind] = []
            after = os.stat(finder.fresh_path)
            if (before.st_ino, before.st_mtime_ns) != (after.st_ino, after.st_mtime_ns):
                raise RuntimeError("the editable import ran ninja (it wrote a new record): its check failed")
        for r in range(runs):
            kinds = list(samples)
            for kind in kinds[r % len(kinds):] + kinds[:r % len(kinds)]:
                if kind == "check":
                    samples[kind].append(_check_time(finder))
                elif kind == "noop":
                    samples[kind].append(_timed([ninja, "-C", project], _env(), project))
                else:
                    samples[kind].append(_timed(*argv[kind], work))
    medians = {kind: statistics.median(wall for wall, _ in values) for kind, values in samples.items()}
    cpu = {kind: statistics.median(used for _, used in values) for kind, values in samples.items()}
    with open(finder.fresh_path, "rb") as f:
        record = f.read()
    import marshal

    _form, _project, _ninja, exact, _groups, mtimes, absent = marshal.loads(record)
    result = {
        "project": project, "module": module, "runs": runs, "load_average": os.getloadavg()[0],
        "files_checked": len(exact) + len(mtimes) + len(absent), "record_bytes": len(record),
        "import_s": medians["check"], "check_s": medians["check"], "ninja_noop_s": medians["noop"],
        "check_over_noop": medians["check"] / medians["noop"],
        "check_cpu_s": cpu["check"], "ninja_noop_cpu_s": cpu["noop"], "check_over_noop_cpu": cpu["check"] / cpu["noop"],
        "samples": samples,
    }
    if imports:
        result.update(plain_import_s=medians["plain"], editable_import_s=medians["editable"],
                      over_plain_ms=(medians["editable"] - medians["plain"]) * 1e3,
                      overhead_s=medians["editable"] - medians["plain"],
                      plain_import_cpu_s=cpu["plain"], editable_import_cpu_s=cpu["editable"],
                      over_plain_cpu_ms=(cpu["editable"] - cpu["plain"]) * 1e3)
    return result


def _packages_folder(files: dict[str, str], module: str) -> str:
    """The folder the loader maps the top-level name of *module* to (the first one)."""
    (source,) = [text for name, text in files.items() if name.endswith(".py")]
    from ninjagen.develop import _installed_call

    return _installed_call(source)[1][module.split(".")[0]][0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("project")
    parser.add_argument("--runs", type=int, default=31)
    parser.add_argument("--no-imports", dest="imports", action="store_false", default=None,
                        help="time only the check and the no-op (the default when the module cannot be imported)")
    args = parser.parse_args(argv)
    result = measure(args.project, args.runs, args.imports)
    summary = {k: v for k, v in result.items() if k != "samples"}
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
