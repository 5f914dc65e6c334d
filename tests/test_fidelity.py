"""For the same Extension, ninjagen's commands carry the flags setuptools passes, in the same order.

setuptools' build_ext runs for real, with its compiler's ``spawn`` intercepted so
that the commands are recorded instead of run; ninjagen's come from
compile_commands.json (what ninja itself expands) and the link statement.  The
differences allowed are ninjagen's own additions (depfile and colour options)
and where objects live.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import textwrap

import pytest

from conftest import write

import ninjagen
from ninjagen.cli import main
from ninjagen.compilers.unix import response_file_content
from ninjagen.configure import configure

setuptools = pytest.importorskip("setuptools")
from setuptools import Distribution  # noqa: E402
from setuptools._distutils import ccompiler  # noqa: E402

FIELDS = dict(
    include_dirs=["inc"], define_macros=[("A", "1"), ("B", None), ("QUOTED", '"x y"')], undef_macros=["C"],
    library_dirs=["libs"], libraries=["m"], runtime_library_dirs=["/opt/run"],
    extra_compile_args=["-O1", "-Wno-unused"], extra_link_args=["-Wl,--as-needed"],
)


def _record_spawns(monkeypatch) -> list[list[str]]:
    """setuptools' compilers record what they would run instead of running it: ``spawn``, and ``call``
    (setuptools >= 80 runs its commands through ``Compiler.call``; ``spawn`` is its deprecated wrapper)."""
    recorded: list[list[str]] = []
    for method in ("spawn", "call"):
        if hasattr(ccompiler.CCompiler, method):
            monkeypatch.setattr(ccompiler.CCompiler, method, lambda self, cmd, **kw: recorded.append(list(cmd)))
    return recorded


def _setuptools_commands(project, monkeypatch) -> list[list[str]]:
    recorded = _record_spawns(monkeypatch)
    monkeypatch.chdir(project)
    for name in ("CC", "CXX", "CFLAGS", "CPPFLAGS", "LDFLAGS", "LDSHARED", "AR", "ARFLAGS"):
        monkeypatch.delenv(name, raising=False)
    dist = Distribution({"name": "fid", "ext_modules": [setuptools.Extension("fid", ["fid.c", "sub/other.c"], **FIELDS)]})
    cmd = dist.get_command_obj("build_ext")
    cmd.inplace = False  # nothing is really built, so there is nothing to copy back
    cmd.force = True
    cmd.ensure_finalized()
    cmd.run()
    return recorded


def _normalize(argv: list[str]) -> list[str]:
    """Objects and modules named by their file names; ninjagen's own -MMD/-MF/colour options left out.

    A run path is spelled as ninjagen (and setuptools < 72) spell it: later setuptools
    writes ``-Wl,--enable-new-dtags -Wl,-rpath,D`` for ``-Wl,--enable-new-dtags,-RD``.
    A virtual environment's include folder that holds no file is left out: setuptools
    names it, ninjagen does not (it would tie every command to the environment).
    """
    out, skip = [], 0
    argv = list(argv)
    for i in range(len(argv) - 1):
        if argv[i] == "-Wl,--enable-new-dtags" and argv[i + 1].startswith("-Wl,-rpath,"):
            argv[i:i + 2] = ["-Wl,--enable-new-dtags,-R" + argv[i + 1][len("-Wl,-rpath,"):], ""]
    argv = [w for w in argv if not (w.startswith("-I") and os.path.isdir(w[2:])
                                    and not any(files for _, _, files in os.walk(w[2:])))]
    for word in filter(None, argv):
        if skip:
            skip -= 1
            continue
        if word == "-MMD":
            continue
        if word == "-MF":
            skip = 1
            continue
        if word == "-fdiagnostics-color=always":
            continue
        # objects by their names, less ninjagen's tag of the compile settings (a.1a2b3c.o)
        out.append(re.sub(r"\.[0-9a-f]{6}\.o$", ".o", os.path.basename(word)) if word.endswith((".o", ".so")) else word)
    return out


def test_compile_and_link_commands_match_setuptools(tmp_path, monkeypatch):
    project = tmp_path / "p"
    write(project / "fid.c", "int fid;\n")
    write(project / "sub" / "other.c", "int other;\n")
    theirs = _setuptools_commands(project, monkeypatch)
    compiles = [c for c in theirs if "-c" in c]
    (link,) = [c for c in theirs if "-c" not in c]
    assert len(compiles) == 2

    result = configure(str(project), extensions=[ninjagen.Extension("fid", ["fid.c", "sub/other.c"], **FIELDS)],
                       environ={})
    ours = {os.path.basename(e["file"]): shlex.split(e["command"])
            for e in json.loads((project / "compile_commands.json").read_text())}
    for theirs_compile in compiles:
        source = os.path.basename(theirs_compile[theirs_compile.index("-c") + 1])
        assert _normalize(ours[source]) == _normalize(theirs_compile), source

    graph = result.compiler.graph
    (edge,) = [e for e in graph.edges.values() if e.rule == "link_so"]
    v = dict(edge.variables)
    ours_link = (result.compiler.command("linker_so") + shlex.split(v.get("args", ""))
                 + shlex.split(response_file_content(edge))
                 + ["-o", edge.outputs[0]] + shlex.split(v.get("post_args", "")))
    assert _normalize(ours_link) == _normalize(link)


def _setup_py_commands(project, monkeypatch, argv) -> list[list[str]]:
    """What `setup.py ARGV` spawns, with setuptools' compilers recording instead of running."""
    import runpy
    import sys

    recorded = _record_spawns(monkeypatch)
    monkeypatch.chdir(project)
    monkeypatch.setattr(sys, "argv", ["setup.py", *argv])
    for name in ("CC", "CXX", "CFLAGS", "CPPFLAGS", "LDFLAGS", "LDSHARED", "AR", "ARFLAGS"):
        monkeypatch.delenv(name, raising=False)
    try:
        runpy.run_path(str(project / "setup.py"), run_name="__main__")
    except SystemExit as exc:
        assert not exc.code, exc.code
    return recorded


def test_a_custom_build_ext_gets_the_commands_setuptools_would_spawn(tmp_path, monkeypatch):
    """Through the recorded build_ext, compile and link argv equal setuptools' (but for ninjagen's own options)."""
    project = tmp_path / "p"
    write(project / "fid.c", "int fid;\n")
    write(project / "lib" / "base.c", "int base;\n")
    write(project / "inc" / "x.h", "\n")
    write(project / "setup.py", textwrap.dedent("""\
        from setuptools import setup, Extension
        from setuptools.command.build_ext import build_ext
        class Own(build_ext):
            def build_extensions(self):
                self.compiler.compiler_so = [w for w in self.compiler.compiler_so if w != "-Wall"] + ["-DOWN=1"]
                self.compiler.add_include_dir("inc")
                super().build_extensions()
        setup(name="fid", cmdclass={"build_ext": Own}, include_dirs=["inc"],
              libraries=[("base", {"sources": ["lib/base.c"], "macros": [("BASE", "2")]})],
              ext_modules=[Extension("fid", ["fid.c"], define_macros=[("N", 3)], libraries=["m"])])
        """))
    theirs = _setup_py_commands(project, monkeypatch, ["build_clib", "build_ext", "--force"])
    assert main(["configure", "-C", str(project)]) == 0
    ours = {os.path.basename(e["file"]): shlex.split(e["command"])
            for e in json.loads((project / "compile_commands.json").read_text())}
    compiles = [c for c in theirs if "-c" in c]
    assert len(compiles) == 2
    for theirs_compile in compiles:
        source = os.path.basename(theirs_compile[theirs_compile.index("-c") + 1])
        assert _normalize(ours[source]) == _normalize(theirs_compile), source
    (theirs_link,) = [c for c in theirs if c[-1].endswith(".so") or ("-o" in c and c[c.index("-o") + 1].endswith(".so"))]
    # the link as ninja runs it: its command with the response file put in place of @file
    import subprocess

    from ninjagen.runner import ninja_binary

    entries = json.loads(subprocess.run([ninja_binary(), "-t", "compdb", "-x", "link_so"], cwd=project,
                                        capture_output=True, text=True, check=True).stdout)
    (ours_link,) = [shlex.split(e["command"]) for e in entries if e["output"].startswith("fid.")]
    assert _normalize(_without_dirs(ours_link)) == _normalize(_without_dirs(theirs_link))


def _without_dirs(argv: list[str]) -> list[str]:
    """Library folders of build_clib's archive and objects are where each tool keeps them: compared by name."""
    return [w for w in argv if not (w.startswith("-Lbuild/") or w.startswith("-L") and "temp." in w)]


def test_a_cxx_extension_through_setup_py_runs_the_argv_setuptools_spawns(tmp_path, monkeypatch):
    """Every compile and link command of a C++ setup.py, as ninja runs it, equals what this setuptools spawns.

    setuptools before 72 compiles C++ with ``compiler_so`` and links with ``linker_so``
    whose driver becomes ``compiler_cxx``'s; later ones have ``*_cxx`` commands of
    their own: the replay follows the setuptools that recorded it, whichever is installed.
    """
    import subprocess

    from argv_compare import compare, ninja_commands, setuptools_commands
    from ninjagen.runner import ninja_binary

    project = tmp_path / "p"
    write(project / "pkg" / "__init__.py", "")
    write(project / "pkg" / "fast.cpp", "extern \"C\" int helper();\nint fast() { return helper(); }\n")
    write(project / "pkg" / "helper.c", "int helper(void) { return 1; }\n")
    write(project / "setup.py", textwrap.dedent("""\
        from setuptools import setup, Extension
        setup(name="fid", packages=["pkg"],
              ext_modules=[Extension("pkg.fast", ["pkg/fast.cpp", "pkg/helper.c"], language="c++",
                                     extra_compile_args=["-O1"], extra_link_args=["-Wl,--as-needed"])])
        """))
    spawned = _setup_py_commands(project, monkeypatch, ["build_ext", "--force"])
    theirs = setuptools_commands([{"argv": argv, "cwd": str(project)} for argv in spawned], str(project))
    assert main(["configure", "-C", str(project)]) == 0
    compdb = subprocess.run([ninja_binary(), "-t", "compdb", "-x", "cc", "cxx", "link_so", "link_so_cxx"],
                            cwd=project, capture_output=True, text=True, check=True).stdout
    outcome = compare(theirs, ninja_commands(json.loads(compdb), str(project)))
    assert (outcome["compiles"], outcome["links"]) == (2, 1)
    assert outcome["identical"], "\n".join(outcome["differences"])
