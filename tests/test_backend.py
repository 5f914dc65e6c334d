"""ninjagen.backend driven by the real frontends, with build isolation on, on the bundled samples.

pip, build and uv each make an isolated build environment and install ninjagen
into it from a wheel of this checkout (``--find-links``; its dependencies come
from the index).  Every wheel is installed into a fresh venv and its modules
are imported and called from another folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import copy_sources

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
pytestmark = pytest.mark.slow  # builds wheels through isolated build environments

CALLS = {
    "hello": "import hello; assert hello.add(2, 3) == 5; assert hello.greet('w') == 'Hello, w!'",
    "cxx": "import cxxdemo; assert cxxdemo.sorted_unique([3, 1, 3]) == [1, 3]",
    "multi": "import shapes; from shapes import _area, _perimeter; assert shapes.geom_version() == 3",
    "shared": "from counter import _bump, _read; _bump.bump(41); assert _read.read() == 41",
    "abi3": "import limited; assert limited.is_limited() is True",
}
TAG = f"cp{sys.version_info[0]}{sys.version_info[1]}-cp{sys.version_info[0]}{sys.version_info[1]}-linux_x86_64"


def tool(name: str) -> str:
    """A test tool installed with the test extras (beside this Python, or on PATH)."""
    path = shutil.which(name, path=os.path.dirname(sys.executable)) or shutil.which(name)
    assert path, f"{name} is not installed: pip install -e '.[test]'"
    return path


def run(args, cwd, env=None, check=True) -> subprocess.CompletedProcess:
    proc = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, **(env or {})})
    if check and proc.returncode != 0:
        raise AssertionError(f"{' '.join(map(str, args))} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc


@pytest.fixture(scope="module")
def find_links(ninjagen_wheel) -> str:
    return str(ninjagen_wheel.parent)


def pip_wheel(project: Path, dist: Path, find_links: str, *settings: str, env=None) -> Path:
    args = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--find-links", find_links, "-w", dist, project]
    for setting in settings:
        args += ["-C", setting]
    run(args, project.parent, env)
    (wheel,) = list(dist.glob("*.whl"))
    return wheel


def installed_venv(tmp_path: Path, wheel: Path) -> Path:
    venv = tmp_path / f"venv-{wheel.stem[:20]}"
    run([sys.executable, "-m", "venv", "--without-pip", venv], tmp_path)
    python = venv / "bin" / "python"
    run([sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps", wheel], tmp_path)
    return python


def runs_elsewhere(tmp_path: Path, python: Path, code: str) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(exist_ok=True)
    run([python, "-c", code + "\nprint('ok')"], elsewhere)


def ninja_steps(project: Path, logs: str = "build/*/.ninja_log") -> int:
    """Compiles, archives and links ninja has run (not regenerations), from the build folders' logs."""
    return sum(1 for log in project.glob(logs) for line in log.read_text().splitlines()
               if not line.startswith("#") and line.split("\t")[3].endswith((".o", ".a", ".so")))


@pytest.mark.parametrize("name", sorted(CALLS))
def test_pip_wheel_of_each_sample_installs_and_runs_from_another_folder(name, tmp_path, find_links):
    project = copy_sources(SAMPLES / name, tmp_path / name)
    wheel = pip_wheel(project, tmp_path / "dist", find_links)
    assert wheel.name.endswith(("-cp39-abi3-linux_x86_64.whl" if name == "abi3" else f"-{TAG}.whl"))
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
    assert not [n for n in names if n.endswith((".c", ".cpp", ".h", ".o", ".pyc")) or n.startswith("build/")], names
    run([tool("check-wheel-contents"), wheel], tmp_path)
    runs_elsewhere(tmp_path, installed_venv(tmp_path, wheel), CALLS[name])


def test_a_second_pip_wheel_compiles_nothing_and_an_edit_recompiles_one_object(tmp_path, find_links):
    project = copy_sources(SAMPLES / "multi", tmp_path / "multi")
    pip_wheel(project, tmp_path / "one", find_links)
    first = ninja_steps(project)
    assert first == 6  # the library, its archive, two objects, two modules
    pip_wheel(project, tmp_path / "two", find_links)
    assert ninja_steps(project) == first
    with open(project / "src" / "shapes" / "_area.c", "a") as f:
        f.write("\n/* edited */\n")
    pip_wheel(project, tmp_path / "three", find_links)
    assert ninja_steps(project) == first + 2  # _area.o and its module, nothing else


def test_two_folders_give_byte_identical_wheels(tmp_path, find_links):
    env = {"SOURCE_DATE_EPOCH": "1700000000"}
    digests = set()
    for folder in ("first", "second/deeper"):
        project = copy_sources(SAMPLES / "shared", tmp_path / folder / "shared")
        wheel = pip_wheel(project, tmp_path / folder / "dist", find_links, env=env)
        digests.add(hashlib.sha256(wheel.read_bytes()).hexdigest())
    assert len(digests) == 1


def test_auditwheel_finds_the_wheels_manylinux_and_abi3audit_the_abi3_one(tmp_path, find_links):
    """auditwheel on modules that need libc (the abi3 sample's needs nothing at all, which auditwheel
    cannot judge: "couldn't detect libc"), abi3audit on the abi3 one."""
    for name in ("shared", "multi"):
        project = copy_sources(SAMPLES / name, tmp_path / name)
        wheel = pip_wheel(project, tmp_path / f"dist-{name}", find_links)
        shown = run([tool("auditwheel"), "show", wheel], tmp_path).stdout
        assert "manylinux_" in shown, shown
        run([tool("auditwheel"), "repair", "-w", tmp_path / "repaired", wheel], tmp_path,
            env={"PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"]})
        (repaired,) = (tmp_path / "repaired").glob(f"{wheel.name.split('-')[0]}-*manylinux*.whl")
        runs_elsewhere(tmp_path, installed_venv(tmp_path, repaired), CALLS[name])
    project = copy_sources(SAMPLES / "abi3", tmp_path / "abi3")
    wheel = pip_wheel(project, tmp_path / "dist-abi3", find_links)
    report = json.loads(run([tool("abi3audit"), "--strict", "--report", wheel], tmp_path).stdout)
    (module,) = report["specs"][str(wheel)]["wheel"]
    assert module["result"]["is_abi3"] and module["result"]["is_abi3_baseline_compatible"], module
    assert module["result"]["baseline"] == "3.9" and not module["result"]["non_abi3_symbols"], module


def test_build_settings_reach_the_build(tmp_path, find_links):
    project = copy_sources(SAMPLES / "hello", tmp_path / "hello")
    proc = run([sys.executable, "-m", "pip", "wheel", "-v", "--no-deps", "--find-links", find_links, "-w",
                tmp_path / "dist", "-C", "build-dir=out/b", "-C", "jobs=1", "-C", "verbose=true", project], tmp_path)
    assert (project / "out" / "b" / "build.ninja").is_file()
    assert "-MMD -MF" in proc.stdout + proc.stderr  # ninja -v: the full compile command in the log
    # the build's summary line in the backend's log, with the jobs it was given
    assert re.search(r"^\s*ninjagen: 1 compile, 1 link in [\d.]+ s; [\d.]+ of 1 jobs busy", proc.stdout + proc.stderr, re.M)
    proc = run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--find-links", find_links, "-w", tmp_path / "d2",
                "-C", "jbos=2", project], tmp_path, check=False)
    assert proc.returncode != 0
    assert "ninjagen: error: unknown config-setting 'jbos' (did you mean 'jobs'?)" in proc.stdout + proc.stderr


@pytest.mark.wine
def test_a_windows_wheel_built_here_is_imported_by_the_windows_python(tmp_path, find_links):
    from test_windows import _read_env, _wine_python

    tools = _read_env()
    if tools is None:
        pytest.skip("Windows tools not set up: run tests/wintools/setup.sh")
    project = copy_sources(SAMPLES / "multi", tmp_path / "multi")
    env = {"PATH": f"{tools['NINJAGEN_WINTOOLS_BIN']}{os.pathsep}{os.environ['PATH']}"}
    wheel = pip_wheel(project, tmp_path / "dist", find_links, f"python={tools['NINJAGEN_WINPY']}",
                      "compiler=mingw32", env=env)
    assert wheel.name.endswith("-cp312-cp312-win_amd64.whl"), wheel.name
    unpacked = tmp_path / "site"
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(unpacked)
    assert list((unpacked / "shapes").glob("_area.cp312-win_amd64.pyd"))
    (tmp_path / "check.py").write_text(f"import sys\nsys.path.insert(0, {str(unpacked)!r})\n{CALLS['multi']}\nprint('ok')\n")
    assert _wine_python(tmp_path, tools, "check.py").strip().splitlines()[-1] == "ok"


def _names(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as zf:
        return sorted(zf.namelist())


@pytest.mark.parametrize("name", sorted(CALLS))
def test_python_m_build_makes_an_sdist_and_from_it_the_same_wheel(name, tmp_path, find_links):
    project = copy_sources(SAMPLES / name, tmp_path / name)
    direct = pip_wheel(project, tmp_path / "direct", find_links)
    run([sys.executable, "-m", "build", "--outdir", tmp_path / "dist", project], tmp_path,
        env={"PIP_FIND_LINKS": find_links})
    (sdist,) = (tmp_path / "dist").glob("*.tar.gz")
    (wheel,) = (tmp_path / "dist").glob("*.whl")
    assert sdist.name == f"ninjagen_sample_{name}-0.1.0.tar.gz"
    assert _names(wheel) == _names(direct)  # built from the sdist, it holds what a build from the tree holds
    runs_elsewhere(tmp_path, installed_venv(tmp_path, wheel), CALLS[name])


@pytest.mark.parametrize("name", sorted(CALLS))
def test_uv_build_makes_the_sdist_and_the_wheel(name, tmp_path, find_links):
    project = copy_sources(SAMPLES / name, tmp_path / name)
    run([tool("uv"), "build", "--find-links", find_links, "--out-dir", tmp_path / "dist", project], tmp_path,
        env={"UV_NO_CONFIG": "1"})
    (wheel,) = (tmp_path / "dist").glob("*.whl")
    assert list((tmp_path / "dist").glob("*.tar.gz"))
    runs_elsewhere(tmp_path, installed_venv(tmp_path, wheel), CALLS[name])


def test_setuptools_with_the_plugin_builds_the_declared_extensions_into_its_wheel(tmp_path, find_links):
    """setuptools as the backend, [tool.ninjagen] ext-modules and setuptools-build-ext = true: the wheel has
    the modules (built by ninja through setuptools' build_ext) and a platform tag; without the opt-in, an error."""
    project = copy_sources(SAMPLES / "multi", tmp_path / "multi")
    text = (project / "pyproject.toml").read_text()
    text = text.replace('requires = ["ninjagen"]\nbuild-backend = "ninjagen.backend"',
                        'requires = ["setuptools>=64", "ninjagen"]\nbuild-backend = "setuptools.build_meta"')
    (project / "pyproject.toml").write_text(text.replace("[tool.ninjagen]\n", "[tool.ninjagen]\nsetuptools-build-ext = true\n", 1))
    wheel = pip_wheel(project, tmp_path / "dist", find_links)
    assert wheel.name.endswith(f"-{TAG}.whl"), wheel.name
    assert [n for n in _names(wheel) if n.startswith("shapes/_area.") and n.endswith(".so")]
    runs_elsewhere(tmp_path, installed_venv(tmp_path, wheel), CALLS["multi"])

    (project / "pyproject.toml").write_text(text)  # setuptools, declared extensions, no opt-in
    proc = run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--find-links", find_links, "-w",
                tmp_path / "none", project], tmp_path, check=False)
    assert proc.returncode != 0 and not list((tmp_path / "none").glob("*.whl"))
    assert ("ninjagen: error: pyproject.toml declares [tool.ninjagen] ext-modules, but setuptools builds this "
            "project and does not read them") in proc.stdout + proc.stderr


@pytest.mark.parametrize("installer", ["pip", "uv"])
def test_an_editable_install_rebuilds_on_import_after_its_build_environment_is_gone(installer, tmp_path, find_links):
    """With isolation (pip's default; uv always), the build environment is deleted once the wheel is
    built; the installed loader then rebuilds an edited module on import, once, visibly."""
    project = copy_sources(SAMPLES / "hello", tmp_path / "hello")
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", venv], tmp_path)
    python = venv / "bin" / "python"
    if installer == "pip":
        install = [sys.executable, "-m", "pip", "--python", python, "install", "--find-links", find_links, "-e", project]
    else:
        install = [tool("uv"), "pip", "install", "--python", python, "--find-links", find_links, "-e", project]
    run(install, tmp_path, env={"UV_NO_CONFIG": "1"})
    built = ninja_steps(project, "build/.ninja_log")
    assert built == 2  # hello.o and the module, in place
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    call = [python, "-c", "import hello; print(hello.greet('w'))"]
    quiet = run(call, elsewhere)
    assert (quiet.stdout, quiet.stderr) == ("Hello, w!\n", "")  # nothing changed: silent
    source = project / "hello.c"
    source.write_text(source.read_text().replace('"Hello, %s!"', '"Howdy, %s!"'))
    rebuilt = run(call, elsewhere)
    assert rebuilt.stdout == "Howdy, w!\n"
    assert "CC " in rebuilt.stderr and "LINK " in rebuilt.stderr, rebuilt.stderr
    assert ninja_steps(project, "build/.ninja_log") == built + 2  # one object, one module
    assert run(call, elsewhere).stderr == ""
    run(install, tmp_path, env={"UV_NO_CONFIG": "1"})  # again: nothing to compile
    assert ninja_steps(project, "build/.ninja_log") == built + 2
    off = run([python, "-c", "import hello; print(hello.greet('w'))"], elsewhere, env={"NINJAGEN_NO_REBUILD": "1"})
    assert off.stderr == ""


def test_a_build_dependencys_headers_in_the_isolated_environment_do_not_rebuild_everything(tmp_path, find_links):
    """A setup.py that adds a build requirement's include folder (as pybind11, numpy, cppy do), through
    setuptools and the plugin, pip install -e with isolation twice: the second compiles nothing."""
    helper = tmp_path / "hdrpkg"
    (helper / "hdrpkg" / "include").mkdir(parents=True)
    (helper / "hdrpkg" / "include" / "answer.h").write_text("#define ANSWER 42\n")
    (helper / "hdrpkg" / "__init__.py").write_text(
        "import os\ndef get_include():\n    return os.path.join(os.path.dirname(__file__), 'include')\n")
    (helper / "pyproject.toml").write_text('[build-system]\nrequires = ["setuptools>=64"]\nbuild-backend = '
                                           '"setuptools.build_meta"\n[project]\nname = "hdrpkg"\nversion = "1.0"\n'
                                           '[tool.setuptools.package-data]\nhdrpkg = ["include/*.h"]\n')
    run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", find_links, helper],
        tmp_path)
    project = copy_sources(SAMPLES / "hello", tmp_path / "hello")
    source = project / "hello.c"
    source.write_text('#include "answer.h"\n' + source.read_text().replace("return PyLong_FromLong(a + b)",
                                                                           "return PyLong_FromLong(a + b + ANSWER - 42)"))
    (project / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["setuptools>=64", "ninjagen", "hdrpkg"]\nbuild-backend = "setuptools.build_meta"\n'
        '[tool.ninjagen]\nsetuptools-build-ext = true\n')
    (project / "setup.py").write_text("import hdrpkg\nfrom setuptools import Extension, setup\n"
                                      "setup(name='hdr-hello', version='0.1', ext_modules=[Extension('hello', "
                                      "['hello.c'], include_dirs=[hdrpkg.get_include()])])\n")
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", venv], tmp_path)
    install = [sys.executable, "-m", "pip", "--python", venv / "bin" / "python", "install", "-v",
               "--find-links", find_links, "-e", project]
    first = run(install, tmp_path)
    assert "ninjagen: note: copied the build environment's hdrpkg/include" in first.stdout + first.stderr
    second = run(install, tmp_path)
    second = second.stdout + second.stderr
    assert "ninja: no work to do." in second and "] CC " not in second, second[-3000:]
    runs_elsewhere(tmp_path, venv / "bin" / "python", CALLS["hello"])
