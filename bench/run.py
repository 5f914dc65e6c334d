#!/usr/bin/env python3
"""Benchmarks: ninjagen against setuptools, meson, a hand-written build.ninja and the compile floor.

    pip install meson setuptools      # once, in the environment that has ninjagen
    python bench/run.py               # S, M and L, median of 3; writes bench/RESULTS.md
    python bench/run.py --quick       # S only, one run, no L; what CI runs (no timing is checked)

Everything is measured in one run, on the same machine, on the same generated
sources (bench/workload.py), with the same compiler and flags; tools take
turns within each repetition so that a burst of load from elsewhere falls on
all of them.  See bench/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import datetime
import glob
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from dataclasses import dataclass, field
from typing import Callable, Optional, Sequence

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import ideal  # noqa: E402
import workload  # noqa: E402

#: name -> (modules, sources per module, shared headers)
SIZES = {"S": (4, 5, 4), "M": (16, 16, 8), "L": (500, 20, 32)}
TOUCHED_HEADER = "include/bench_h00.h"
NOTES_MARKER = "<!-- Everything below this line is written by hand and kept by bench/run.py. -->"
CORES = os.cpu_count() or 1
#: variables that would change the commands of some tools and not others
_SCRUBBED_ENV = ("CC", "CXX", "CPP", "CFLAGS", "CPPFLAGS", "CXXFLAGS", "LDFLAGS", "LDSHARED", "LDCXXSHARED",
                 "AR", "ARFLAGS", "RANLIB", "MAKEFLAGS", "NINJA_STATUS")


# ----------------------------------------------------------------------------- processes
@dataclass
class Proc:
    wall: float
    cpu: float
    """user + system time of the process and the children it waited for"""
    maxrss_mb: float
    """peak resident set size of the process (or of its largest waited-for child)"""
    output: str


class BenchError(RuntimeError):
    pass


def run(cmd: list[str], cwd: str, env: Optional[dict] = None) -> Proc:
    """Run *cmd*; time it; fail loudly with its output."""
    with tempfile.TemporaryFile() as log:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        output = log.read().decode("utf-8", "replace")
    if proc.returncode != 0:
        raise BenchError(f"{' '.join(cmd)} (in {cwd}) exited with {proc.returncode}:\n{output[-4000:]}")
    return Proc(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, output)


def base_env() -> dict:
    env = {k: v for k, v in os.environ.items() if k not in _SCRUBBED_ENV}
    env["PATH"] = os.pathsep.join([ninja_dir(), env.get("PATH", "")])  # one ninja for every tool
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def ninja_dir() -> str:
    from ninjagen.runner import ninja_binary

    return os.path.dirname(ninja_binary())


def ninja_exe() -> str:
    from ninjagen.runner import ninja_binary

    return ninja_binary()


def script(name: str) -> Optional[str]:
    """A console script installed beside the running Python, else on PATH."""
    here = os.path.join(os.path.dirname(sys.executable), name)
    return here if os.path.isfile(here) else shutil.which(name)


def version_of(cmd: list[str]) -> str:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=60).stdout.strip()
    except OSError:
        return "?"
    return out.splitlines()[0] if out else "?"


# ----------------------------------------------------------------------------- tools
def object_times(project: str) -> dict[str, int]:
    return {p: os.stat(p).st_mtime_ns for p in glob.glob(os.path.join(project, "**", "*.o"), recursive=True)}


def changed(before: dict[str, int], after: dict[str, int]) -> int:
    return sum(1 for p, t in after.items() if before.get(p) != t)


def touch(path: str) -> None:
    # The kernel's clock, as `touch` does: time.time_ns() can be ahead of the coarse
    # timestamps the kernel gives files written a moment later, leaving them "older".
    os.utime(path)


class Tool:
    name = ""
    key = ""
    has_configure = False

    def unavailable(self) -> Optional[str]:
        """Why this tool cannot run here (None: it can)."""
        return None

    def configure(self, project: str, wl: workload.Workload) -> Optional[Proc]:
        return None

    def build(self, project: str) -> Proc:
        raise NotImplementedError

    def modules(self, project: str, wl: workload.Workload) -> list[tuple[str, str]]:
        """(dotted name, path of the built module) for every module."""
        suffix = sysconfig.get_config_var("EXT_SUFFIX")
        return [(m.name, os.path.join(project, m.name.replace(".", os.sep) + suffix)) for m in wl.modules]


class Ninjagen(Tool):
    name, key, has_configure = "ninjagen", "ninjagen", True

    def configure(self, project, wl):
        exe = script("ninjagen")
        cmd = [exe, "configure"] if exe else [sys.executable, "-m", "ninjagen", "configure"]
        return run(cmd, project, base_env())

    def build(self, project):
        return run([ninja_exe(), "-j", str(CORES)], project, base_env())


class NinjagenWithoutUserCache(Ninjagen):
    """ninjagen configuring as on a machine it never ran on: no user cache, so the rules are rendered
    with jinja2 (the "ninjagen" row keeps its user cache, as a user's machine does after one configure)."""

    name, key = "ninjagen, no user cache (a machine's first configure)", "ninjagen-nocache"

    def prepare(self, work: str) -> None:
        """Nothing to prepare: the same installation as the "ninjagen" row."""

    def configure(self, project, wl):
        exe = script("ninjagen")
        cmd = [exe, "configure"] if exe else [sys.executable, "-m", "ninjagen", "configure"]
        return run(cmd, project, {**base_env(), "NINJAGEN_CACHE_DIR": ""})


class NinjagenAt(Ninjagen):
    """ninjagen as it was at another git revision (``--baseline REV``), for configure on L."""

    def __init__(self, rev: str) -> None:
        self.rev = rev
        self.name, self.key = f"ninjagen at {rev} (baseline)", "baseline"
        self.tree = ""

    def prepare(self, work: str) -> None:
        """Export that revision and byte-compile it."""
        self.tree = os.path.join(work, "baseline")
        shutil.rmtree(self.tree, ignore_errors=True)
        os.makedirs(self.tree)
        repo = os.path.dirname(HERE)
        archive = subprocess.run(["git", "-C", repo, "archive", self.rev, "ninjagen", "templates"],
                                 capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", self.tree], input=archive, check=True)
        subprocess.run([sys.executable, "-m", "compileall", "-q", os.path.join(self.tree, "ninjagen")], check=True)

    def configure(self, project, wl):
        env = {**base_env(), "PYTHONPATH": self.tree}
        code = "import sys\nfrom ninjagen.cli import main\nsys.exit(main(['configure']))"
        return run([sys.executable, "-c", code], project, env)


class IdealNinja(Tool):
    name, key, has_configure = "ideal ninja (bench/ideal.py)", "ideal", True

    def configure(self, project, wl):
        return run([sys.executable, os.path.join(HERE, "ideal.py"), project], project, base_env())

    def build(self, project):
        return run([ninja_exe(), "-j", str(CORES)], project, base_env())


class Meson(Tool):
    name, key, has_configure = "meson", "meson", True
    builddir = "mbuild"

    def unavailable(self):
        return None if script("meson") else "meson is not installed (pip install meson)"

    def configure(self, project, wl):
        var = sysconfig.get_config_var
        c_flags = f"{var('CFLAGS')} {var('CCSHARED')}".split()
        link_flags = [w for w in var("LDSHARED").split()[1:] if w != "-shared"]
        env = {**base_env(), "CC": var("CC")}
        shutil.rmtree(os.path.join(project, self.builddir), ignore_errors=True)
        return run([script("meson"), "setup", self.builddir, *workload.meson_setup_args(c_flags, link_flags)],
                   project, env)

    def build(self, project):
        return run([ninja_exe(), "-C", self.builddir, "-j", str(CORES)], project, base_env())

    def modules(self, project, wl):
        suffix = sysconfig.get_config_var("EXT_SUFFIX")
        return [(m.name, os.path.join(project, self.builddir, m.short + suffix)) for m in wl.modules]


class Setuptools(Tool):
    def __init__(self, parallel: bool) -> None:
        self.parallel = parallel
        self.key = "setuptools-j" if parallel else "setuptools"
        self.name = f"setuptools build_ext --parallel {CORES}" if parallel else "setuptools build_ext (serial)"

    def unavailable(self):
        probe = subprocess.run([sys.executable, "-c", "import setuptools"], capture_output=True)
        return None if probe.returncode == 0 else "setuptools is not installed (pip install setuptools)"

    def build(self, project):
        cmd = [sys.executable, "setup.py", "-q", "build_ext", "--inplace"]
        if self.parallel:
            cmd += ["--parallel", str(CORES)]
        return run(cmd, project, base_env())


ALL_TOOLS: list[Callable[[], Tool]] = [Ninjagen, IdealNinja, Meson, lambda: Setuptools(False),
                                       lambda: Setuptools(True)]



# ----------------------------------------------------------------------------- wheels
def pip_env() -> dict:
    """base_env() for `pip wheel .`: the same ninja binary on PATH for every backend, and a real
    cmake binary (the PyPI package's, not its Python entry point, which does not run inside pip's
    isolated environment) so that scikit-build-core neither installs its own nor changes CMake."""
    env = base_env()
    try:
        import cmake  # type: ignore[import-not-found]

        env["PATH"] = os.pathsep.join([cmake.CMAKE_BIN_DIR, env["PATH"]])  # before the entry point beside ninja
    except ImportError:
        pass
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # pip's build environments byte-compile as usual
    return env


def sysconfig_flags() -> tuple[list[str], list[str]]:
    """The compile and link flags every tool gets: sysconfig's CFLAGS CCSHARED, and LDSHARED less the
    compiler and -shared."""
    var = sysconfig.get_config_var
    return f"{var('CFLAGS')} {var('CCSHARED')}".split(), [w for w in var("LDSHARED").split()[1:] if w != "-shared"]


class WheelTool:
    """`pip wheel . --no-deps -w DIST` of a project written for one PEP 517 backend, with build isolation."""
    backend = ""
    name = ""

    @property
    def key(self) -> str:
        return "pip-" + self.backend

    def unavailable(self) -> Optional[str]:
        return None

    def settings(self) -> list[str]:
        """config-settings (pip -C) that give this backend the flags and parallelism the others use."""
        return []

    def env(self) -> dict:
        return pip_env()

    def describe(self) -> str:
        """What the report says about this backend's build folder, flags and parallelism."""
        return ""


class NinjagenWheel(WheelTool):
    backend, name = "ninjagen", "ninjagen (ninjagen.backend)"

    def settings(self):
        return [f"jobs={CORES}"]

    def describe(self):
        return (f"`-C jobs={CORES}`; its build folder `build/<wheel tag>/` is in the project by default and "
                "outlives pip's build environment")


class SetuptoolsWheel(WheelTool):
    backend, name = "setuptools", "setuptools (setuptools.build_meta)"

    def describe(self):
        return ("no settings: `pip wheel` runs build_ext serially (setuptools has no config-setting for "
                "`--parallel`; that is what a user of `pip wheel .` gets); its `build/` stays in the project")


class MesonPythonWheel(WheelTool):
    backend, name = "meson-python", "meson-python (mesonpy)"

    def settings(self):
        c_flags, link_flags = sysconfig_flags()
        args = [a.replace("--buildtype=", "-Dbuildtype=") for a in workload.meson_setup_args(c_flags, link_flags)]
        return ["build-dir=build", f"compile-args=-j{CORES}", *(f"setup-args={a}" for a in args)]

    def env(self):
        return {**pip_env(), "CC": sysconfig.get_config_var("CC")}

    def describe(self):
        return (f"`-C build-dir=build` (its documented way to keep a build folder for rebuilds), "
                f"`-C compile-args=-j{CORES}`, the flags through `-C setup-args=` as for meson above, "
                "with `-Dbuildtype=plain`")


class ScikitBuildWheel(WheelTool):
    backend, name = "scikit-build-core", "scikit-build-core (CMake)"

    def unavailable(self):
        return None if shutil.which("cmake", path=self.env()["PATH"]) else "cmake is not installed (pip install cmake)"

    def settings(self):
        c_flags, link_flags = sysconfig_flags()
        return ["build-dir=build/{wheel_tag}", f"build.tool-args=-j{CORES}", "cmake.build-type=None",
                "cmake.define.CMAKE_C_FLAGS=" + " ".join(c_flags),
                "cmake.define.CMAKE_MODULE_LINKER_FLAGS=" + " ".join(link_flags)]

    def env(self):
        return {**pip_env(), "CC": sysconfig.get_config_var("CC")}

    def describe(self):
        return (f"`-C build-dir=build/{{wheel_tag}}` (its documented setting for a lasting build folder), "
                f"`-C build.tool-args=-j{CORES}`, `cmake.build-type=None` with CMAKE_C_FLAGS and "
                "CMAKE_MODULE_LINKER_FLAGS from sysconfig (so no `-O3 -DNDEBUG` of its Release type on top); "
                "CMake's generator is Ninja, the same binary")


ALL_WHEEL_TOOLS: list[Callable[[], WheelTool]] = [NinjagenWheel, SetuptoolsWheel, MesonPythonWheel, ScikitBuildWheel]
#: pip's progress lines (they come through its logger, flushed line by line) -> short phase names
PIP_PHASES = {"Installing build dependencies": "deps", "Getting requirements to build wheel": "requires",
              "Installing backend dependencies": "backend_deps", "Preparing metadata (pyproject.toml)": "metadata"}


def run_pip(cmd: list[str], cwd: str, env: dict) -> tuple[Proc, dict[str, float]]:
    """Run a pip command; time it and each phase pip reports ("X: started" ... "X: finished")."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    started: dict[str, float] = {}
    phases: dict[str, float] = {}
    lines = []
    assert proc.stdout is not None
    for raw in proc.stdout:
        now = time.perf_counter()
        line = raw.decode("utf-8", "replace").rstrip()
        lines.append(line)
        text = line.strip()
        for marker, state in ((": started", "start"), (": finished with status", "end")):
            if marker in text:
                what = text[:text.index(marker)]
                short = PIP_PHASES.get(what, "build" if what.startswith("Building wheel for") else None)
                if short and state == "start":
                    started[short] = now
                elif short and short in started:
                    phases[short] = now - started[short]
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    output = "\n".join(line for line in lines if "is neither a file nor a directory" not in line)
    if code != 0:
        raise BenchError(f"{' '.join(cmd)} (in {cwd}) exited with {code}:\n{output[-4000:]}")
    phases["pip"] = wall - sum(phases.values())  # pip's own start, resolution and copying
    return Proc(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, output), phases


def ninjagen_links(work: str, log: Callable[[str], None]) -> str:
    """A wheel of this checkout of ninjagen in a folder, for the isolated builds' --find-links."""
    out = os.path.join(work, "ninjagen-wheel")
    shutil.rmtree(out, ignore_errors=True)
    log("wheels: building a wheel of this checkout of ninjagen for --find-links")
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", out, os.path.dirname(HERE)], HERE, pip_env())
    if not glob.glob(os.path.join(out, "ninjagen-*.whl")):
        raise BenchError(f"no ninjagen wheel in {out}")
    return out


def pip_wheel(tool: WheelTool, project: str, dist: str, links: str) -> tuple[Proc, dict[str, float], str]:
    shutil.rmtree(dist, ignore_errors=True)
    cmd = [sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "-w", dist, "--find-links", links]
    for setting in tool.settings():
        cmd += ["-C", setting]
    proc, phases = run_pip(cmd, project, tool.env())
    wheels = glob.glob(os.path.join(dist, "*.whl"))
    if len(wheels) != 1:
        raise BenchError(f"{tool.name}: pip wheel left {wheels} in {dist}")
    return proc, phases, wheels[0]


def verify_wheel(tool: WheelTool, wheel: str, wl: workload.Workload, work: str) -> dict[str, int]:
    """Install *wheel* into a fresh venv; import every module from elsewhere, call run(); return the checksums."""
    venv = os.path.join(work, "venv-" + tool.backend)
    shutil.rmtree(venv, ignore_errors=True)
    run([sys.executable, "-m", "venv", "--without-pip", venv], work)
    python = os.path.join(venv, "bin", "python")
    run([sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps", "--no-index", wheel], work,
        pip_env())
    code = ("import importlib, json, sys\nout = {}\nfor name in json.loads(sys.argv[1]):\n"
            "    mod = importlib.import_module(name)\n"
            "    assert mod.__file__.startswith(sys.prefix), mod.__file__\n"
            "    out[name] = [mod.NSOURCES, mod.run(12345, 8)]\nprint(json.dumps(out))\n")
    proc = subprocess.run([python, "-c", code, json.dumps([m.name for m in wl.modules])], cwd=venv,
                          capture_output=True, text=True)
    sums = module_checksums(tool, wl, proc, "the wheel's modules")
    shutil.rmtree(venv, ignore_errors=True)
    return sums


def wheel_generator(wheel: str) -> str:
    """The backend and version the wheel's WHEEL file names (its `Generator:`)."""
    import zipfile

    with zipfile.ZipFile(wheel) as zf:
        name = next(n for n in zf.namelist() if n.endswith(".dist-info/WHEEL"))
        for line in zf.read(name).decode().splitlines():
            if line.startswith("Generator:"):
                return line.split(":", 1)[1].strip()
    return "?"


def wheel_names(wheel: str) -> list[str]:
    import zipfile

    with zipfile.ZipFile(wheel) as zf:
        return sorted(n for n in zf.namelist() if ".dist-info/" not in n)


def measure_wheel(tool: WheelTool, project: str, size: tuple[int, int, int], samples: Samples, links: str,
                  functions: int) -> tuple[dict[str, int], str]:
    """A first `pip wheel .` of a fresh project, then a second one with nothing changed."""
    shutil.rmtree(project, ignore_errors=True)
    wl = workload.generate_for_backend(project, tool.backend, *size, functions=functions)
    first, phases, wheel = pip_wheel(tool, project, project + "-dist1", links)
    samples.add("wheel", first.wall)
    samples.add("wheel_cpu", first.cpu)
    for phase, seconds in phases.items():
        samples.add("wheel_" + phase, seconds)
    before = object_times(project)
    second, phases2, wheel2 = pip_wheel(tool, project, project + "-dist2", links)
    samples.add("wheel2", second.wall)
    samples.add("wheel2_ratio", second.wall / first.wall)
    samples.add("wheel2_objects", changed(before, object_times(project)))
    for phase, seconds in phases2.items():
        samples.add("wheel2_" + phase, seconds)
    if wheel_names(wheel) != wheel_names(wheel2):
        raise BenchError(f"{tool.name}: the second wheel holds other files than the first")
    sums = verify_wheel(tool, wheel, wl, os.path.dirname(project))
    return sums, wheel_generator(wheel)


# ----------------------------------------------------------------------------- editable import (hook)
def measure_editable_import(project: str) -> Optional[dict]:
    """EDITABLE IMPORT HOOK: ``bench/editable_import.py``'s ``measure(project_dir) -> dict`` (written in
    another branch) on a built ninjagen project; None while that module does not exist.

    The dict is stored as it is under ``"editable_import"``; the targets table reads the keys named in
    :data:`EDITABLE_KEYS` (adjust them there when the module is merged) and says "not measured" without them.
    """
    try:
        import editable_import  # type: ignore[import-not-found]  # bench/editable_import.py
    except ImportError:
        return None
    return editable_import.measure(project)


#: the keys of measure()'s dict the targets read: the editable import's time over a plain import
#: (seconds), and the editable import's own time (seconds)
EDITABLE_KEYS = {"overhead": "overhead_s", "import": "import_s", "check_over_noop": "check_over_noop"}


def editable_figure(data: Optional[dict], what: str, stat: Callable[[list], float]) -> Optional[float]:
    runs = [d.get(EDITABLE_KEYS[what]) for d in (data or {}).get("editable_import") or [] if d]
    runs = [v for v in runs if isinstance(v, (int, float))]
    return stat(runs) if runs else None

# ----------------------------------------------------------------------------- measuring
@dataclass
class Samples:
    """Every measurement of one tool on one size: figure -> list of values."""
    values: dict[str, list[float]] = field(default_factory=dict)

    def add(self, figure: str, value: float) -> None:
        self.values.setdefault(figure, []).append(value)

    def median(self, figure: str) -> Optional[float]:
        v = self.values.get(figure)
        return statistics.median(v) if v else None



def module_checksums(tool: "Tool", wl: "workload.Workload", proc: subprocess.CompletedProcess, what: str) -> dict:
    """Each module's run() checksum, from a process that imported them all; every module must report all
    its sources (so that it linked them all)."""
    if proc.returncode != 0:
        raise BenchError(f"{tool.name}: {what} do not import:\n{proc.stderr[-3000:]}")
    result = json.loads(proc.stdout)
    for m in wl.modules:
        if result[m.name][0] != len(m.sources):
            raise BenchError(f"{tool.name}: {m.name} reports {result[m.name][0]} sources, not {len(m.sources)}")
    return {name: v[1] for name, v in result.items()}


def verify(tool: Tool, project: str, wl: workload.Workload) -> dict[str, int]:
    """Import every built module in a fresh interpreter, call run(); return the checksums."""
    mods = tool.modules(project, wl)
    code = (
        "import importlib.machinery, importlib.util, json, sys\n"
        "out = {}\n"
        "for name, path in json.loads(sys.argv[1]):\n"
        "    loader = importlib.machinery.ExtensionFileLoader(name, path)\n"
        "    spec = importlib.util.spec_from_file_location(name, path, loader=loader)\n"
        "    mod = importlib.util.module_from_spec(spec); loader.exec_module(mod)\n"
        "    out[name] = [mod.NSOURCES, mod.run(12345, 8)]\n"
        "print(json.dumps(out))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code, json.dumps(mods)], cwd=project, capture_output=True, text=True)
    return module_checksums(tool, wl, proc, "the built modules")


def measure_tool(tool: Tool, project: str, size: tuple[int, int, int], samples: Samples, noops: int,
                 check: Optional[dict], functions: int) -> dict[str, int]:
    shutil.rmtree(project, ignore_errors=True)
    wl = workload.generate(project, *size, functions=functions)
    conf = tool.configure(project, wl)
    if conf is not None:
        samples.add("configure", conf.wall)
    full = tool.build(project)
    samples.add("full", full.wall)
    samples.add("full_cpu", full.cpu)
    samples.add("total", full.wall + (conf.wall if conf else 0.0))
    sums = verify(tool, project, wl) if check is not None else {}
    for _ in range(noops):
        samples.add("noop", tool.build(project).wall)
    before = object_times(project)
    touch(os.path.join(project, TOUCHED_HEADER))
    samples.add("header", tool.build(project).wall)
    samples.add("header_objects", changed(before, object_times(project)))
    before = object_times(project)
    touch(os.path.join(project, wl.modules[0].sources[1 % len(wl.modules[0].sources)]))
    samples.add("source", tool.build(project).wall)
    samples.add("source_objects", changed(before, object_times(project)))
    return sums


def measure_floor(project: str, size: tuple[int, int, int], samples: Samples, functions: int) -> None:
    """Every compile and link of the ideal build.ninja, once, serially: CPU time summed / cores."""
    shutil.rmtree(project, ignore_errors=True)
    wl = workload.generate(project, *size, functions=functions)
    ideal.write(project, [(m.name, m.sources) for m in wl.modules])
    commands = run([ninja_exe(), "-t", "commands"], project).output.splitlines()
    for src in wl.sources:
        os.makedirs(os.path.join(project, "build", os.path.dirname(src)), exist_ok=True)
    cpu = wall = 0.0
    env = base_env()
    for command in commands:
        p = run(["/bin/sh", "-c", command], project, env)
        cpu += p.cpu
        wall += p.wall
    samples.add("full", cpu / CORES)
    samples.add("full_cpu", cpu)
    samples.add("serial_wall", wall)


def bench_size(label: str, size: tuple[int, int, int], tools: list[Tool], runs: int, work: str,
               log: Callable[[str], None], functions: int = workload.FUNCTIONS_PER_SOURCE, noops: int = 3,
               wheel_tools: Sequence[WheelTool] = (), links: str = "") -> dict:
    results: dict[str, Samples] = {t.key: Samples() for t in tools}
    wheels: dict[str, Samples] = {t.key: Samples() for t in wheel_tools}
    floor = Samples()
    checksums: dict[str, dict] = {}
    generators: dict[str, str] = {}
    loads: list[list[str]] = []
    editable: list[Optional[dict]] = []
    wl = workload.plan("", *size)
    for r in range(runs):
        load_before = loadavg()
        for tool in rotated(tools, r):
            log(f"{label} run {r + 1}/{runs}: {tool.name}")
            project = os.path.join(work, label, tool.key)
            sums = measure_tool(tool, project, size, results[tool.key],
                                noops=noops, check={} if r == 0 else None, functions=functions)
            if sums:
                checksums[tool.key] = sums
            if tool.key == "ninjagen":
                editable.append(measure_editable_import(project))
        log(f"{label} run {r + 1}/{runs}: compile floor")
        measure_floor(os.path.join(work, label, "floor"), size, floor, functions)
        for wtool in rotated(list(wheel_tools), r):
            log(f"{label} run {r + 1}/{runs}: pip wheel . through {wtool.name}, twice")
            sums, generators[wtool.key] = measure_wheel(wtool, os.path.join(work, label, wtool.key), size,
                                                        wheels[wtool.key], links, functions)
            if r == 0:
                checksums[wtool.key] = sums
        loads.append([load_before, loadavg()])
    distinct = {json.dumps(v, sort_keys=True) for v in checksums.values()}
    if len(distinct) > 1:
        raise BenchError(f"{label}: the tools' modules return different checksums: {checksums}")
    return {
        "loads": loads,
        "wheels": {"tools": {k: v.values for k, v in wheels.items()}, "generators": generators,
                   "settings": {t.key: t.settings() for t in wheel_tools}} if wheel_tools else None,
        "editable_import": editable if any(editable) else None,
        "size": size,
        "sources": len(wl.sources),
        "expected_header_objects": len(wl.dependents(TOUCHED_HEADER)),
        "tools": {k: s.values for k, s in results.items()},
        "floor": floor.values,
        "runs": runs,
        "functions_per_source": functions,
        "checksums_identical": len(distinct) == 1,
    }


# ----------------------------------------------------------------------------- L: configure only
def fake_compiler(work: str) -> str:
    """Build bench/fakecc.c as <work>/fakebin/gcc (and cc); return that folder."""
    bindir = os.path.join(work, "fakebin")
    os.makedirs(bindir, exist_ok=True)
    exe = os.path.join(bindir, "gcc")
    subprocess.run(["gcc", "-O2", os.path.join(HERE, "fakecc.c"), "-o", exe], check=True)
    for alias in ("cc", os.path.basename(sysconfig.get_config_var("CC").split()[0])):
        if not os.path.exists(os.path.join(bindir, alias)):
            os.symlink(exe, os.path.join(bindir, alias))
    return bindir


def python_header_deps(work: str) -> str:
    """The headers gcc -MM lists for a source that includes Python.h, one a line, in a file."""
    stub = os.path.join(work, "stub.c")
    with open(stub, "w") as f:
        f.write("#include <Python.h>\n")
    out = subprocess.run(["gcc", "-MM", "-I" + sysconfig.get_paths()["include"], stub],
                         capture_output=True, text=True, check=True).stdout
    words = [w for w in out.replace("\\\n", " ").split() if not w.endswith(":") and w != stub]
    path = os.path.join(work, "python-headers.txt")
    with open(path, "w") as f:
        f.write("\n".join(words) + "\n")
    return path


def rotated(items: list, r: int) -> list:
    """*items* starting at the r-th: tools take turns, so that drift in the load falls on each."""
    return items[r % len(items):] + items[:r % len(items)] if items else items


def bench_large(size: tuple[int, int, int], tools: list[Tool], runs: int, work: str,
                log: Callable[[str], None]) -> dict:
    """Configure time, peak memory, build.ninja size and no-op time on the L workload (never compiled)."""
    confs = [t for t in tools if t.has_configure]
    fakebin, deps = fake_compiler(work), python_header_deps(work)
    projects, samples = {}, {t.key: Samples() for t in confs}
    for tool in confs:
        projects[tool.key] = os.path.join(work, "L", tool.key)
        log(f"L: {tool.name}: generating {size[0] * size[1]} sources")
        shutil.rmtree(projects[tool.key], ignore_errors=True)
        workload.generate(projects[tool.key], *size, write_sources=False)
    wl = workload.plan("", *size)
    for r in range(max(runs, 5)):
        for tool in rotated(confs, r):
            if isinstance(tool, Meson) and r >= runs:
                continue  # ten seconds each: the requested number of runs is enough
            log(f"L: configure {r + 1}: {tool.name}")
            project = projects[tool.key]
            for leftover in ("build.ninja", "compile_commands.json"):
                if os.path.exists(os.path.join(project, leftover)):
                    os.unlink(os.path.join(project, leftover))
            shutil.rmtree(os.path.join(project, "build"), ignore_errors=True)
            conf = tool.configure(project, wl)
            samples[tool.key].add("configure", conf.wall)
            samples[tool.key].add("configure_cpu", conf.cpu)
            samples[tool.key].add("configure_rss", conf.maxrss_mb)
    env = {**base_env(), "FAKECC_DEPS": deps}
    env["PATH"] = os.pathsep.join([fakebin, env["PATH"]])

    def ninja_cmd(tool: Tool) -> list[str]:
        return [ninja_exe(), "-j", str(CORES)] + (["-C", Meson.builddir] if isinstance(tool, Meson) else [])

    for tool in confs:
        project = projects[tool.key]
        subdir = Meson.builddir if isinstance(tool, Meson) else ""
        samples[tool.key].add("build_ninja_bytes", os.path.getsize(os.path.join(project, subdir, "build.ninja")))
        log(f"L: {tool.name}: bringing it up to date with bench/fakecc.c")
        samples[tool.key].add("fake_build", run(ninja_cmd(tool), project, env).wall)
    for r in range(max(9, 3 * runs)):
        for tool in rotated(confs, r):
            p = run(ninja_cmd(tool), projects[tool.key], env)
            if "no work to do" not in p.output:
                raise BenchError(f"L: {tool.name}: ninja is not up to date after the fake build:\n{p.output[-2000:]}")
            samples[tool.key].add("noop", p.wall)
    editable = measure_editable_import(projects["ninjagen"]) if "ninjagen" in projects else None
    return {"size": size, "sources": size[0] * size[1], "tools": {k: v.values for k, v in samples.items()},
            "runs": runs, "editable_import": [editable] if editable else None}


# ----------------------------------------------------------------------------- report
def machine_info() -> dict[str, str]:
    cpu = platform.processor() or "?"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), cpu)
    except OSError:
        pass
    try:
        mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError, AttributeError):
        mem = 0.0
    import ninjagen

    commit = version_of(["git", "-C", os.path.dirname(HERE), "rev-parse", "--short", "HEAD"])
    dirty = subprocess.run(["git", "-C", os.path.dirname(HERE), "status", "--porcelain", "--", "ninjagen"],
                           capture_output=True, text=True).stdout.strip()
    meson = script("meson")
    setuptools = subprocess.run([sys.executable, "-c", "import setuptools; print(setuptools.__version__)"],
                                capture_output=True, text=True).stdout.strip()
    return {
        "cpu": f"{cpu}, {CORES} cores, {mem:.0f} GiB RAM",
        "os": f"{platform.system()} {platform.release()} ({platform.machine()})",
        "python": f"{platform.python_version()} ({sys.executable})",
        "compiler": version_of([sysconfig.get_config_var("CC").split()[0], "--version"]),
        "ninja": f"{version_of([ninja_exe(), '--version'])} ({ninja_exe()})",
        "meson version": version_of([meson, "--version"]) if meson else "not installed",
        "setuptools version": setuptools or "not installed",
        "pip version (wheels)": version_of([sys.executable, "-m", "pip", "--version"]).split(" from ")[0],
        "ninjagen version": f"{ninjagen.__version__} (git {commit}{', with uncommitted changes' if dirty else ''})",
        "flags": f"{sysconfig.get_config_var('CC')} {sysconfig.get_config_var('CFLAGS')} "
                 f"{sysconfig.get_config_var('CCSHARED')}",
    }


def fmt(v: Optional[float], unit: str = "s") -> str:
    if v is None:
        return "—"
    if unit == "s":
        return f"{v:.3f} s" if v < 10 else f"{v:.1f} s"
    if unit == "n":
        return f"{v:.0f}"
    if unit == "MB":
        return f"{v:.0f} MB"
    return f"{v:.2f}{unit}"


def ratio(a: Optional[float], b: Optional[float]) -> str:
    return "—" if a is None or not b else f"{a / b:.2f}×"


def med(values: Optional[dict], figure: str) -> Optional[float]:
    v = (values or {}).get(figure)
    return statistics.median(v) if v else None


def spread(values: Optional[dict], figure: str) -> str:
    v = (values or {}).get(figure)
    return f"{min(v):.2f}–{max(v):.2f}" if v and len(v) > 1 else "—"


FIGURES = [("configure", "configure", "s"), ("full", f"full build (-j{CORES})", "s"), ("total", "configure + full", "s"),
           ("noop", "no-op", "s"), ("header", "touch a shared header", "s"),
           ("header_objects", "objects recompiled", "n"), ("source", "touch one source", "s"),
           ("source_objects", "objects recompiled", "n")]


def size_section(label: str, data: dict, tools: list[Tool], skipped: dict[str, str]) -> list[str]:
    tools = [t for t in tools if t.key in data["tools"] or t.key in skipped]
    n, m, h = data["size"]
    lines = [f"## {label}: {n} modules × {m} sources = {data['sources']} sources, {h} shared headers "
             f"(median of {data['runs']} run{'s' if data['runs'] != 1 else ''})", ""]
    if data["functions_per_source"] != workload.FUNCTIONS_PER_SOURCE:
        lines.append(f"**Lighter sources than the real workload** ({data['functions_per_source']} generated "
                     f"function per source instead of {workload.FUNCTIONS_PER_SOURCE}): this run only checks "
                     "that the benchmark works.")
        lines.append("")
    lines.append(f"Touching `{TOUCHED_HEADER}` must recompile the {data['expected_header_objects']} sources "
                 "that include it; touching one source, that source.")
    lines.append("")
    lines.append("| tool | " + " | ".join(title for _, title, _ in FIGURES) + " |")
    lines.append("|---" * (len(FIGURES) + 1) + "|")
    for tool in tools:
        if tool.key in skipped:
            lines.append(f"| {tool.name} | skipped: {skipped[tool.key]} |" + " |" * (len(FIGURES) - 1))
            continue
        values = data["tools"].get(tool.key)
        lines.append(f"| {tool.name} | " + " | ".join(fmt(med(values, f), u) for f, _, u in FIGURES) + " |")
    floor = data.get("floor")
    if floor is not None:
        cells = {"full": fmt(med(floor, "full")), "total": fmt(med(floor, "full"))}
        lines.append("| compile floor (CPU of each compile and link, serial, ÷ cores) | "
                     + " | ".join(cells.get(f, "—") for f, _, _ in FIGURES) + " |")
    lines.append("")
    ng = data["tools"].get("ninjagen")
    others = [t for t in tools if t.key != "ninjagen" and t.key not in skipped]
    lines.append("Ratios, ninjagen ÷ the other (below 1.00× means ninjagen is faster):")
    lines.append("")
    ratio_figs = [f for f in FIGURES if f[2] == "s"]
    lines.append("| ninjagen ÷ | " + " | ".join(title for _, title, _ in ratio_figs) + " |")
    lines.append("|---" * (len(ratio_figs) + 1) + "|")
    for tool in others:
        values = data["tools"].get(tool.key)
        lines.append(f"| {tool.name} | " + " | ".join(ratio(med(ng, f), med(values, f)) for f, _, _ in ratio_figs) + " |")
    if floor is not None:
        cells = {"full": ratio(med(ng, "full"), med(floor, "full")),
                 "total": ratio(med(ng, "total"), med(floor, "full"))}
        lines.append("| compile floor | " + " | ".join(cells.get(f, "—") for f, _, _ in ratio_figs) + " |")
    if data["runs"] > 1:
        lines += ["", "The same ratios from each tool's best run (the one least disturbed by other load):", "",
                  "| ninjagen ÷ | " + " | ".join(title for _, title, _ in ratio_figs) + " |",
                  "|---" * (len(ratio_figs) + 1) + "|"]
        for tool in others:
            values = data["tools"].get(tool.key)
            lines.append(f"| {tool.name} | " + " | ".join(ratio(best(ng, f), best(values, f))
                                                           for f, _, _ in ratio_figs) + " |")
        if floor is not None:
            lines.append("| compile floor (median) | " + " | ".join(
                {"full": ratio(best(ng, "full"), med(floor, "full")),
                 "total": ratio(best(ng, "total"), med(floor, "full"))}.get(f, "—") for f, _, _ in ratio_figs) + " |")
    lines.append("")
    lines.append("<details><summary>Spread (min–max of the runs, seconds) and CPU time of the full build</summary>")
    lines.append("")
    lines.append("| tool | full build | full build CPU (user+sys) | no-op | header touch |")
    lines.append("|---|---|---|---|---|")
    for tool in [t for t in tools if t.key not in skipped]:
        values = data["tools"].get(tool.key)
        lines.append(f"| {tool.name} | {spread(values, 'full')} | {fmt(med(values, 'full_cpu'))} | "
                     f"{spread(values, 'noop')} | {spread(values, 'header')} |")
    if floor is not None:
        lines.append(f"| compile floor | {spread(floor, 'full')} | {fmt(med(floor, 'full_cpu'))} "
                     f"(serial wall {fmt(med(floor, 'serial_wall'))}) | — | — |")
    lines += ["", "</details>", ""]
    lines += cpu_per_run_section(data, tools, skipped)
    if data.get("wheels"):
        lines += wheel_section(label, data, skipped)
    return lines


def at_run(values: Optional[dict], figure: str, r: int, runs: int) -> Optional[float]:
    """The figure as measured in repetition *r* (the median of that repetition's samples)."""
    v = (values or {}).get(figure)
    if not v or len(v) % runs:
        return None
    k = len(v) // runs
    return statistics.median(v[r * k:(r + 1) * k])


def quietest(data: dict) -> Optional[int]:
    """The repetition with the lowest load average (1 min, before + after it), or None if unknown."""
    scores = []
    for r, pair in enumerate(data.get("loads") or []):
        try:
            scores.append((float(pair[0]) + float(pair[1]), r))
        except (TypeError, ValueError):
            return None
    return min(scores)[1] if scores else None


def cpu_per_run_section(data: dict, tools: list[Tool], skipped: dict[str, str]) -> list[str]:
    """Each tool's full-build CPU time over the compile floor's, repetition by repetition."""
    floor, runs = data.get("floor"), data["runs"]
    if not floor:
        return []
    loads = data.get("loads") or []
    heads = [f"run {r + 1}" + (f" (load {loads[r][0]}→{loads[r][1]})" if r < len(loads) else "")
             for r in range(runs)]
    lines = ["Full build CPU time (user+sys of ninja or setup.py and every compiler it ran) ÷ the compile "
             "floor's CPU time in the same repetition: what each tool spends beyond the compiles themselves.", "",
             "| tool | " + " | ".join(heads) + " |", "|---" * (runs + 1) + "|"]
    for tool in [t for t in tools if t.key not in skipped and t.key in data["tools"]]:
        values = data["tools"][tool.key]
        lines.append(f"| {tool.name} | " + " | ".join(
            ratio(at_run(values, "full_cpu", r, runs), at_run(floor, "full_cpu", r, runs)) for r in range(runs)) + " |")
    return lines + [""]


def wheel_tool_list(data: dict) -> list[WheelTool]:
    keys = (data.get("wheels") or {}).get("tools", {})
    return [t for t in (make() for make in ALL_WHEEL_TOOLS) if t.key in keys]


def wheel_section(label: str, data: dict, skipped: dict[str, str]) -> list[str]:
    w = data["wheels"]
    tools = wheel_tool_list(data)
    t = w["tools"]
    ng = t.get("pip-ninjagen")
    runs = data["runs"]
    lines = [f"### {label}: wheels (`pip wheel . --no-deps -w DIST`, build isolation, median of {runs} "
             f"run{'s' if runs != 1 else ''})", "",
             "Each backend builds its own project folder holding the same sources (bench/workload.py "
             "`generate_for_backend`), freshly written in every repetition; then `pip wheel .` runs again with "
             "nothing changed. pip (21.3+) builds a local folder in place, so a build folder inside the project "
             "outlives the isolated build environment; each backend keeps one as its documented settings say "
             "(below). The backends take turns within each repetition. Every first wheel is installed into a "
             "fresh venv and all its modules are imported and run there (same checksums as the builds above); "
             "the second wheel must hold the same files.", "",
             "| backend | first `pip wheel .` | CPU (user+sys) | second, nothing changed | second ÷ first "
             "| objects recompiled by the second | WHEEL generator |", "|---|---|---|---|---|---|---|"]
    for tool in tools:
        v = t[tool.key]
        lines.append(f"| {tool.name} | {fmt(med(v, 'wheel'))} | {fmt(med(v, 'wheel_cpu'))} | {fmt(med(v, 'wheel2'))} "
                     f"| {fmt(med(v, 'wheel2_ratio'), '×')} | {fmt(med(v, 'wheel2_objects'), 'n')} "
                     f"| {w.get('generators', {}).get(tool.key, '?')} |")
    for key, why in skipped.items():
        if key.startswith("pip-"):
            lines.append(f"| {key[4:]} | skipped: {why} | | | | | |")
    lines += ["", "| ninjagen's wheel ÷ | first `pip wheel .` | second `pip wheel .` |", "|---|---|---|"]
    for tool in tools:
        if tool.backend != "ninjagen":
            v = t[tool.key]
            lines.append(f"| {tool.name} | {ratio(med(ng, 'wheel'), med(v, 'wheel'))} "
                         f"| {ratio(med(ng, 'wheel2'), med(v, 'wheel2'))} |")
    phases = [("pip", "pip itself (start, resolve, copy)"), ("deps", "installing build dependencies"),
              ("requires", "get_requires_for_build_wheel"), ("backend_deps", "installing what that asked for"),
              ("metadata", "prepare_metadata_for_build_wheel"), ("build", "build_wheel")]
    lines += ["", "Where the time of the **second** `pip wheel .` goes (medians, seconds; from the moments pip "
              "prints each step's `started` and `finished`; a backend without `prepare_metadata_for_build_wheel` "
              "builds the whole wheel in pip's metadata step and copies it in the build step):", "",
              "| backend | " + " | ".join(title for _, title in phases) + " | total |", "|---" * (len(phases) + 2) + "|"]
    for tool in tools:
        v = t[tool.key]
        lines.append(f"| {tool.name} | " + " | ".join(fmt(med(v, "wheel2_" + p)) for p, _ in phases)
                     + f" | {fmt(med(v, 'wheel2'))} |")
    lines += ["", "How each backend was told the flags, the parallelism and its build folder:", ""]
    for tool in tools:
        settings = " ".join(f"`-C {x}`" for x in w.get("settings", {}).get(tool.key, [])) or "none"
        lines.append(f"- **{tool.name}**: {tool.describe()}. Settings: {settings}.")
    return lines + [""]


def large_section(data: dict, tools: list[Tool], skipped: dict[str, str]) -> list[str]:
    n, m, h = data["size"]
    lines = [f"## L: {n} modules × {m} sources = {data['sources']} sources (configured, never compiled; "
             f"medians of at least {data['runs']} configures and 9 no-ops, tools taking turns)", "",
             "Peak memory is the maximum resident set size of the configure process (`wait4` rusage). "
             "The no-op is timed after bringing the tree up to date with `bench/fakecc.c` (a stand-in "
             "for gcc that writes empty objects and the depfile gcc -MMD would: the source's headers "
             "and Python's).", "",
             "| tool | configure | configure CPU (user+sys) | peak memory | build.ninja | no-op ninja |",
             "|---|---|---|---|---|---|"]
    confs = [t for t in tools if t.has_configure]
    for tool in confs:
        if tool.key in skipped:
            lines.append(f"| {tool.name} | skipped: {skipped[tool.key]} | | | | |")
            continue
        v = data["tools"].get(tool.key)
        lines.append(f"| {tool.name} | {fmt(med(v, 'configure'))} | {fmt(med(v, 'configure_cpu'))} | "
                     f"{fmt(med(v, 'configure_rss'), 'MB')} | "
                     f"{med(v, 'build_ninja_bytes') / 1e6:.2f} MB | {fmt(med(v, 'noop'))} |")
    ng = data["tools"].get("ninjagen")
    lines += ["", "| ninjagen ÷ | configure | configure CPU | peak memory | build.ninja | no-op ninja |",
              "|---|---|---|---|---|---|"]
    for tool in confs:
        if tool.key == "ninjagen" or tool.key in skipped:
            continue
        v = data["tools"].get(tool.key)
        lines.append(f"| {tool.name} | " + " | ".join(ratio(med(ng, f), med(v, f)) for f in
                                                       ("configure", "configure_cpu", "configure_rss",
                                                        "build_ninja_bytes", "noop")) + " |")
    lines.append("")
    return lines


def best(values: Optional[dict], figure: str) -> Optional[float]:
    v = (values or {}).get(figure)
    return min(v) if v else None



def target_row(what: str, measure: Callable[[Callable], Optional[float]], limit: float,
               stats: tuple[Callable, Callable], unit: str = "×", higher: bool = False) -> str:
    """One row of a targets table: *measure* under each of *stats* (medians, then the other), met or missed."""
    cells = []
    for stat in stats:
        try:
            value = measure(stat)
        except (TypeError, ZeroDivisionError, KeyError):
            value = None
        if value is None:
            cells.append("not measured | —")
        else:
            ok = value >= limit if higher else value <= limit
            cells.append(f"{value:.2f}{unit} | {'met' if ok else '**missed**'}")
    return f"| {what} | {' | '.join(cells)} |"


def targets_section(results: dict) -> list[str]:
    """The issue's targets, from the medians (what they are defined on) and from each tool's best run."""
    rows: list[str] = []

    def row(what: str, measure: Callable[[Callable], Optional[float]], limit: float, unit: str = "×",
            higher: bool = False) -> None:
        rows.append(target_row(what, measure, limit, (med, best), unit, higher))

    mdata = results.get("M")
    if mdata:
        t, fl = mdata["tools"], mdata.get("floor")
        ng = t.get("ninjagen")
        row("M full build ≤ 1.05 × ideal ninja", lambda f: f(ng, "full") / f(t["ideal"], "full"), 1.05)
        row("M full build ≤ 1.15 × compile floor", lambda f: f(ng, "full") / med(fl, "full"), 1.15)
        row("M full build ≤ 1.0 × meson", lambda f: f(ng, "full") / f(t["meson"], "full"), 1.0)
        row("M full build ≥ 1.9 × faster than setuptools serial",
            lambda f: f(t["setuptools"], "full") / f(ng, "full"), 1.9, higher=True)
        row("M header touch wall ≤ 1.1 × ideal ninja", lambda f: f(ng, "header") / f(t["ideal"], "header"), 1.1)
        exp = mdata["expected_header_objects"]
        got = ng["header_objects"] if ng else []
        ok = "met" if got and all(g == exp for g in got) else "**missed**"
        rows.append(f"| M header touch recompiles exactly the {exp} dependents | {', '.join(map(str, got))} | {ok} "
                    "| (every run) | |")
    ldata = results.get("L")
    if ldata:
        t = ldata["tools"]
        ng = t.get("ninjagen")
        row("L configure ≤ 0.5 s", lambda f: f(ng, "configure"), 0.5, " s")
        row("L configure ≤ 0.1 × meson setup", lambda f: f(ng, "configure") / f(t["meson"], "configure"), 0.1)
        row("L configure peak memory ≤ 80 MB", lambda f: f(ng, "configure_rss"), 80, " MB")
        row("L no-op ≤ 1.1 × ideal ninja's no-op", lambda f: f(ng, "noop") / f(t["ideal"], "noop"), 1.1)
    if not rows:
        return []
    return ["## Targets (issue 6)", "",
            "Each target is defined on the medians; the best run of each tool (the one least disturbed by "
            "other load on the machine) is shown beside them.", "",
            "| target | medians | | best runs | |", "|---|---|---|---|---|", *rows, ""]


def targets15_section(results: dict) -> list[str]:
    """Issue 15's targets, on the medians and on the quietest run."""
    rows: list[str] = []

    def row(what: str, measure: Callable[[Callable], Optional[float]], limit: float, quiet: Callable,
            unit: str = "×", higher: bool = False) -> None:
        rows.append(target_row(what, measure, limit, (med, quiet), unit, higher))

    ldata = results.get("L")
    if ldata:
        t = ldata["tools"]
        ng, ideal_ = t.get("ninjagen"), t.get("ideal")
        row("L configure ≤ 0.3 s", lambda f: f(ng, "configure"), 0.3, best, " s")
        row("L configure ≤ 0.3 s, a machine's first (no user cache: jinja2 renders the rules)",
            lambda f: f(t.get("ninjagen-nocache"), "configure"), 0.3, best, " s")
        row("L configure peak memory ≤ 50 MB", lambda f: f(ng, "configure_rss"), 50, best, " MB")
        row("L configure ≤ 2.5 × ideal ninja's", lambda f: f(ng, "configure") / f(ideal_, "configure"), 2.5, best)
        row("L build.ninja ≤ 1.3 × ideal ninja's", lambda f: f(ng, "build_ninja_bytes") / f(ideal_, "build_ninja_bytes"),
            1.3, best)
        row("L no-op ≤ 1.05 × ideal ninja's", lambda f: f(ng, "noop") / f(ideal_, "noop"), 1.05, best)
        row("L editable import's check ≤ 0.1 × ninja no-op (timed in turns)",
            lambda f: editable_figure(ldata, "check_over_noop", statistics.median if f is med else min), 0.1, best)
    label = "M" if "M" in results else ("S" if "S" in results else None)
    if label:
        data = results[label]
        t, fl, runs = data["tools"], data.get("floor"), data["runs"]
        w = (data.get("wheels") or {}).get("tools", {})
        r = quietest(data)

        def quiet(values: Optional[dict], figure: str) -> Optional[float]:
            return None if r is None else at_run(values, figure, r, runs)

        tag = label if label == "M" else "S (M not measured)"
        row(f"{tag} editable import ≤ 1 ms over a plain import",
            lambda f: editable_figure(data, "overhead", statistics.median if f is med else min) * 1000, 1.0, quiet,
            " ms")
        ngw = w.get("pip-ninjagen")
        row(f"{tag} `pip wheel .` ≥ 1.8 × faster than setuptools'",
            lambda f: f(w["pip-setuptools"], "wheel") / f(ngw, "wheel"), 1.8, quiet, higher=True)
        row(f"{tag} `pip wheel .` ≤ 1.0 × meson-python's", lambda f: f(ngw, "wheel") / f(w["pip-meson-python"], "wheel"),
            1.0, quiet)
        row(f"{tag} second `pip wheel .` ≤ 0.1 × the first", lambda f: f(ngw, "wheel2_ratio"), 0.1, quiet)
        ng = t.get("ninjagen")
        row(f"{tag} full build CPU ≤ 1.05 × the compile floor's CPU",
            lambda f: f(ng, "full_cpu") / f(fl, "full_cpu"), 1.05, quiet)
        per_run = [at_run(ng, "full_cpu", i, runs) / at_run(fl, "full_cpu", i, runs)
                   for i in range(runs) if ng and fl and at_run(fl, "full_cpu", i, runs)]
        if per_run:
            rows.append(f"| {tag} full build CPU ≤ 1.05 × floor, run by run | "
                        f"{', '.join(f'{x:.2f}×' for x in per_run)} | "
                        f"{'met' if all(x <= 1.05 for x in per_run) else '**missed**'} | (every run) | |")
    if not rows:
        return []
    return ["## Targets (issue 15)", "",
            "On the medians, and on the quietest run: for S and M the repetition with the lowest load average "
            "(before + after it; all tools from that same repetition), for L each tool's fastest round (its "
            "rounds are seconds apart, too close together for the load average to tell them apart).", "",
            "| target | medians | | quietest run | |", "|---|---|---|---|---|", *rows, ""]


def write_report(path: str, info: dict, results: dict, tools: list[Tool], skipped: dict[str, str],
                 command: str, load: tuple[str, str], elapsed: float, date: str) -> None:
    kept = ""
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            old = f.read()
        if NOTES_MARKER in old:
            kept = old[old.index(NOTES_MARKER) + len(NOTES_MARKER):]
    lines = ["# ninjagen benchmarks", "",
             f"Written by `{command}` on {date} in {elapsed / 60:.1f} min. "
             "Every figure comes from this one run: same machine, same generated sources, same compiler "
             "and flags; the tools take turns within each repetition. Absolute times depend on the machine "
             "and on whatever else runs on it; the ratios are what to compare.", "",
             "| machine | |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in info.items()]
    lines += [f"| load average (1 min) | {load[0]} before, {load[1]} after |", ""]
    for label in ("S", "M"):
        if label in results:
            lines += size_section(label, results[label], tools, skipped)
    if "L" in results:
        lines += large_section(results["L"], tools, skipped)
    lines += targets_section(results)
    lines += targets15_section(results)
    text = "\n".join(lines).rstrip("\n") + "\n\n" + NOTES_MARKER + (kept if kept else "\n")
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def loadavg() -> str:
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except OSError:
        return "?"


def compile_package() -> None:
    """Byte-compile ninjagen, as installing a wheel does: an editable install (or a
    PYTHONDONTWRITEBYTECODE environment) would otherwise recompile it in every configure."""
    import compileall

    import ninjagen

    compileall.compile_dir(os.path.dirname(ninjagen.__file__), quiet=1)


def in_own_venv(venv: str, argv: list[str]) -> int:
    """Create *venv* with meson, setuptools and this checkout of ninjagen (a plain, not
    editable, install), then run this script again inside it."""
    python = os.path.join(venv, "Scripts" if os.name == "nt" else "bin", "python")
    if not os.path.exists(python):
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        subprocess.run([python, "-m", "pip", "install", "-q", "meson", "setuptools", "cmake"], check=True)
    subprocess.run([python, "-m", "pip", "install", "-q", "--force-reinstall", "--no-deps", os.path.dirname(HERE)],
                   check=True)
    subprocess.run([python, "-m", "pip", "install", "-q", os.path.dirname(HERE)], check=True)  # its dependencies
    rest = [a for i, a in enumerate(argv)
            if a != "--venv" and not a.startswith("--venv=") and (i == 0 or argv[i - 1] != "--venv")]
    return subprocess.run([python, os.path.abspath(__file__), *rest]).returncode


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="S only, one run, lighter sources (one function each), no L: for CI, which checks no timing")
    parser.add_argument("--sizes", default="S,M,L", help="comma-separated sizes among S, M, L (default: all)")
    parser.add_argument("--runs", type=int, default=3, help="repetitions of every figure (default 3)")
    parser.add_argument("--output", default=os.path.join(HERE, "RESULTS.md"), help="the report (default bench/RESULTS.md)")
    parser.add_argument("--workdir", help="where the projects are generated (default: a temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the generated projects")
    parser.add_argument("--tools", help="comma-separated subset of: " + ", ".join(
        ["ninjagen", "ideal", "meson", "setuptools", "setuptools-j"] + [make().key for make in ALL_WHEEL_TOOLS])
        + " (pip-ninjagen comes with any other pip-*; naming none of them builds no wheels)")
    parser.add_argument("--wheels", metavar="SIZES", help="sizes whose projects are also built as wheels with "
                        "`pip wheel .`, twice, through each backend (default M; S with ninjagen and setuptools "
                        "only in --quick; none: no wheels)")
    parser.add_argument("--baseline", metavar="REV", help="also time L's configure with ninjagen as it was at "
                        "git revision REV (needs git; the figure appears as its own row)")
    parser.add_argument("--from-json", metavar="PATH", help="only write the report again from a run's saved "
                        ".json (e.g. after changing the report's layout)")
    parser.add_argument("--venv", metavar="DIR", help="create DIR (once) with meson, setuptools and this "
                        "checkout of ninjagen installed from PyPI and pip, and run the benchmark there")
    args = parser.parse_args(argv)
    if args.venv:
        return in_own_venv(args.venv, list(sys.argv[1:] if argv is None else argv))
    sizes = ["S"] if args.quick else [s.strip().upper() for s in args.sizes.split(",") if s.strip()]
    runs = 1 if args.quick else max(1, args.runs)
    if any(s not in SIZES for s in sizes):
        parser.error(f"--sizes: choose among {', '.join(SIZES)}")
    if not shutil.which("gcc"):
        parser.error("the benchmark needs gcc on PATH")

    if args.from_json:
        with open(args.from_json, encoding="utf-8") as f:
            saved = json.load(f)
        meta = saved.get("run", {})
        tools = [make() for make in ALL_TOOLS]
        if "ninjagen-nocache" in saved["results"].get("L", {}).get("tools", {}):
            tools.append(NinjagenWithoutUserCache())
        if "baseline" in saved["results"].get("L", {}).get("tools", {}):
            tools.append(NinjagenAt(meta.get("baseline", "?")))
        write_report(args.output, saved["machine"], saved["results"], tools, saved["skipped"],
                     meta.get("command", ""), tuple(meta.get("load", ("?", "?"))), meta.get("elapsed", 0.0),
                     meta.get("date", ""))
        print(f"wrote {args.output} from {args.from_json}")
        return 0
    tools = [make() for make in ALL_TOOLS]
    extra: list[Tool] = [NinjagenWithoutUserCache(), *([NinjagenAt(args.baseline)] if args.baseline else [])]
    wheel_tools = [make() for make in ALL_WHEEL_TOOLS]
    if args.quick:
        wheel_tools = [t for t in wheel_tools if t.backend in ("ninjagen", "setuptools")]
    if args.tools:
        wanted = {t.strip() for t in args.tools.split(",")}
        tools = [t for t in tools if t.key in wanted or t.key == "ninjagen"]
        picked = wanted & {t.key for t in wheel_tools}
        wheel_tools = [t for t in wheel_tools if t.key in picked or (picked and t.backend == "ninjagen")]
    wheel_sizes = args.wheels if args.wheels is not None else ("S" if args.quick else "M")
    wheel_sizes = [] if wheel_sizes.strip().lower() == "none" else [w.strip().upper() for w in wheel_sizes.split(",")]
    if any(w not in SIZES or w == "L" for w in wheel_sizes):
        parser.error("--wheels: choose among S, M (or none)")
    skipped = {t.key: why for t in [*tools, *wheel_tools] if (why := t.unavailable())}
    active = [t for t in tools if t.key not in skipped]
    active_wheels = [t for t in wheel_tools if t.key not in skipped]
    tools += extra

    work = args.workdir or tempfile.mkdtemp(prefix="ninjagen-bench-")
    os.makedirs(work, exist_ok=True)
    started = time.perf_counter()

    def log(msg: str) -> None:
        print(f"[{time.perf_counter() - started:6.0f} s] {msg}", flush=True)

    for key, why in skipped.items():
        log(f"skipping {key}: {why}")
    compile_package()
    info = machine_info()
    load_before = loadavg()
    results: dict[str, dict] = {}
    try:
        links = ninjagen_links(work, log) if active_wheels and set(wheel_sizes) & set(sizes) else ""
        for label in sizes:
            if label == "L":
                for tool in extra:
                    tool.prepare(work)
                results["L"] = bench_large(SIZES["L"], active + extra, runs, work, log)
            else:
                results[label] = bench_size(label, SIZES[label], active, runs, work, log,
                                            functions=1 if args.quick else workload.FUNCTIONS_PER_SOURCE,
                                            noops=1 if args.quick else 3,
                                            wheel_tools=active_wheels if label in wheel_sizes else (), links=links)
    finally:
        if not args.keep and not args.workdir:
            shutil.rmtree(work, ignore_errors=True)
    meta = {"command": "python bench/run.py" + "".join(" " + a for a in sys.argv[1:]),
            "load": [load_before, loadavg()], "elapsed": time.perf_counter() - started,
            "date": datetime.datetime.now().strftime("%Y-%m-%d %H:%M"), "baseline": args.baseline}
    write_report(args.output, info, results, tools, skipped, meta["command"], tuple(meta["load"]),
                 meta["elapsed"], meta["date"])
    raw = os.path.splitext(args.output)[0] + ".json"
    with open(raw, "w", encoding="utf-8") as f:
        json.dump({"run": meta, "machine": info, "skipped": skipped, "results": results}, f, indent=1)
    log(f"wrote {args.output} and {raw}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as exc:
        print(f"bench: error: {exc}", file=sys.stderr)
        sys.exit(1)
