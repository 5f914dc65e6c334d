"""`ninjagen build`: optional extensions, failures, one graph for shared sources, clean."""

from __future__ import annotations

from cmodule import c_module
from conftest import configure, ninja, run_python, write

from ninjagen.cli import main

def good(name: str) -> str:
    return c_module(name, {"answer": "PyLong_FromLong(shared_answer())"}, prelude="int shared_answer(void);")


def _project(tmp_path, modules: dict[str, str], optional: set[str] = frozenset(), extra: str = ""):
    project = tmp_path / "proj"
    write(project / "common.c", "int shared_answer(void) { return SHARED_ANSWER; }\n")
    tables = []
    for name, body in modules.items():
        write(project / f"{name}.c", body)
        tables.append(f"""
[[tool.ninjagen.ext-modules]]
name = "{name}"
sources = ["{name}.c", "common.c"]
define-macros = [["SHARED_ANSWER", "42"]]
optional = {"true" if name in optional else "false"}
{extra}""")
    write(project / "pyproject.toml", "".join(tables))
    return project


def test_optional_extension_that_fails_is_skipped(tmp_path, capfd):
    project = _project(tmp_path, {"good": good("good"), "bad": "#error this one does not compile\n"}, optional={"bad"})
    assert main(["build", "-C", str(project)]) == 0
    err = capfd.readouterr().err
    assert "ninjagen: skipped optional extension bad: it failed to build" in err
    assert run_python(project, "import good; print(good.answer())").strip() == "42"


def test_required_extension_that_fails_fails_the_build(tmp_path, capfd):
    project = _project(tmp_path, {"good": good("good"), "bad": "#error this one does not compile\n"})
    assert main(["build", "-C", str(project)]) == 1
    captured = capfd.readouterr()
    assert captured.err.startswith("ninjagen: error: build failed (extensions not built: ")
    assert "bad" in captured.err and captured.err.count("\n") == 1
    assert "this one does not compile" in captured.out  # the compiler's own message, from ninja


def test_a_source_shared_with_the_same_flags_compiles_once(tmp_path):
    project = _project(tmp_path, {"one": good("one"), "two": good("two")})
    configure(project)
    text = (project / "build.ninja").read_text()
    assert text.count(": cc common.c") == 1
    ninja(project)
    assert run_python(project, "import one, two; print(one.answer() + two.answer())").strip() == "84"


def test_a_source_shared_with_different_flags_compiles_twice(tmp_path):
    project = _project(tmp_path, {"one": good("one"), "two": good("two")})
    pyproject = project / "pyproject.toml"
    text = pyproject.read_text()
    head, sep, tail = text.rpartition('[["SHARED_ANSWER", "42"]]')
    pyproject.write_text(head + '[["SHARED_ANSWER", "7"]]' + tail)
    configure(project)
    assert (project / "build.ninja").read_text().count(": cc common.c") == 2
    ninja(project)
    assert run_python(project, "import one, two; print(one.answer(), two.answer())").split() == ["42", "7"]


def test_build_configures_first_and_clean_removes_the_modules(sample):
    project = sample("hello")
    assert main(["build", "-C", str(project)]) == 0
    assert list(project.glob("hello.*.so"))
    assert main(["clean", "-C", str(project)]) == 0
    assert not list(project.glob("hello.*.so"))
    assert (project / "build.ninja").exists()


def test_build_of_one_named_extension(tmp_path):
    project = _project(tmp_path, {"one": good("one"), "two": good("two")})
    assert main(["build", "-C", str(project), "one"]) == 0
    assert list(project.glob("one.*.so")) and not list(project.glob("two.*.so"))


def test_a_changed_compiler_environment_reconfigures(sample, monkeypatch, capfd):
    project = sample("hello")
    assert main(["build", "-C", str(project)]) == 0
    monkeypatch.setenv("CFLAGS", "-DFROM_ENV=1")
    capfd.readouterr()
    assert main(["build", "-C", str(project)]) == 0
    captured = capfd.readouterr()
    assert "the compiler environment changed; reconfiguring" in captured.err
    assert "-DFROM_ENV=1" in (project / "build.ninja").read_text()
    assert "] CC " in captured.out
