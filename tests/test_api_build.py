"""The Python API builds for real: distutils-style calls -> build.ninja -> ninja -> import."""

from __future__ import annotations

import os

from cmodule import c_module
from conftest import ninja, planned, run_python, write

from ninjagen import Extension, StaticLibrary, configure, customize_compiler, new_compiler

MODULE = c_module("api_mod", prelude="int helper_twice(int);",
                  long_functions={"twice": "PyLong_FromLong(helper_twice((int)x))"})


def _sources(project):
    write(project / "api_mod.c", MODULE)
    write(project / "helper.c", "int helper_twice(int x) { return FACTOR * x; }\n")


def test_distutils_style_calls_write_a_build_that_ninja_runs(tmp_path, monkeypatch):
    project = tmp_path / "p"
    _sources(project)
    monkeypatch.chdir(project)
    cc = new_compiler()
    customize_compiler(cc)
    cc.define_macro("FACTOR", "2")
    helper_objs = cc.compile(["helper.c"], output_dir="build/helper")
    assert helper_objs == [os.path.join("build/helper", "helper.o")]
    cc.create_static_lib(helper_objs, "helper", output_dir="build/lib")
    objs = cc.compile(["api_mod.c"], output_dir="build/obj", include_dirs=list(cc.target.include_dirs))
    cc.link_shared_object(objs, "api_mod" + cc.target.ext_suffix, libraries=["helper"], library_dirs=["build/lib"])
    cc.write_ninja("build.ninja", build_dir="build")
    ninja(project)
    assert run_python(project, "import api_mod; print(api_mod.twice(21))").strip() == "42"
    assert planned(project) == []


def test_dry_run_compiler_writes_nothing_and_force_rebuilds(tmp_path, monkeypatch, capsys):
    project = tmp_path / "p"
    _sources(project)
    monkeypatch.chdir(project)

    def record(**flags):
        cc = new_compiler(**flags)
        customize_compiler(cc)
        objs = cc.compile(["api_mod.c", "helper.c"], output_dir="build", macros=[("FACTOR", "3")],
                          include_dirs=list(cc.target.include_dirs))
        cc.link_shared_object(objs, "api_mod" + cc.target.ext_suffix)
        cc.write_ninja("build.ninja", build_dir="build")

    record(dry_run=True)
    assert "dry run: would write build.ninja (3 build statements)" in capsys.readouterr().out
    assert not (project / "build.ninja").exists()
    record()
    ninja(project)
    assert planned(project) == []
    record(force=True)
    assert len(planned(project)) == 3
    ninja(project)
    assert run_python(project, "import api_mod; print(api_mod.twice(2))").strip() == "6"


def test_configure_with_extensions_from_a_script(tmp_path):
    project = tmp_path / "p"
    _sources(project)
    result = configure(str(project), libraries=[StaticLibrary("helper", ["helper.c"], define_macros=[("FACTOR", "5")])],
                       extensions=[Extension("api_mod", ["api_mod.c"], libraries=["helper"])])
    assert [e.name for e in result.extensions] == ["api_mod"]
    assert "rule regenerate" not in result.text  # nothing on disk describes these extensions
    ninja(project)
    assert run_python(project, "import api_mod; print(api_mod.twice(2))").strip() == "10"
