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
import shlex

import pytest

from conftest import write

import ninjagen
from ninjagen.configure import configure

setuptools = pytest.importorskip("setuptools")
from setuptools import Distribution  # noqa: E402
from setuptools._distutils import ccompiler  # noqa: E402

FIELDS = dict(
    include_dirs=["inc"], define_macros=[("A", "1"), ("B", None), ("QUOTED", '"x y"')], undef_macros=["C"],
    library_dirs=["libs"], libraries=["m"], runtime_library_dirs=["/opt/run"],
    extra_compile_args=["-O1", "-Wno-unused"], extra_link_args=["-Wl,--as-needed"],
)


def _setuptools_commands(project, monkeypatch) -> list[list[str]]:
    recorded: list[list[str]] = []
    monkeypatch.setattr(ccompiler.CCompiler, "spawn", lambda self, cmd, **kw: recorded.append(list(cmd)))
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
    """Objects and modules named by their file names; ninjagen's own -MMD/-MF/colour options left out."""
    out, skip = [], 0
    for word in argv:
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
        out.append(os.path.basename(word) if word.endswith((".o", ".so")) else word)
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
    ours_link = (result.compiler.command("linker_so") + shlex.split(v.get("args", "")) + shlex.split(v["rsp_args"])
                 + ["-o", edge.outputs[0]] + shlex.split(v.get("post_args", "")))
    assert _normalize(ours_link) == _normalize(link)
