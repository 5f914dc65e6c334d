"""``ninjagen explain``: ninja's explain lines read, and said as root causes in plain words.

The table tests feed each ``ninja explain:`` wording of ninja 1.10 to 1.13 (from
their src/graph.cc and src/dyndep.cc; 1.10 and 1.11 also checked on their PyPI
binaries, 1.13 on the bundled one) through a small graph held in memory, and
expect exact sentences.  The real tests build samples/multi and samples/hello,
change one thing, and read what ``ninjagen explain`` prints.  Set
``NINJAGEN_TEST_NINJAS`` to more ninja binaries (separated by ``os.pathsep``) to
run the real tests with each of them too.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import time
from pathlib import Path

import pytest

from conftest import configure, touch

import ninjagen.runner as runner
from ninjagen.cli import build_parser, main
from ninjagen.explain import Fact, Graph, Node, describe, parse_explain, parse_query
from ninjagen.state import read_state

# ------------------------------------------------------------ reading ninja's lines

WORDINGS = [
    # every wording of 1.10-1.13, as ninja prints it
    ("output o/a.o doesn't exist", Fact("missing", "o/a.o")),
    ("output o/a.o older than most recent input src/a.c (1796131390950359524 vs 1796131391019842353)",
     Fact("older", "o/a.o", "src/a.c")),
    ("restat of output o/a.o older than most recent input src/a.c (17 vs 18)",  # 1.10, 1.11: a restat rule
     Fact("older", "o/a.o", "src/a.c")),
    ("recorded mtime of o/a.o older than most recent input src/a.c (17 vs 18)", Fact("recorded", "o/a.o", "src/a.c")),
    ("command line changed for o/a.o", Fact("command", "o/a.o")),
    ("command line not found in log for o/a.o", Fact("no_record", "o/a.o")),
    ("deps for 'o/a.o' are missing", Fact("no_deps", "o/a.o")),
    ("stored deps info out of date for 'o/a.o' (17 vs 18)", Fact("stale_deps", "o/a.o")),
    ("depfile 'o/a.o.d' is missing", Fact("no_depfile", "o/a.o.d")),
    ("expected depfile 'o/a.o.d' to mention 'o/a.o', got 'a.o'", Fact("depfile_names", "o/a.o", "o/a.o.d", "a.o")),
    ("output pyproject.toml of phony edge with no inputs doesn't exist", Fact("gone", "pyproject.toml")),
    ("include/s.h has no in-edge and is missing", Fact("gone", "include/s.h")),
    ("o/a.o is dirty", Fact("dirty", "o/a.o")),
    ("loading dyndep file 'o/a.dd'", Fact("dyndep", "o/a.dd")),
    ("a wording from a later ninja", Fact("other", "a wording from a later ninja")),
    # paths with spaces and with the words ninja uses
    ("output my dir/a b.o older than most recent input my dir/a b.c (1 vs 2)",
     Fact("older", "my dir/a b.o", "my dir/a b.c")),
    ("command line changed for x is dirty.o", Fact("command", "x is dirty.o")),
]


@pytest.mark.parametrize("text, fact", WORDINGS, ids=[w[1].kind + str(i) for i, w in enumerate(WORDINGS)])
def test_each_ninja_wording_is_read(text, fact):
    assert parse_explain(["ninja explain: " + text]) == [fact]


def test_lines_that_are_not_explanations_are_left_out():
    assert parse_explain(["[1/2] CC o/a.o", "ninja: warning: x", "ninja explain: o/a.o is dirty\n"]) == \
        [Fact("dirty", "o/a.o")]


def test_query_output_is_read():
    text = ("o/a.o:\n  input: cc\n    src/a.c\n    | include/s.h\n    || gen\n  validations:\n    check\n"
            "  outputs:\n    a.so\n    all\n  validation for:\n    other\n"
            "C:/x y/s.h:\n  outputs:\n    o/a.o\n")
    assert parse_query(text) == {"o/a.o": Node("cc", ("src/a.c",), ("a.so", "all"), ("include/s.h",), ("gen",)),
                                 "C:/x y/s.h": Node(None, (), ("o/a.o",))}


# ------------------------------------------------------------ saying it

def _graph(**kwargs) -> Graph:
    """Two modules (mod.a, mod.b) that both link a static library and include s.h; a regeneration step."""
    nodes = {
        "o/a.o": Node("cc", ("src/a.c",), ("a.so",)),
        "o/b.o": Node("cc", ("src/b.c",), ("b.so",)),
        "o/g.o": Node("cc", ("lib/g.c",), ("lib/libg.a",)),
        "lib/libg.a": Node("ar", ("o/g.o",), ("a.so", "b.so")),
        "a.so": Node("link_so", ("o/a.o",), ("mod.a", "all")),
        "b.so": Node("link_so", ("o/b.o",), ("mod.b", "all")),
        "mod.a": Node("phony", ("a.so",)), "mod.b": Node("phony", ("b.so",)), "all": Node("phony", ("a.so", "b.so")),
        "src/a.c": Node(None, (), ("o/a.o",)), "include/s.h": Node(None, (), ("o/a.o", "o/b.o")),
        "build.ninja": Node("regenerate"), "compile_commands.json": Node("regenerate"),
        "pyproject.toml": Node("phony", (), ("build.ninja", "compile_commands.json")),
    }
    files = kwargs.pop("files", ["o/a.o", "o/b.o", "o/g.o", "lib/libg.a", "a.so", "b.so", "src/a.c", "src/b.c",
                                 "lib/g.c", "include/s.h", "build.ninja", "pyproject.toml"])
    return Graph(nodes, files, **kwargs)


MODULES = {"a.so": "mod.a", "b.so": "mod.b"}
LINK_A = "1 compile, then the link of a.so"
NOTE = ("(ninja keeps only a hash of each step's last command, so which words changed is not known; "
        "the commands now: compile_commands.json, ninja -t commands)")
REGENERATES = "ninja writes build.ninja again first (ninjagen configure), then decides what to rebuild"


def _said(lines, graph=None, targets=None, planned=None):
    said = describe(parse_explain("ninja explain: " + line for line in lines), graph or _graph(), MODULES,
                    targets, planned)
    return said.regeneration + said.lines


SENTENCES = [
    (["output o/a.o older than most recent input src/a.c (1 vs 2)", "o/a.o is dirty", "a.so is dirty"],
     [f"mod.a: src/a.c changed since o/a.o was built: {LINK_A}"]),
    (["restat of output o/a.o older than most recent input src/a.c (1 vs 2)"],
     [f"mod.a: src/a.c changed since o/a.o was built: {LINK_A}"]),
    (["recorded mtime of o/a.o older than most recent input src/a.c (1 vs 2)"],
     ["mod.a: src/a.c changed after ninja's last build of o/a.o began (edited while it ran, or o/a.o was "
      f"written since by something other than ninja): {LINK_A}"]),
    (["command line changed for o/a.o"],
     [f"mod.a: the compile command of src/a.c changed (flags, compiler or launcher): {LINK_A}", NOTE]),
    (["command line changed for a.so"],
     ["mod.a: the link command of a.so changed (flags, libraries or linker): 1 link", NOTE]),
    (["command line changed for lib/libg.a"],
     ["the archive command of lib/libg.a changed (the archiver or its options): 1 archive, then 2 links "
      "(mod.a and mod.b)", NOTE]),
    (["command line not found in log for o/a.o"],
     [f"mod.a: no build record for o/a.o: it was built by another tool or the log was removed: {LINK_A}"]),
    (["output o/b.o doesn't exist"],
     ["mod.b: o/b.o does not exist (never built, or deleted): 1 compile, then the link of b.so"]),
    (["stored deps info out of date for 'o/a.o' (1 vs 2)"],
     ["mod.a: o/a.o is newer than ninja's record of its headers: another tool wrote it, or its last build was "
      f"interrupted: {LINK_A}"]),
    (["depfile 'o/a.o.d' is missing"], ["the depfile o/a.o.d is missing (never built, or deleted)"]),
    (["expected depfile 'o/a.o.d' to mention 'o/a.o', got 'a.o'"],
     [f"mod.a: the depfile o/a.o.d names a.o, not o/a.o: {LINK_A}"]),
    (["include/s.h has no in-edge and is missing", "include/s.h is dirty"],  # 1.10-1.12
     ["include/s.h is gone (deleted or moved, and no step makes it): 2 compiles, then 2 links (mod.a and mod.b)"]),
    (["include/s.h is dirty"],  # 1.13 says no more of a deleted header
     ["include/s.h is gone (deleted or moved, and no step makes it): 2 compiles, then 2 links (mod.a and mod.b)"]),
    (["output build.ninja older than most recent input pyproject.toml (1 vs 2)"],
     [f"build.ninja is older than pyproject.toml: {REGENERATES}", "nothing to rebuild"]),
    (["output compile_commands.json doesn't exist"],
     [f"compile_commands.json does not exist: {REGENERATES}", "nothing to rebuild"]),
    (["output pyproject.toml of phony edge with no inputs doesn't exist", "pyproject.toml is dirty"],  # 1.10-1.12
     [f"pyproject.toml is gone: {REGENERATES}", "nothing to rebuild"]),
    (["pyproject.toml is dirty"],  # 1.13 prints no reasons of a phony step
     [f"pyproject.toml is gone: {REGENERATES}", "nothing to rebuild"]),
    (["loading dyndep file 'o/a.dd'"], ["nothing to rebuild"]),
    (["a wording from a later ninja"], ["ninja says: a wording from a later ninja"]),
    ([], ["nothing to rebuild"]),
]


@pytest.mark.parametrize("lines, expected", SENTENCES, ids=[str(i) for i in range(len(SENTENCES))])
def test_each_wording_becomes_a_sentence(lines, expected):
    graph = _graph(files=["o/a.o", "o/g.o", "lib/libg.a", "a.so", "b.so", "src/a.c", "build.ninja"])
    assert _said(lines, graph) == expected


def test_missing_deps_say_whether_the_output_exists():
    line = ["deps for 'o/a.o' are missing"]
    assert _said(line) == ["mod.a: no record of the headers o/a.o was built with: ninja's deps log was removed, "
                           f"or another tool built it: {LINK_A}"]
    assert _said(line, _graph(files=[])) == [f"mod.a: o/a.o does not exist (never built, or deleted): {LINK_A}"]


def test_a_new_object_name_is_a_change_of_compile_settings():
    graph = _graph(files=[], earlier={"o/a.o": "o/old/a.o"})
    assert _said(["deps for 'o/a.o' are missing"], graph) == [
        "mod.a: the compile settings of src/a.c changed (defines, include folders or extra compile arguments), "
        f"so it compiles to a new object, o/a.o (before: o/old/a.o): {LINK_A}"]
    # ninja has its deps: it was built, and then deleted
    assert _said(["output o/a.o doesn't exist"], graph) == [
        f"mod.a: o/a.o does not exist (never built, or deleted): {LINK_A}"]


HEADER_113 = ["output o/a.o older than most recent input include/s.h (1 vs 3)",
              "output o/b.o older than most recent input include/s.h (2 vs 3)",
              "o/a.o is dirty", "o/b.o is dirty"]
HEADER_110 = ["output o/a.o older than most recent input include/s.h (1 vs 3)", "o/a.o is dirty", "a.so is dirty",
              "output o/b.o older than most recent input include/s.h (2 vs 3)", "o/b.o is dirty", "b.so is dirty",
              "a.so is dirty", "b.so is dirty"]


@pytest.mark.parametrize("lines", [HEADER_110, HEADER_113], ids=["1.10-1.12", "1.13"])
def test_a_changed_header_is_the_reason_and_the_steps_after_it_are_counted(lines):
    assert _said(lines) == ["include/s.h changed: 2 compiles, then 2 links (mod.a and mod.b)"]


def test_a_cython_step_is_named_as_the_summary_line_names_it():
    graph = Graph({"gen/x.c": Node("cython", ("src/x.pyx",), ("o/x.o",)), "o/x.o": Node("cc", ("gen/x.c",), ("x.so",)),
                   "x.so": Node("link_so", ("o/x.o",), ("x",)), "x": Node("phony")}, files=["gen/x.c"])
    said = describe(parse_explain(["ninja explain: command line changed for gen/x.c"]), graph, {"x.so": "x"})
    assert said.lines == ["x: the Cython command of src/x.pyx changed: 1 Cython translation, then 1 compile, "
                          "then the link of x.so", NOTE]


def test_targets_keep_only_the_steps_they_need():
    lines = ["output o/g.o older than most recent input lib/g.c (1 vs 2)"]
    assert _said(lines) == ["lib/g.c changed since o/g.o was built: 1 compile, then the archive lib/libg.a, "
                            "then 2 links (mod.a and mod.b)"]
    assert _said(lines, targets={"mod.b"}) == ["mod.b: lib/g.c changed since o/g.o was built: 1 compile, then the "
                                               "archive lib/libg.a, then the link of b.so"]


def test_several_causes_each_get_a_line_and_a_total():
    lines = ["output o/a.o older than most recent input src/a.c (1 vs 2)", "command line changed for b.so"]
    assert _said(lines, planned=3) == [
        f"mod.a: src/a.c changed since o/a.o was built: {LINK_A}",
        "mod.b: the link command of b.so changed (flags, libraries or linker): 1 link", NOTE,
        "in all: 3 steps (1 compile, 2 links)"]


def test_many_files_are_counted_and_a_few_named():
    nodes = {f"o/{i}.o": Node("cc", (f"src/{i}.c",), (f"m{i % 4}.so",)) for i in range(10)}
    nodes.update({f"m{j}.so": Node("link_so", (), (f"m{j}",)) for j in range(4)})
    nodes.update({f"m{j}": Node("phony") for j in range(4)})
    graph = Graph(nodes, files=[])
    said = describe(parse_explain(f"ninja explain: output o/{i}.o doesn't exist" for i in range(10)), graph,
                    {f"m{j}.so": f"m{j}" for j in range(4)})
    assert said.lines == ["10 outputs do not exist (never built, or deleted): o/0.o, o/1.o, o/2.o and 7 more: "
                          "10 compiles, then 4 links (m0, m1, m2 and 1 more)"]
    said = describe(parse_explain(f"ninja explain: command line changed for o/{i}.o" for i in range(10)), graph, {})
    assert said.lines[0] == ("the compile commands of 10 sources changed (flags, compiler or launcher): src/0.c, "
                             "src/1.c, src/2.c and 7 more: 10 compiles, then 4 links")


# ------------------------------------------------------------ the command line

def test_the_command_line():
    args = build_parser().parse_args(["explain", "-C", "p", "-v", "shapes._area", "src/x.c"])
    assert (args.command, args.project_dir, args.verbose, args.targets) == \
        ("explain", "p", True, ["shapes._area", "src/x.c"])
    args = build_parser().parse_args(["explain"])
    assert (args.project_dir, args.verbose, args.targets) == (".", False, [])


def test_a_project_never_configured_is_one_line(sample, capsys):
    project = sample("hello")
    assert main(["explain", "-C", str(project)]) == 1
    err = capsys.readouterr().err
    assert err == f"ninjagen: error: no build.ninja in {project}: configure first (ninjagen configure, or ninjagen build)\n"


def test_a_missing_project_folder_is_one_line(tmp_path, capsys):
    assert main(["explain", "-C", str(tmp_path / "nowhere")]) == 1
    assert capsys.readouterr().err.count("\n") == 1


# ------------------------------------------------------------ real builds

def _ninjas() -> list:
    return [None, *(p for p in os.environ.get("NINJAGEN_TEST_NINJAS", "").split(os.pathsep) if p)]


def _ninja_id(exe) -> str:
    if exe is None:
        return "bundled"
    version = subprocess.run([exe, "--version"], capture_output=True, text=True).stdout.split(".git")[0].strip()
    return f"ninja-{version}"


@pytest.fixture(params=_ninjas(), ids=_ninja_id)
def ninja_exe(request, monkeypatch) -> str:
    """The ninja that builds and that explain asks: the bundled one, then each of NINJAGEN_TEST_NINJAS."""
    if request.param:
        monkeypatch.setattr(runner, "ninja_binary", lambda: request.param)
    return runner.ninja_binary()


def _ninja(project: Path, *args: str) -> None:
    proc = subprocess.run([runner.ninja_binary(), *args], cwd=project, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def _explain(project: Path, capsys, *args: str) -> list[str]:
    capsys.readouterr()  # what configure printed
    assert main(["explain", "-C", str(project), *args]) == 0
    out, err = capsys.readouterr()
    assert not err
    return out.splitlines()


def _built(sample, name: str = "multi") -> Path:
    project = sample(name)
    configure(project)
    _ninja(project)
    return project


def _output(project: Path, name: str) -> str:
    (ext,) = [e for e in read_state(str(project)).extensions if e["name"] == name]
    return ext["output"]


def _object(project: Path, source: str) -> str:
    stem = Path(source).with_suffix("")
    (found,) = sorted((p for p in project.glob(f"build/{stem}.*.o") if re.fullmatch(r"[0-9a-f]{6}", p.suffixes[-2][1:])),
                      key=lambda p: p.stat().st_mtime_ns)[-1:]
    return found.relative_to(project).as_posix()


def _later(path: Path, text: str = "") -> None:
    """Change *path* (append *text*, else touch it) so that its mtime is surely newer than what was built."""
    time.sleep(0.01)
    if text:
        with open(path, "a", encoding="utf-8") as f:
            f.write(text)
    touch(path)


def test_never_built_then_nothing_to_rebuild(sample, capsys, ninja_exe):
    project = sample("multi")
    configure(project)
    (line,) = _explain(project, capsys)
    assert line.startswith("3 outputs do not exist (never built, or deleted): build/lib/geom.")
    assert line.endswith(": 3 compiles, then the archive build/lib/libgeom.a, then 2 links "
                         "(shapes._area and shapes._perimeter)")
    _ninja(project)
    assert _explain(project, capsys) == ["nothing to rebuild"]


def test_a_touched_header_names_it_and_the_modules(sample, capsys, ninja_exe):
    project = _built(sample)
    _later(project / "include" / "shapes.h")
    assert _explain(project, capsys) == ["include/shapes.h changed: 2 compiles, then 2 links "
                                         "(shapes._area and shapes._perimeter)"]
    assert _explain(project, capsys, "shapes._area") == [
        f"shapes._area: include/shapes.h changed since {_object(project, 'src/shapes/_area.c')} was built: "
        f"1 compile, then the link of {_output(project, 'shapes._area')}"]


def test_an_edited_source_names_it_and_its_module(sample, capsys, ninja_exe):
    project = _built(sample)
    _later(project / "src" / "shapes" / "_perimeter.c", "/* edited */\n")
    assert _explain(project, capsys) == [
        f"shapes._perimeter: src/shapes/_perimeter.c changed since {_object(project, 'src/shapes/_perimeter.c')} "
        f"was built: 1 compile, then the link of {_output(project, 'shapes._perimeter')}"]
    _later(project / "lib" / "geom.c", "/* edited */\n")
    lines = _explain(project, capsys)
    assert lines[0] == (f"lib/geom.c changed since {_object(project, 'lib/geom.c')} was built: 1 compile, then the "
                        "archive build/lib/libgeom.a, then 2 links (shapes._area and shapes._perimeter)")
    assert lines[1].startswith("shapes._perimeter: src/shapes/_perimeter.c changed since")
    assert lines[2] == "in all: 5 steps (2 compiles, 1 archive, 2 links)"


def test_a_changed_define_regenerates_first_then_changes_the_compile(sample, capsys, ninja_exe):
    project = _built(sample)
    pyproject = project / "pyproject.toml"
    before = _object(project, "src/shapes/_area.c")
    pyproject.write_text(pyproject.read_text().replace('["SHAPES_FAST"], ["SHAPES_DEBUG", "1"]',
                                                       '["SHAPES_FAST", "2"], ["SHAPES_DEBUG", "1"]'))
    _later(pyproject)
    assert _explain(project, capsys) == [
        "build.ninja is older than pyproject.toml: ninja writes build.ninja again first (ninjagen configure), "
        "then decides what to rebuild",
        "what the current build.ninja says (decided again once it is written):",
        "  nothing to rebuild"]
    _ninja(project, "build.ninja")
    (after,) = [os.path.relpath(e["output"], project) for e in json.loads((project / "compile_commands.json").read_text())
                if e["file"].endswith("_area.c")]
    assert after != before
    assert _explain(project, capsys) == [
        "shapes._area: the compile settings of src/shapes/_area.c changed (defines, include folders or extra compile "
        f"arguments), so it compiles to a new object, {after} (before: {before}): 1 compile, then the link of "
        f"{_output(project, 'shapes._area')}"]


def test_a_changed_compile_command(sample, capsys, ninja_exe):
    project = _built(sample)
    configure(project, "--map-prefix")  # -ffile-prefix-map on every compile, the same object names
    assert _explain(project, capsys) == [
        "the compile commands of 3 sources changed (flags, compiler or launcher): lib/geom.c, src/shapes/_area.c and "
        "src/shapes/_perimeter.c: 3 compiles, then the archive build/lib/libgeom.a, then 2 links "
        "(shapes._area and shapes._perimeter)", NOTE]


def test_a_deleted_object_is_missing(sample, capsys, ninja_exe):
    project = _built(sample)
    obj = _object(project, "src/shapes/_area.c")
    (project / obj).unlink()
    assert _explain(project, capsys) == [
        f"shapes._area: {obj} does not exist (never built, or deleted): 1 compile, then the link of "
        f"{_output(project, 'shapes._area')}"]


def test_a_deleted_header_known_only_from_the_deps_log(sample, capsys, ninja_exe):
    project = sample("hello")
    (project / "extra.h").write_text("#define EXTRA 1\n")
    source = project / "hello.c"
    source.write_text(source.read_text().replace("#include <limits.h>", '#include <limits.h>\n#include "extra.h"'))
    configure(project)
    _ninja(project)
    (project / "extra.h").unlink()
    assert _explain(project, capsys) == [
        f"hello: extra.h is gone (deleted or moved, and no step makes it): 1 compile, then the link of "
        f"{_output(project, 'hello')}"]


def test_a_removed_log_leaves_no_build_record(sample, capsys, ninja_exe):
    project = _built(sample, "hello")
    (project / "build" / ".ninja_log").unlink()
    assert _explain(project, capsys) == [
        f"hello: no build record for {_object(project, 'hello.c')}: it was built by another tool or the log was "
        f"removed: 1 compile, then the link of {_output(project, 'hello')}"]


def test_a_changed_compiler_environment_configures_again_first(sample, capsys, monkeypatch, ninja_exe):
    project = _built(sample, "hello")
    monkeypatch.setenv("CFLAGS", "-O1")
    assert _explain(project, capsys) == [
        "the compiler environment changed: ninjagen build configures again first, then ninja decides what to rebuild",
        "what the current build.ninja says (decided again once it is written):",
        "  nothing to rebuild"]


def test_verbose_adds_ninjas_own_lines(sample, capsys, ninja_exe):
    project = _built(sample, "hello")
    _later(project / "hello.c")
    lines = _explain(project, capsys, "-v")
    assert lines[1:3] == ["", "ninja -d explain -n said:"]
    assert f"  ninja explain: output {_object(project, 'hello.c')} older than most recent input hello.c" in lines[3]


def test_an_unknown_target_is_one_line_naming_it(sample, capsys, ninja_exe):
    project = _built(sample, "hello")
    capsys.readouterr()
    assert main(["explain", "-C", str(project), "no_such_module"]) == 1
    out, err = capsys.readouterr()
    assert not out and err.count("\n") == 1
    assert err.startswith("ninjagen: error: unknown target 'no_such_module'")


def _snapshot(project: Path) -> dict[str, tuple]:
    found = {}
    for path in sorted(project.rglob("*")):
        if path.is_file():
            found[str(path.relative_to(project))] = (path.stat().st_mtime_ns, hashlib.sha256(path.read_bytes()).hexdigest())
        else:
            found[str(path.relative_to(project))] = ("folder",)
    return found


def test_explain_changes_nothing(sample, capsys, ninja_exe):
    project = _built(sample)
    _later(project / "include" / "geom.h")
    _later(project / "pyproject.toml")
    before = _snapshot(project)
    lines = _explain(project, capsys, "-v")
    assert lines[0].startswith("build.ninja is older than pyproject.toml")
    assert lines[2] == ("  include/geom.h changed: 3 compiles, then the archive build/lib/libgeom.a, then 2 links "
                        "(shapes._area and shapes._perimeter)")
    assert _snapshot(project) == before


def test_a_deleted_source(sample, capsys, ninja_exe):
    project = _built(sample)
    (project / "lib" / "geom.c").unlink()
    capsys.readouterr()
    status = main(["explain", "-C", str(project)])
    out, err = capsys.readouterr()
    if status == 0:  # ninja 1.10, 1.11: a file in the deps log gets a phony step, so the build goes on (and fails)
        assert out == ("lib/geom.c is gone (deleted or moved, and no step makes it): 1 compile, then the archive "
                       "build/lib/libgeom.a, then 2 links (shapes._area and shapes._perimeter)\n")
    else:  # later: ninja stops, and its error is the one line
        assert (status, out, err.count("\n")) == (1, "", 1)
        assert err.startswith("ninjagen: error: 'lib/geom.c', needed by ")
