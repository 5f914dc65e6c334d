"""The shortcuts configure takes on ten thousand sources give what the long way gives.

A compile statement is made once a suffix and copied for the other sources of
that suffix (``by_suffix``); splitext's usual case is done inline; the five
toolchains are imported when asked for; a configure in its own process runs
without cyclic GC.  Each is checked against the general path it stands for.
"""

from __future__ import annotations

import gc
import itertools
import os
import subprocess
import sys
from dataclasses import replace

from ninjagen import Extension
from ninjagen.cli import main
from ninjagen.compilers import new_compiler
from ninjagen.compilers.base import _splitext
from ninjagen.compilers.unix import UnixCCompiler
from ninjagen.configure import configure
from ninjagen.graph import Edge

from conftest import write


def test_splitext_is_os_path_splitext_for_every_short_path():
    names = ["".join(chars) for n in range(7) for chars in itertools.product("a./", repeat=n)]
    names += ["src/pkg/fast.c", "src/.hidden.c", "dir.d/file", "a/..c", "x.tar.gz", "./x.c", "../x.cpp"]
    for name in names:
        assert _splitext(name) == os.path.splitext(name), name


def _edges(cc) -> dict[str, Edge]:
    return {out: e for out, e in cc.graph.edges.items() if e.rule in ("cc", "cxx")}


def test_copied_statements_are_those_compile_edge_makes_for_each_source():
    cc = new_compiler()
    sources = ["a/one.c", "a/two.cpp", "b//three.c", "./four.cxx", "b/five.C", "six.c"]
    objects = cc.compile(sources, output_dir="build/obj", include_dirs=["inc"], depends=["inc/x.h"],
                         extra_postargs=["-O1"])
    made = _edges(cc)
    assert len(made) == len(sources)
    pp = cc.preprocess_options(None, ["inc"])
    for src, obj in zip(sources, objects):
        lang = cc.detect_language(src) or "c"
        one = cc.compile_edge(os.path.normpath(src), obj, lang, pp, False, [], ["-O1"], ["inc/x.h"])
        assert made[os.path.normpath(obj)] == one, src


class _PerSourceFlags(UnixCCompiler):
    """A subclass whose statement depends on the source itself: its compile_edge runs for each one."""

    compiler_type = ""  # not registered

    def compile_edge(self, src, obj, lang, pp_opts, debug, extra_preargs, extra_postargs, implicit):
        edge = super().compile_edge(src, obj, lang, pp_opts, debug, extra_preargs, extra_postargs, implicit)
        return replace(edge, variables=(*edge.variables, ("post_args", f"-DFILE_{os.path.basename(src)[0]}")))


def test_a_subclass_compile_edge_runs_for_every_source():
    cc = _PerSourceFlags(target=new_compiler().target)
    cc.compile(["x.c", "y.c", "z.c"], output_dir="build/obj")
    flags = {out: dict(e.variables)["post_args"] for out, e in _edges(cc).items()}
    assert flags == {"build/obj/x.o": "-DFILE_x", "build/obj/y.o": "-DFILE_y", "build/obj/z.o": "-DFILE_z"}


def test_a_configure_of_mixed_suffixes_compiles_each_with_its_own_rule(tmp_path):
    sources = ["src/a.c", "src/b.cpp", "src/c.c", "src/d.cpp"]
    for src in sources:
        write(tmp_path / src, "int x;\n")
    result = configure(str(tmp_path), extensions=[Extension("m", sources)], environ={})
    rules = {e.inputs[0]: e.rule for e in _edges(result.compiler).values()}
    assert rules == {"src/a.c": "cc", "src/b.cpp": "cxx", "src/c.c": "cc", "src/d.cpp": "cxx"}


def test_configure_imports_only_the_toolchain_it_uses():
    code = ("import sys; from ninjagen.compilers import new_compiler; new_compiler(); "
            "print(sorted(m for m in sys.modules if m.startswith('ninjagen.compilers.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['ninjagen.compilers.base', 'ninjagen.compilers.unix']"
    code = ("from ninjagen.compilers import new_compiler, compiler_classes; "
            "print(new_compiler(compiler='mingw32').compiler_type, new_compiler(compiler='bcpp').compiler_type, "
            "sorted(compiler_classes()))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "mingw32 bcpp ['bcpp', 'cygwin', 'mingw32', 'msvc', 'unix']"


def test_configure_through_main_in_this_process_leaves_cyclic_gc_on(tmp_path, capsys):
    write(tmp_path / "pyproject.toml", '[tool.ninjagen]\next-modules = [{ name = "m", sources = ["m.c"] }]\n')
    write(tmp_path / "m.c", "int m;\n")
    assert gc.isenabled()
    assert main(["configure", "-C", str(tmp_path)]) == 0
    assert gc.isenabled()  # only a process that ends after configure (console_main) leaves it off
    assert "wrote" in capsys.readouterr().out
