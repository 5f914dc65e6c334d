"""Windows targets described and built for from another OS (issue 10).

mingw32 picks its cross tools itself: without a prefix the host's gcc would
compile against the Windows pyconfig.h and stop at ``io.h``; so the target's
architecture chooses ``x86_64-w64-mingw32-``, ``i686-w64-mingw32-`` or
``aarch64-w64-mingw32-`` when that gcc is on PATH, and configure stops with one
line naming it when it is not.  PATH here is a folder of our own, holding (or
not) an executable of the name looked for.

A free-threaded Windows CPython is recognised from its files (the ``t``
executable named, or ``pythonXYt.dll`` and no ``pythonXY.dll`` in the folder),
in a fake tree that holds just the files ninjagen reads.
"""

from __future__ import annotations

import dataclasses
import os
import shlex
from pathlib import Path

import pytest

from targets import LINUX, WINDOWS, WINDOWS_FREE_THREADED  # the golden files' fixed target descriptions
from ninjagen import Extension, Target, configure, customize_compiler, new_compiler
from ninjagen.cli import main
from ninjagen.compilers.unix import response_file_content
from ninjagen.errors import ConfigError
from ninjagen.quoting import msvc_split

cross = pytest.mark.skipif(os.name == "nt", reason="a Windows target runs here on Windows: no cross tools")

ARCHITECTURES = [  # (target platform, the prefix it gets, the Debian package the error names)
    ("win-amd64", "x86_64-w64-mingw32-", "gcc-mingw-w64-x86-64"),
    ("win32", "i686-w64-mingw32-", "gcc-mingw-w64-i686"),
    ("win-arm64", "aarch64-w64-mingw32-", None),
]


def path_with(folder: Path, *programs: str) -> str:
    """A PATH of *folder* alone, holding executables named *programs*."""
    folder.mkdir(exist_ok=True)
    for name in programs:
        exe = folder / name
        exe.write_text("#!/bin/sh\nexit 1\n")
        exe.chmod(0o755)
    return str(folder)


def mingw32(target, environ=None, cross_prefix=""):
    cc = new_compiler(compiler="mingw32", target=target)
    cc.cross_prefix = cross_prefix
    customize_compiler(cc, environ or {})
    return cc


@cross
@pytest.mark.parametrize("platform,prefix,package", ARCHITECTURES)
def test_the_target_architecture_chooses_the_prefix(tmp_path, monkeypatch, platform, prefix, package):
    monkeypatch.setenv("PATH", path_with(tmp_path / "bin", f"{prefix}gcc"))
    cc = mingw32(dataclasses.replace(WINDOWS, platform=platform))
    assert cc.cross_prefix == prefix
    assert cc.command("compiler_so")[0] == f"{prefix}gcc"
    assert cc.command("linker_so_cxx")[0] == f"{prefix}g++"
    assert cc.command("archiver")[0] == f"{prefix}ar" and cc.command("windres") == [f"{prefix}windres"]


@cross
@pytest.mark.parametrize("platform,prefix,package", ARCHITECTURES)
def test_a_missing_cross_gcc_is_named_with_its_package(tmp_path, monkeypatch, platform, prefix, package):
    others = [f"{p}gcc" for _, p, _ in ARCHITECTURES if p != prefix]
    monkeypatch.setenv("PATH", path_with(tmp_path / "bin", "gcc", *others))  # another architecture's is no use
    with pytest.raises(ConfigError) as err:
        mingw32(dataclasses.replace(WINDOWS, platform=platform))
    message = str(err.value)
    assert f"{prefix}gcc" in message and "--cross-prefix" in message
    assert (f"Debian: {package}" in message) if package else ("Debian" not in message)


@cross
def test_an_unknown_windows_platform_asks_for_a_prefix(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", path_with(tmp_path / "bin", *(f"{p}gcc" for _, p, _ in ARCHITECTURES)))
    with pytest.raises(ConfigError, match=r"target platform 'mingw_x86_64'; pass --cross-prefix$"):
        mingw32(dataclasses.replace(WINDOWS, platform="mingw_x86_64"))


@cross
def test_a_given_prefix_or_cc_is_taken_as_it_is(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", path_with(tmp_path / "bin"))  # nothing to find: nothing is looked for
    assert mingw32(WINDOWS, cross_prefix="my-").command("compiler_so")[0] == "my-gcc"
    cc = mingw32(WINDOWS, environ={"CC": "clang --target=x86_64-w64-windows-gnu"})
    assert cc.cross_prefix == "" and cc.command("compiler_so")[:2] == ["clang", "--target=x86_64-w64-windows-gnu"]


@cross
def test_a_target_for_this_os_keeps_the_host_gcc(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", path_with(tmp_path / "bin", "x86_64-w64-mingw32-gcc"))
    cc = mingw32(LINUX)
    assert LINUX.runs_here and not WINDOWS.runs_here
    assert cc.cross_prefix == "" and cc.command("compiler_so")[0] == "gcc"


def fake_windows_tree(folder: Path, version=(3, 12), files=("python.exe", "python312.dll")) -> Path:
    """The files of a Windows CPython that ninjagen reads: headers, libs/ and the named binaries (not PE)."""
    (folder / "include").mkdir(parents=True)
    (folder / "libs").mkdir()
    (folder / "include" / "pyconfig.h").write_text("/* Windows pyconfig.h */\n")
    (folder / "include" / "Python.h").write_text("#include <pyconfig.h>\n")
    (folder / "include" / "patchlevel.h").write_text(
        f"#define PY_MAJOR_VERSION {version[0]}\n#define PY_MINOR_VERSION {version[1]}\n")
    for name in files:
        (folder / name).write_bytes(b"not a PE file")
    return folder


@cross
def test_configure_without_the_cross_gcc_says_so_in_one_line(sample, tmp_path, monkeypatch, capsys):
    tree = fake_windows_tree(tmp_path / "winpy")
    monkeypatch.setenv("PATH", path_with(tmp_path / "bin", "gcc"))
    monkeypatch.delenv("CC", raising=False)
    project = sample("hello")
    assert main(["configure", "-C", str(project), "--compiler", "mingw32", "--python", str(tree)]) == 1
    err = capsys.readouterr().err
    assert err == ("ninjagen: error: x86_64-w64-mingw32-gcc (the MinGW-w64 cross compiler for win-amd64) was not "
                   "found on PATH; install it (Debian: gcc-mingw-w64-x86-64) or pass --cross-prefix\n")
    assert not (project / "build.ninja").exists()


def pe_file(machine: int) -> bytes:
    """The least of a PE file that _pe_machine reads: the MZ stub's pointer, the PE signature, the machine."""
    return b"MZ" + bytes(0x3A) + (0x40).to_bytes(4, "little") + b"PE\0\0" + machine.to_bytes(2, "little")


FREE_THREADED_EXES = ["python3t.exe", "python3.13t.exe", "python313t.exe", "PYTHON3.13T.EXE", "Python313T.exe"]


@pytest.mark.parametrize("exe", FREE_THREADED_EXES)
def test_naming_the_t_executable_makes_a_free_threaded_target(tmp_path, exe):
    tree = fake_windows_tree(tmp_path / "py313", (3, 13), ("python.exe", "python313.dll", "python313t.dll", exe))
    target = Target.from_path(str(tree / exe))
    assert target.free_threaded and target.config["Py_GIL_DISABLED"] == 1
    assert target.ext_suffix == ".cp313t-win_amd64.pyd"  # the files are no PE files: amd64, as by default
    assert target.python == str(tree / exe) and target.version == (3, 13) and target.runs_here == (os.name == "nt")


@pytest.mark.parametrize("python", ["", "python.exe", "python3.13.exe"])
def test_the_regular_build_beside_it_is_not_free_threaded(tmp_path, python):
    tree = fake_windows_tree(tmp_path / "py313", (3, 13), ("python.exe", "python3.13.exe", "python3.13t.exe",
                                                           "python313.dll", "python313t.dll"))
    target = Target.from_path(str(tree / python) if python else str(tree))
    assert not target.free_threaded and "Py_GIL_DISABLED" not in target.config
    assert target.ext_suffix == ".cp313-win_amd64.pyd"


@pytest.mark.parametrize("python", ["", "python.exe"])
def test_a_folder_with_only_the_t_dll_is_free_threaded(tmp_path, python):
    tree = fake_windows_tree(tmp_path / "py313", (3, 13), ("python.exe", "python313t.dll"))
    target = Target.from_path(str(tree / python) if python else str(tree))
    assert target.free_threaded and target.ext_suffix == ".cp313t-win_amd64.pyd"


def test_the_architecture_comes_from_the_free_threaded_dll(tmp_path):
    tree = fake_windows_tree(tmp_path / "py313", (3, 13), ())
    (tree / "python313t.dll").write_bytes(pe_file(0xAA64))
    target = Target.from_path(str(tree))
    assert target.platform == "win-arm64" and target.ext_suffix == ".cp313t-win_arm64.pyd"


def test_a_free_threaded_tree_links_its_t_library(tmp_path, capsys):
    tree = fake_windows_tree(tmp_path / "py313", (3, 13), ("python313t.dll",))
    (tmp_path / "m.c").write_text("")
    result = configure(str(tmp_path), python=str(tree), compiler="mingw32", cross_prefix="x86_64-w64-mingw32-",
                       extensions=[Extension("m", ["m.c"])], dry_run=True)
    edges = {e.rule: dict(e.variables) for e in result.compiler.graph.edges.values()}
    links = [e for e in result.compiler.graph.edges.values() if e.rule == "link_so"]
    assert shlex.split(edges["cc"]["args"])[0] == "-DPy_GIL_DISABLED=1"
    assert shlex.split(response_file_content(links[0]))[-1] == "-lpython313t"
    assert result.extensions[0].output == "m.cp313t-win_amd64.pyd"


def test_the_limited_api_stays_refused_for_a_free_threaded_tree(tmp_path, capsys):
    tree = fake_windows_tree(tmp_path / "py313", (3, 13), ("python313t.dll",))
    (tmp_path / "m.c").write_text("")
    with pytest.raises(ConfigError, match="py_limited_api is not available for a free-threaded Python"):
        configure(str(tmp_path), python=str(tree), compiler="msvc", dry_run=True,
                  extensions=[Extension("m", ["m.c"], py_limited_api="cp38")])


def test_every_compile_of_a_free_threaded_windows_target_defines_the_macro_once():
    cc = new_compiler(compiler="msvc", target=WINDOWS_FREE_THREADED)

    def defines(**kwargs):
        (obj,) = cc.compile(["m.c"], output_dir=f"obj{len(cc.graph.edges)}", **kwargs)
        words = msvc_split(dict(cc.graph.edges[obj].variables)["args"])
        return [w for w in words if "Py_GIL_DISABLED" in w]

    assert defines() == ["/DPy_GIL_DISABLED=1"]
    assert defines(macros=[("Py_GIL_DISABLED",)]) == ["/UPy_GIL_DISABLED"]  # the caller's word stands
    cc.define_macro("Py_GIL_DISABLED", "1")
    assert defines() == ["/DPy_GIL_DISABLED=1"]
    cc.preprocess("m.c", "m.i")
    assert "/DPy_GIL_DISABLED=1" in msvc_split(dict(cc.graph.edges["m.i"].variables)["args"])
    assert new_compiler(compiler="msvc", target=WINDOWS).preprocess_options(None, None) == []
