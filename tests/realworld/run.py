#!/usr/bin/env python3
"""Build real PyPI projects with setuptools and with ninjagen, and run each project's own tests.

    python tests/realworld/run.py [--work /tmp/realworld] [--only markupsafe,lz4] [--python python3.11]

For every project below: download its sdist at the pinned version (``pip
download --no-deps --no-binary NAME``), unpack two fresh copies, build one with
``python setup.py build_ext --inplace`` and the other with ``ninjagen configure
--setup-py && ninja`` (both timed, wall clock), check that the extension modules
import from that copy, and run the project's tests against it.  The results go to
``WORK/results.json`` and are printed as the Markdown table of README.md.

Not part of the default test run (it downloads): no file or function here is
named test_*.  Everything lives in the work folder, outside the repository: one
shared venv (the test dependencies below, plus ninjagen installed editable from
this checkout), the sdists, the build copies and a log per step.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
import zipfile
from dataclasses import dataclass, field

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # tests/: argv_compare
import argv_compare  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TEST_DEPS = ["pytest", "hypothesis", "Cython", "setuptools", "wheel", "setuptools_scm", "toolz", "psutil",
             "readme_renderer", "pytest-timeout",
             # issue 12 projects: what their setup.py / build_ext imports (the builds run without isolation)
             "cppy", "pybind11", "numpy<2", "cffi"]
APT = ["libyaml-dev",  # pyyaml links the system libyaml (libraries=["yaml"])
       # issue 12: Pillow's build_ext requires zlib and libjpeg (find_library_file); psycopg2 runs
       # pg_config (libpq-dev) and its tests need a PostgreSQL server
       "zlib1g-dev", "libjpeg-dev", "libpq-dev", "postgresql",
       "libgmp-dev", "libmpfr-dev", "libmpc-dev"]  # gmpy2 links gmp, mpfr and mpc


@dataclass
class Project:
    name: str
    version: str
    shape: str
    tests: list[str]
    """Arguments to ``python -m pytest`` (run in the project folder)."""
    modules: list[str]
    """Extension modules that must import from the built copy."""
    pythonpath: str = "."
    """Where the packages live, relative to the project folder (``src``, ``lib``)."""
    env: dict[str, str] = field(default_factory=dict)
    setuptools_commands: list[str] = field(default_factory=lambda: ["build_ext", "--inplace"])
    """What ``python setup.py`` runs: build_ext alone does not run build_clib."""
    plugin_pins: list[str] = field(default_factory=list)
    """Installed into the plugin mode's venv first: bottleneck 1.3.8 builds against numpy 1 (oldest-supported-numpy)
    and, with today's numpy 2 at run time, fails to import under setuptools alone just the same."""
    prepare: list[str] = field(default_factory=list)
    """Shell commands run after the build (in the project folder, logged, status ignored), before the import
    check and the tests: start a server, make the package importable."""


# lz4's five heavily parametrized files hold 27,000 of its 28,000 tests (an hour on 2 loaded cores)
LZ4_HUGE = ["block/test_block_0", "frame/test_frame_1", "frame/test_frame_2", "frame/test_frame_4", "stream/test_stream_0"]

PROJECTS = [
    Project("markupsafe", "2.1.5", "single-file C", ["tests"], ["markupsafe._speedups"], pythonpath="src"),
    Project("simplejson", "3.19.3", "single-file C, tests inside the package", ["simplejson/tests"],
            ["simplejson._speedups"]),
    Project("multidict", "6.1.0", "single-file C with strict flags (-std=c99 -pedantic -Wconversion)",
            ["tests", "-o", "addopts=", "--ignore=tests/test_mypy.py", "--ignore=tests/test_circular_imports.py"], ["multidict._multidict"]),
    Project("bitarray", "3.0.0", "two C extension modules in one package", ["bitarray"],
            ["bitarray._bitarray", "bitarray._util"]),
    Project("lz4", "4.3.3", "bundled C library (lz4libs/*.c) compiled into 4 modules",
            ["tests", "-o", "addopts="] + [f"--ignore=tests/{f}.py" for f in LZ4_HUGE],
            ["lz4._version", "lz4.block._block", "lz4.frame._frame", "lz4.stream._stream"],
            env={"PYLZ4_EXPERIMENTAL": "1"}),  # lz4.stream, which tests/stream needs
    Project("psutil", "6.1.0", "many C files (psutil/arch/linux/*.c), 2 modules, macros",
            ["psutil/tests", "--ignore=psutil/tests/test_memleaks.py", "--timeout=120"],
            ["psutil._psutil_linux", "psutil._psutil_posix"], env={"PSUTIL_TESTING": "1"}),
    Project("ujson", "5.10.0", "C + bundled C++ (double-conversion), extra_link_args -lstdc++",
            ["tests"], ["ujson"]),
    Project("pyyaml", "6.0.2", "Cython .pyx + system library (libraries=['yaml']), package_dir lib/, "
            "custom Extension and build_ext", ["tests/legacy_tests"], ["yaml._yaml"], pythonpath="lib"),
    Project("cytoolz", "1.0.1", "5 Cython modules via cythonize(), global directive defaults",
            ["cytoolz/tests"], ["cytoolz.dicttoolz", "cytoolz.functoolz", "cytoolz.itertoolz",
                                "cytoolz.recipes", "cytoolz.utils"]),
    Project("msgpack", "1.1.0", "Cython-generated C shipped in the sdist", ["test"], ["msgpack._cmsgpack"]),
    Project("marisa-trie", "1.2.1", "C++: build_clib library (libraries=[('libmarisa-trie', {...})]) + "
            "Cython-generated C++ sources", ["tests", "--ignore=tests/test_packaging.py"], ["marisa_trie"],
            setuptools_commands=["build_clib", "build_ext", "--inplace"]),
    # Issue 12: projects whose build_ext (or setup.cfg / pyproject.toml) does what setup()'s arguments do not show
    Project("kiwisolver", "1.4.5", "C++; cppy's CppyBuildExt adds cppy's include folder in build_ext; packages "
            "only in pyproject's [tool.setuptools.packages.find] where=['py']",
            ["py/tests"], ["kiwisolver._cext"], pythonpath="py"),
    Project("contourpy", "1.0.7", "C++: pybind11's Pybind11Extension (pybind11 include, highest -std=c++NN "
            "found in build_ext) and ParallelCompile; packages only in pyproject's where=['lib']",
            ["tests", "-m", "not image and not threads", "--ignore=tests/test_codebase.py",
             "--ignore=tests/test_renderer.py"],
            ["contourpy._contourpy"], pythonpath="lib"),
    Project("bottleneck", "1.3.8", "C; build_ext adds numpy.get_include(), runs `config` (try_compile -> "
            "bn_config.h) and generates the 4 module sources from *_template.c", ["bottleneck/tests"],
            ["bottleneck.reduce", "bottleneck.move", "bottleneck.nonreduce", "bottleneck.nonreduce_axis"],
            plugin_pins=["numpy<2"]),
    Project("pillow", "10.4.0", "C; build_ext searches the system libraries (find_library_file: z, jpeg, ...) "
            "and sets libraries/defines; package-dir only in pyproject's [tool.setuptools]",
            ["Tests/test_image.py", "Tests/test_file_jpeg.py", "Tests/test_file_png.py", "Tests/test_imagedraw.py",
             "Tests/test_lib_pack.py", "-o", "addopts="],
            ["PIL._imaging", "PIL._imagingmath", "PIL._imagingmorph", "PIL._imagingtk"],
            pythonpath="src"),
    Project("pynacl", "1.5.0", "cffi module; bundled libsodium built first by build_clib (configure, make), "
            "build_ext adds its include/lib folders; ext_package='nacl'",
            ["tests", "--ignore=tests/test_pwhash.py", "--ignore=tests/test_hashlib_scrypt.py"],
            ["nacl._sodium"], pythonpath="src", env={"LIBSODIUM_MAKE_ARGS": "-j2"},
            setuptools_commands=["build_clib", "build_ext", "--inplace"]),
    Project("jq", "1.6.0", "Cython-generated C shipped (jq.c); build_ext first builds the bundled oniguruma "
            "and jq (configure, make) whose .a files the extension links",
            ["tests/jq_tests.py", "tests/jq_old_tests.py"], ["jq"]),
    Project("httptools", "0.6.1", "Cython-generated C shipped; build_ext appends the vendored llhttp and "
            "http-parser sources and include folders", ["tests"],
            ["httptools.parser.parser", "httptools.parser.url_parser"]),
    Project("cymem", "2.0.8", "C++ from Cython with cythonize(language_level=2); build_ext sets "
            "extra_compile_args/extra_link_args by compiler type", ["cymem/tests"], ["cymem.cymem"]),
    Project("python-crfsuite", "0.9.10", "Cython-generated C++ shipped + vendored crfsuite/liblbfgs C; build_ext "
            "wraps the compiler's _compile to add -std=c99 to the .c files only", ["tests"],
            ["pycrfsuite._pycrfsuite"]),
    Project("psycopg2", "2.9.9", "C; setup.cfg's [build_ext] (define=PSYCOPG_DEBUG, pg_config, ...) and "
            "build_ext runs pg_config for include/library folders and macros; package_dir={'psycopg2': 'lib'}",
            ["tests", "--timeout=120"], ["psycopg2._psycopg"],
            prepare=["ln -sfn lib psycopg2",  # package_dir {'psycopg2': 'lib'}: import psycopg2 from the copy
                     "pg_ctlcluster $(ls /etc/postgresql | tail -1) main start || true",
                     "su postgres -c 'createuser -s root' || true", "createdb psycopg2_test || true"]),
    Project("vam.whittaker", "2.0.6", "Cython .pyx translated by Cython.Distutils' build_ext; numpy's include "
            "folder only in setup(include_dirs=[numpy.get_include()]); a package three levels deep (vam.whittaker._whit)",
            ["tests"], ["vam.whittaker._whit"],
            # the tests load tests/MXD_testdata.pkl, which the sdist ships only as the literal in tests/testdata.py
            prepare=["python -c \"import pickle, numpy; ns = vars(numpy).copy(); "
                     "exec(open('tests/testdata.py').read(), ns); "
                     "pickle.dump(ns['MXD_testdata'], open('tests/MXD_testdata.pkl', 'wb'))\""]),
    Project("gmpy2", "2.2.1", "C; build_ext turns setup()'s extra_compile_args ['DSHARED=1'] into ['-DSHARED=1'] "
            "(prefixes '-' by compiler type) and has its own options (--fast, --static, ...)",
            ["test"], ["gmpy2.gmpy2"]),
    Project("atom", "0.10.5", "C++, 2 modules; cppy's CppyBuildExt adds cppy's include folder in build_ext; "
            "use_scm_version writes atom/version.py", ["tests", "--ignore=tests/type_checking"],
            ["atom.catom", "atom.datastructures.sortedmap"]),
]

MODES = ("setuptools", "ninjagen")
EXTRA_MODES = ("plugin",)
"""plugin: ``pip install -e .`` and ``pip wheel .`` through the setuptools plugin, build isolation on."""
SPAWNLOG = os.path.join(os.path.dirname(os.path.abspath(__file__)), "spawnlog")


def log_run(cmd: list[str], cwd: str, log: str, env: dict[str, str], timeout: int) -> tuple[int, float, str]:
    """Run *cmd*, output to *log*; return (exit status, wall seconds, output)."""
    start = time.perf_counter()
    try:
        proc = subprocess.run(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, errors="replace", timeout=timeout)
        status, output = proc.returncode, proc.stdout
    except subprocess.TimeoutExpired as exc:
        status, output = -1, (exc.stdout or b"").decode(errors="replace") + f"\n*** timeout after {timeout}s\n"
    elapsed = time.perf_counter() - start
    with open(log, "a", encoding="utf-8") as f:
        f.write(f"$ {' '.join(cmd)}   (in {cwd}; exit {status}; {elapsed:.1f}s)\n{output}\n")
    return status, elapsed, output


def apt_ready() -> None:
    """Install the missing Debian packages of APT (as root; otherwise say which are missing)."""
    if not shutil.which("dpkg-query"):
        return
    missing = [pkg for pkg in APT if subprocess.run(["dpkg-query", "-W", "-f=${Status}", pkg], capture_output=True,
                                                   text=True).stdout.strip() != "install ok installed"]
    if not missing:
        return
    if os.geteuid() != 0:
        print(f"warning: Debian packages missing (install them as root): {' '.join(missing)}", flush=True)
        return
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    if subprocess.run(["apt-get", "install", "-y", "-q", *missing], env=env).returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], env=env, check=True)
        subprocess.run(["apt-get", "install", "-y", "-q", *missing], env=env, check=True)


def venv_ready(work: str, python: str) -> str:
    venv = os.path.join(work, "venv")
    bin_dir = os.path.join(venv, "bin")
    pip = [os.path.join(bin_dir, "python"), "-m", "pip", "install", "-q"]
    if not os.path.exists(os.path.join(bin_dir, "ninjagen")):
        subprocess.run([python, "-m", "venv", venv], check=True)
        subprocess.run(pip + ["-U", "pip"], check=True)
        subprocess.run(pip + ["-e", REPO], check=True)
    stamp = os.path.join(venv, "test-deps.txt")
    wanted = "\n".join(TEST_DEPS) + "\n"
    try:
        with open(stamp, encoding="utf-8") as f:
            current = f.read()
    except OSError:
        current = ""
    if current != wanted:  # a new venv, or TEST_DEPS changed since
        subprocess.run(pip + TEST_DEPS, check=True)
        with open(stamp, "w", encoding="utf-8") as f:
            f.write(wanted)
    return bin_dir


def sdist(work: str, bin_dir: str, p: Project) -> str:
    folder = os.path.join(work, "sdists")
    os.makedirs(folder, exist_ok=True)

    def found() -> list[str]:
        stem = re.sub(r"[-_.]+", "[-_.]", p.name)
        return [f for f in glob.glob(os.path.join(folder, "*.tar.gz"))
                if re.fullmatch(rf"(?i){stem}-{re.escape(p.version)}\.tar\.gz", os.path.basename(f))]

    if not found():
        subprocess.run([os.path.join(bin_dir, "python"), "-m", "pip", "download", "-q", "--no-deps",
                        "--no-binary", p.name, f"{p.name}=={p.version}", "-d", folder], check=True)
    return found()[0]


def fresh_copy(tarball: str, dest: str) -> str:
    shutil.rmtree(dest, ignore_errors=True)
    os.makedirs(dest)
    with tarfile.open(tarball) as tar:
        tar.extractall(dest, filter="data") if hasattr(tarfile, "data_filter") else tar.extractall(dest)
    (top,) = os.listdir(dest)
    return os.path.join(dest, top)


def pytest_counts(output: str) -> dict[str, int]:
    """The counts of pytest's final summary line ('3 failed, 120 passed, 2 skipped in 1.2s')."""
    lines = [ln for ln in output.splitlines() if re.search(r"\d+ (passed|failed|errors?)\b.* in [\d.]+s", ln)]
    counts: dict[str, int] = {}
    for number, word in re.findall(r"(\d+) (passed|failed|errors?|skipped|xfailed|xpassed)", lines[-1] if lines else ""):
        counts["error" if word.startswith("error") else word] = int(number)
    return counts


def build_and_test(p: Project, mode: str, tarball: str, work: str, bin_dir: str, run_tests: bool = True) -> dict:
    project = fresh_copy(tarball, os.path.join(work, "builds", mode, p.name))
    log = os.path.join(work, "logs", f"{p.name}-{mode}.log")
    os.makedirs(os.path.dirname(log), exist_ok=True)
    open(log, "w").close()
    env = {**os.environ, **p.env, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")}
    env.pop("PYTHONPATH", None)
    python = os.path.join(bin_dir, "python")
    result: dict = {"project": p.name, "version": p.version, "mode": mode, "log": log}
    commands = os.path.join(work, "logs", f"{p.name}-{mode}-commands.json")
    if os.path.exists(commands):
        os.remove(commands)
    if mode == "setuptools":  # every command its compiler spawns logged (spawnlog/sitecustomize.py)
        spawn_env = {**env, "PYTHONPATH": SPAWNLOG, "NINJAGEN_SPAWN_LOG": commands}
        status, seconds, _ = log_run([python, "setup.py", *p.setuptools_commands], project, log, spawn_env, 1800)
    else:
        status, seconds, _ = log_run([os.path.join(bin_dir, "ninjagen"), "configure", "--setup-py"],
                                     project, log, env, 600)
        result["configure_seconds"] = round(seconds, 2)
        if status == 0:
            status, build, _ = log_run([os.path.join(bin_dir, "ninja")], project, log, env, 1800)
            seconds += build
        if status == 0:  # the commands ninja ran, response files expanded
            compdb = subprocess.run([os.path.join(bin_dir, "ninja"), "-t", "compdb", "-x", *argv_compare.NINJA_RULES],
                                    cwd=project, capture_output=True, text=True, check=True).stdout
            with open(commands, "w", encoding="utf-8") as f:
                f.write(compdb)
    result.update(build_ok=status == 0, build_seconds=round(seconds, 2), root=project)
    if status != 0 or not run_tests:
        return result
    env["PYTHONPATH"] = os.path.join(project, p.pythonpath)
    for command in p.prepare:
        log_run(["sh", "-c", command], project, log, env, 300)
    check = ("import importlib, os, sys\nfor m in sys.argv[1:]:\n    f = importlib.import_module(m).__file__\n"
             f"    assert os.path.realpath(f).startswith({os.path.realpath(project)!r}), (m, f)\n    print(m, f)\n")
    status, _, output = log_run([python, "-c", check, *p.modules], project, log, env, 120)
    result["imports_ok"] = status == 0
    if status != 0:
        result["import_error"] = (output.strip().splitlines() or ["?"])[-1]
        return result
    status, seconds, output = log_run([python, "-m", "pytest", "-q", "-p", "no:cacheprovider", *p.tests],
                                      project, log, env, 1800)
    result.update(tests=pytest_counts(output), test_seconds=round(seconds, 1), pytest_status=status)
    return result


def ninjagen_wheelhouse(work: str, bin_dir: str) -> str:
    """A wheel of this checkout, for pip's isolated build environments (``PIP_FIND_LINKS``)."""
    wheelhouse = os.path.join(work, "wheelhouse")
    shutil.rmtree(wheelhouse, ignore_errors=True)
    subprocess.run([os.path.join(bin_dir, "python"), "-m", "pip", "wheel", "-q", "--no-deps", "-w", wheelhouse, REPO],
                   check=True)
    return wheelhouse


def opt_into_the_plugin(project: str) -> None:
    """``[tool.ninjagen] setuptools-build-ext = true`` and ninjagen in ``build-system.requires``, nothing else."""
    path = os.path.join(project, "pyproject.toml")
    text = open(path, encoding="utf-8").read() if os.path.exists(path) else ""
    if re.search(r"(?m)^\[build-system\]", text):
        text, n = re.subn(r"(?ms)(^\[build-system\].*?^\s*requires\s*=\s*\[)", r'\1"ninjagen", ', text, count=1)
        assert n == 1, f"{path}: no build-system.requires list"
    else:
        text = ('[build-system]\nrequires = ["setuptools>=40.8.0", "ninjagen"]\n'
                'build-backend = "setuptools.build_meta:__legacy__"\n\n' + text)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text + "\n[tool.ninjagen]\nsetuptools-build-ext = true\n")


def _ninja_log(project: str, since_ns: int = 0) -> list[str]:
    """The .ninja_log lines of the plugin's build folder(s) (one per output ninja ran) whose output was
    written since *since_ns* (the log's third field; a log that was forgotten and begun again still counts)."""
    lines = []
    for log in glob.glob(os.path.join(project, "build", "**", ".ninja_log"), recursive=True):
        with open(log, encoding="utf-8") as f:
            lines += [ln for ln in f if not ln.startswith("#") and int(ln.split("\t")[2]) >= since_ns]
    return lines


def _edit_one_source(project: str, bin_dir: str) -> tuple[str, int] | None:
    """Append a comment to one C/C++ source the plugin's ninja compiles; return it and how many outputs depend on it."""
    for build_ninja in glob.glob(os.path.join(project, "build", "**", "build.ninja"), recursive=True):
        # the drop-in's build.ninja lives in build_temp, its paths relative to the project (ninja -f, in it)
        ninja = [os.path.join(bin_dir, "ninja"), "-f", build_ninja]
        entries = json.loads(subprocess.run(ninja + ["-t", "compdb", "cc", "cxx"], cwd=project, capture_output=True,
                                            text=True, check=True).stdout)
        for entry in entries:
            source = os.path.normpath(os.path.join(entry["directory"], entry["file"]))
            if not source.startswith(project) or f"{os.sep}build{os.sep}" in source[len(project):]:
                continue
            with open(source, "a", encoding="utf-8") as f:
                f.write("\n/* edited by tests/realworld/run.py */\n")
            would_run = subprocess.run(ninja + ["-n"], cwd=project, capture_output=True, text=True).stdout
            return os.path.relpath(source, project), len(re.findall(r"(?m)^\[\d+/\d+\]", would_run))
    return None


def plugin_install(p: Project, tarball: str, work: str, bin_dir: str, wheelhouse: str) -> dict:
    """``pip install -e .`` (then an edit, then again) and ``pip wheel .`` through the plugin, isolated builds."""
    project = fresh_copy(tarball, os.path.join(work, "builds", "plugin", p.name))
    opt_into_the_plugin(project)
    log = os.path.join(work, "logs", f"{p.name}-plugin.log")
    open(log, "w").close()
    venv = os.path.join(work, "plugin-venvs", p.name)
    shutil.rmtree(venv, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    python = os.path.join(venv, "bin", "python")
    env = {**os.environ, **p.env, "PIP_FIND_LINKS": wheelhouse,
           "PATH": os.path.join(venv, "bin") + os.pathsep + os.environ.get("PATH", "")}
    env.pop("PYTHONPATH", None)
    pip = [python, "-m", "pip", "--disable-pip-version-check"]
    result: dict = {"project": p.name, "version": p.version, "mode": "plugin", "log": log}
    if p.plugin_pins:
        log_run(pip + ["install", *p.plugin_pins], project, log, env, 600)
    status, seconds, output = log_run(pip + ["install", "-v", "-e", "."], project, log, env, 1800)
    result.update(editable_ok=status == 0, editable_seconds=round(seconds, 1),
                  plugin_said=sorted(set(re.findall(r"(?m)^ninjagen: .*$", output)))[:5])
    if status == 0:
        check = ("import importlib, os, sys\nfor m in sys.argv[1:]:\n    f = importlib.import_module(m).__file__\n"
                 f"    assert os.path.realpath(f).startswith({os.path.realpath(project)!r}), (m, f)\n")
        status, _, output = log_run([python, "-c", check, *p.modules], work, log, env, 120)
        result["editable_imports_ok"] = status == 0
        built = len(_ninja_log(project))
        edited = _edit_one_source(project, bin_dir)
        if edited and built:
            result["edited"], result["edit_should_run"] = edited
            since = time.time_ns()
            status, seconds, _ = log_run(pip + ["install", "-v", "-e", "."], project, log, env, 1800)
            result.update(reinstall_ok=status == 0, reinstall_seconds=round(seconds, 1),
                          edit_ran=len(_ninja_log(project, since)))
    wheels = os.path.join(work, "plugin-wheels", p.name)
    shutil.rmtree(wheels, ignore_errors=True)
    status, seconds, _ = log_run(pip + ["wheel", "-v", "--no-deps", "-w", wheels, "."], project, log, env, 1800)
    result.update(wheel_ok=status == 0, wheel_seconds=round(seconds, 1))
    if status == 0:
        (wheel,) = glob.glob(os.path.join(wheels, "*.whl"))
        names = zipfile.ZipFile(wheel).namelist()
        result["wheel"] = os.path.basename(wheel)
        result["wheel_missing"] = [m for m in p.modules if not any(
            n.startswith(m.replace(".", "/") + ".") and n.endswith((".so", ".pyd")) for n in names)]
    return result


def plugin_text(r: dict | None) -> str:
    if not r:
        return "-"
    if not r.get("editable_ok"):
        return "pip install -e failed"
    words = ["-e ok" if r.get("editable_imports_ok") else "-e: import failed"]
    if "edit_ran" in r:
        words.append(f"edit of {r['edited']}: {r['edit_ran']} of {r['edit_should_run']} steps ran")
    words.append("wheel ok" if r.get("wheel_ok") and not r.get("wheel_missing") else
                 f"wheel lacks {r.get('wheel_missing')}" if r.get("wheel_ok") else "pip wheel failed")
    return "; ".join(words)


def compare_commands(p: Project, work: str, results: list[dict]) -> dict | None:
    """Every compile and link command of the two builds, setuptools' against ninja's (tests/argv_compare.py)."""
    roots = {r["mode"]: r.get("root") for r in results if r["project"] == p.name and r.get("build_ok")}
    logs = {mode: os.path.join(work, "logs", f"{p.name}-{mode}-commands.json") for mode in MODES}
    if not all(roots.get(m) and os.path.exists(logs[m]) for m in MODES):
        return None
    theirs = argv_compare.setuptools_commands(argv_compare.read_spawn_log(logs["setuptools"]), roots["setuptools"])
    with open(logs["ninjagen"], encoding="utf-8") as f:
        ours = argv_compare.ninja_commands(json.load(f), roots["ninjagen"])
    outcome = argv_compare.compare(theirs, ours)
    report = os.path.join(work, "logs", f"{p.name}-argv.txt")
    with open(report, "w", encoding="utf-8") as f:
        f.write("Rewritten before comparing:\n" + "".join(f"- {r}\n" for r in argv_compare.REWRITES) + "\n")
        f.write(f"{outcome['compiles']} compiles, {outcome['links']} links and archives: "
                + ("identical\n" if outcome["identical"] else "\n" + "\n".join(outcome["differences"]) + "\n"))
    return {"project": p.name, "version": p.version, "mode": "argv", "log": report,
            **{k: outcome[k] for k in ("compiles", "links", "identical")},
            "differences": len(outcome["differences"])}


def argv_text(r: dict | None) -> str:
    if not r:
        return "-"
    what = f"{r['compiles']} compiles, {r['links']} links"
    return f"identical ({what})" if r["identical"] else f"{r['differences']} differ ({what})"


def counts_text(r: dict) -> str:
    if not r.get("build_ok"):
        return "build failed"
    if not r.get("imports_ok"):
        return "import failed"
    t = r.get("tests", {})
    text = f"{t.get('passed', 0)} passed"
    for key in ("failed", "error", "skipped", "xfailed"):
        if t.get(key):
            text += f", {t[key]} {key}"
    return text


def table(results: list[dict]) -> str:
    by = {(r["project"], r["mode"]): r for r in results}
    rows = ["| project | tests under setuptools | tests under ninjagen | setuptools build (s) | ninjagen build (s) | ratio "
            "| compile and link argv | plugin (pip install -e, pip wheel) |",
            "| --- | --- | --- | ---: | ---: | ---: | --- | --- |"]
    for p in PROJECTS:
        s, n = by.get((p.name, "setuptools")), by.get((p.name, "ninjagen"))
        if not s or not n:
            continue
        ratio = f"{s['build_seconds'] / n['build_seconds']:.1f}x" if s.get("build_ok") and n.get("build_ok") else "-"
        rows.append(f"| {p.name}=={p.version} | {counts_text(s)} | {counts_text(n)} | {s['build_seconds']:.1f} | "
                    f"{n['build_seconds']:.1f} | {ratio} | {argv_text(by.get((p.name, 'argv')))} | "
                    f"{plugin_text(by.get((p.name, 'plugin')))} |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", default="/tmp/realworld", help="work folder, outside the repository")
    parser.add_argument("--python", default=sys.executable, help="the Python to create the venv with")
    parser.add_argument("--only", default="", help="comma-separated project names")
    parser.add_argument("--modes", default=",".join(MODES),
                        help="setuptools,ninjagen (default both), and plugin: pip install -e / pip wheel through it")
    parser.add_argument("--no-tests", action="store_true",
                        help="build (and compare the commands) only; keep the test counts of earlier runs")
    args = parser.parse_args(argv)
    modes = [m for m in args.modes.split(",") if m]
    unknown = sorted(set(modes) - set(MODES) - set(EXTRA_MODES))
    if unknown:
        parser.error(f"unknown mode {unknown[0]!r}: choose from {', '.join(MODES + EXTRA_MODES)}")
    work = os.path.abspath(args.work)
    if os.path.commonpath([work, REPO]) == REPO:
        parser.error("the work folder must be outside the repository")
    os.makedirs(work, exist_ok=True)
    apt_ready()
    bin_dir = venv_ready(work, args.python)
    wheelhouse = ninjagen_wheelhouse(work, bin_dir) if "plugin" in modes else ""
    only = {n.strip() for n in args.only.split(",") if n.strip()}
    results_path = os.path.join(work, "results.json")
    try:
        with open(results_path, encoding="utf-8") as f:
            results = json.load(f)
    except (OSError, ValueError):
        results = []

    def keep(r: dict) -> None:
        nonlocal results
        old = next((x for x in results if (x["project"], x["mode"]) == (r["project"], r["mode"])), {})
        if args.no_tests and r["mode"] in MODES:  # the counts of the last run with tests stay
            r = {**{k: v for k, v in old.items() if k in ("imports_ok", "import_error", "tests", "test_seconds",
                                                           "pytest_status")}, **r}
        results = [x for x in results if (x["project"], x["mode"]) != (r["project"], r["mode"])] + [r]
        with open(results_path, "w", encoding="utf-8") as f:
            json.dump(results, f, indent=1)

    for p in PROJECTS:
        if only and p.name not in only:
            continue
        tarball = sdist(work, bin_dir, p)
        for mode in modes:
            if mode == "plugin":
                r = plugin_install(p, tarball, work, bin_dir, wheelhouse)
                print(f"{p.name}=={p.version} [plugin]: {plugin_text(r)}", flush=True)
                keep(r)
                continue
            r = build_and_test(p, mode, tarball, work, bin_dir, run_tests=not args.no_tests)
            print(f"{p.name}=={p.version} [{mode}]: build {r['build_seconds']:.1f}s"
                  + ("" if args.no_tests else f", {counts_text(r)}"), flush=True)
            keep(r)
        compared = compare_commands(p, work, results)
        if compared:
            print(f"{p.name}=={p.version} [argv]: {argv_text(compared)}", flush=True)
            keep(compared)
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
