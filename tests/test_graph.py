"""ninjagen.graph: edges, merging, exact rendering, atomic writing."""

from __future__ import annotations

import os
import stat
import subprocess

import pytest

from ninjagen.errors import ConfigError
from ninjagen.graph import BuildGraph, Edge, atomic_write
from ninjagen.runner import ninja_binary


def cc_edge(obj: str = "build/a.o", src: str = "a.c", args: str = "-DA", **kwargs) -> Edge:
    return Edge.make(obj, "cc", [src], variables={"args": args}, **kwargs)


# ------------------------------------------------------------------ Edge.make
def test_make_accepts_one_output_as_a_string():
    assert Edge.make("a.o", "cc", ["a.c"]).outputs == ("a.o",)


def test_make_normalizes_paths():
    edge = Edge.make(["build/./x/../a.o"], "cc", ["./src//a.c"], implicit=["inc/../a.h"],
                     order_only=["gen/"], implicit_outputs=["build/a.o.d"])
    assert edge.outputs == ("build/a.o",)
    assert edge.inputs == ("src/a.c",)
    assert edge.implicit == ("a.h",)
    assert edge.order_only == ("gen",)
    assert edge.implicit_outputs == ("build/a.o.d",)


def test_make_drops_duplicate_implicit_inputs_keeping_order():
    assert Edge.make("o", "r", implicit=["b.h", "a.h", "./b.h"]).implicit == ("b.h", "a.h")


def test_make_keeps_variables_in_order():
    edge = Edge.make("o", "r", variables={"b": "2", "a": "1"})
    assert edge.variables == (("b", "2"), ("a", "1"))


def test_edges_are_hashable_values():
    assert cc_edge() == cc_edge() and hash(cc_edge()) == hash(cc_edge())


def test_all_outputs():
    assert Edge.make("a", "r", implicit_outputs=["b"]).all_outputs() == ("a", "b")


# ------------------------------------------------------------- BuildGraph.add
def test_adding_the_same_edge_twice_keeps_one():
    graph = BuildGraph()
    graph.add(cc_edge())
    graph.add(cc_edge())
    assert list(graph.edges) == ["build/a.o"]


def test_the_same_output_with_a_different_command_raises_naming_the_file():
    graph = BuildGraph()
    graph.add(cc_edge(args="-DA=1"))
    with pytest.raises(ConfigError, match="build/a.o"):
        graph.add(cc_edge(args="-DA=2"))


def test_the_same_output_from_another_source_raises():
    graph = BuildGraph()
    graph.add(cc_edge(src="a.c"))
    with pytest.raises(ConfigError, match="two different build steps write build/a.o"):
        graph.add(cc_edge(src="sub/a.c"))


def test_the_same_output_from_another_rule_raises_naming_both_rules():
    graph = BuildGraph()
    graph.add(Edge.make("x.o", "cc", ["x.c"]))
    with pytest.raises(ConfigError, match=r"x\.o \(rules cc and cxx\)"):
        graph.add(Edge.make("x.o", "cxx", ["x.c"]))


def test_an_output_written_as_implicit_output_elsewhere_raises():
    graph = BuildGraph()
    graph.add(Edge.make("lib.dll", "link", ["a.o"], implicit_outputs=["lib.lib"]))
    with pytest.raises(ConfigError, match="lib.lib"):
        graph.add(Edge.make("lib.lib", "ar", ["b.o"]))


def test_an_implicit_output_that_is_another_edges_output_raises():
    graph = BuildGraph()
    graph.add(Edge.make("lib.lib", "ar", ["b.o"]))
    with pytest.raises(ConfigError, match="lib.lib"):
        graph.add(Edge.make("lib.dll", "link", ["a.o"], implicit_outputs=["lib.lib"]))


def test_a_rejected_edge_leaves_the_graph_unchanged():
    graph = BuildGraph()
    graph.add(Edge.make("lib.lib", "ar", ["b.o"]))
    with pytest.raises(ConfigError):
        graph.add(Edge.make("lib.dll", "link", ["a.o"], implicit_outputs=["lib.lib"]))
    assert list(graph.edges) == ["lib.lib"]
    assert not graph.produces("lib.dll")


def test_implicit_inputs_merge():
    graph = BuildGraph()
    graph.add(cc_edge(implicit=["a.h", "b.h"]))
    merged = graph.add(cc_edge(implicit=["b.h", "c.h"]))
    assert merged.implicit == ("a.h", "b.h", "c.h")
    assert graph.edges["build/a.o"].implicit == ("a.h", "b.h", "c.h")
    assert len(graph.edges) == 1


def test_produces_knows_outputs_and_implicit_outputs_normalized():
    graph = BuildGraph()
    graph.add(Edge.make("out/lib.dll", "link", ["a.o"], implicit_outputs=["out/lib.lib"]))
    assert graph.produces("out/lib.dll")
    assert graph.produces("out/./lib.lib")
    assert not graph.produces("a.o")


def test_phony():
    graph = BuildGraph()
    graph.phony("all", ["a.so", "b.so"])
    assert graph.edges["all"] == Edge.make("all", "phony", ["a.so", "b.so"])


def test_pool_depth_must_be_positive():
    with pytest.raises(ConfigError, match="depth"):
        BuildGraph().pool("link_pool", 0)


# -------------------------------------------------------------------- render
def tiny_graph() -> BuildGraph:
    graph = BuildGraph()
    graph.pool("link_pool", 2)
    graph.add(Edge.make(
        "out dir/a$b.o", "cc", ["src/c:d.c"],
        implicit=["h #1.h"], order_only=["gen"], implicit_outputs=["out dir/a$b.o.d"],
        variables={"args": "-DV=$HOME '-Ia b'", "lead": " x"},
    ))
    graph.add(Edge.make("mod.so", "link_so", ["out dir/a$b.o"], pool="link_pool"))
    graph.rule("regen", ["python", "-m", "ninjagen"], generator=True, description="REGEN")
    graph.default(["mod.so", "./é.so"])
    return graph


TINY_RULES = "rule cc\n  command = cc $args -c $in -o $out\n\n\n"

TINY_TEXT = """\
# generated by a test
# second line

ninja_required_version = 1.10
builddir = b$ d
cc = gcc $$X
lead = $ space

pool link_pool
  depth = 2

rule cc
  command = cc $args -c $in -o $out

rule regen
  command = python -m ninjagen
  description = REGEN
  generator = 1

build out$ dir/a$$b.o | out$ dir/a$$b.o.d: cc src/c$:d.c | h$ #1.h || gen
  args = -DV=$$HOME '-Ia b'
  lead = $ x
build mod.so: link_so out$ dir/a$$b.o
  pool = link_pool

default mod.so é.so
"""


def test_render_exact_text():
    text = tiny_graph().render(
        rules=TINY_RULES, variables={"cc": "gcc $X", "lead": " space"}, build_dir="b d",
        header="generated by a test\nsecond line",
    )
    assert text == TINY_TEXT


def test_render_of_an_empty_graph():
    assert BuildGraph().render() == "ninja_required_version = 1.10\n\n"


def test_render_rejects_a_line_break_in_a_variable_naming_it():
    graph = BuildGraph()
    graph.add(cc_edge(args="-DA\n-DB"))
    with pytest.raises(ConfigError, match="args of build/a.o"):
        graph.render()


def test_render_rejects_a_pipe_in_a_path():
    graph = BuildGraph()
    graph.add(Edge.make("a|b.o", "cc", ["a.c"]))
    with pytest.raises(ConfigError, match=r"'\|'"):
        graph.render()


def test_rendered_text_is_what_ninja_reads(tmp_path):
    """The tiny graph parses, and ninja sees exactly our paths (dry run, nothing runs)."""
    graph = tiny_graph()
    graph.phony("é.so", [])
    text = graph.render(rules=TINY_RULES.replace("$args", "$args $lead") + "rule link_so\n  command = ld\n",
                               variables={"cc": "gcc $X"})
    (tmp_path / "build.ninja").write_text(text, encoding="utf-8")
    query = subprocess.run([ninja_binary(), "-t", "query", "out dir/a$b.o"], cwd=tmp_path,
                           capture_output=True, text=True)
    assert query.returncode == 0, query.stdout + query.stderr
    assert query.stdout.splitlines()[:2] == ["out dir/a$b.o:", "  input: cc"]
    assert "    src/c:d.c" in query.stdout.splitlines()
    assert "    | h #1.h" in query.stdout.splitlines()
    assert "    || gen" in query.stdout.splitlines()
    commands = subprocess.run([ninja_binary(), "-t", "commands", "out dir/a$b.o"], cwd=tmp_path,
                              capture_output=True, text=True)
    assert commands.stdout == "cc -DV=$HOME '-Ia b'  x -c 'src/c:d.c' -o 'out dir/a$b.o'\n"


# -------------------------------------------------------------- atomic_write
def test_atomic_write_creates_the_file(tmp_path):
    target = tmp_path / "build.ninja"
    atomic_write(target, "new é\n")
    assert target.read_bytes() == "new é\n".encode("utf-8")


def test_atomic_write_replaces_and_leaves_no_temp_files(tmp_path):
    target = tmp_path / "build.ninja"
    target.write_text("old\n")
    (tmp_path / "other").write_text("untouched")
    atomic_write(str(target), "new\n")
    assert target.read_text() == "new\n"
    assert sorted(os.listdir(tmp_path)) == ["build.ninja", "other"]


def test_atomic_write_replaces_rather_than_rewrites(tmp_path):
    # a reader holding the old file keeps reading the old content
    target = tmp_path / "build.ninja"
    target.write_text("old\n")
    with open(target) as reader:
        atomic_write(target, "new\n")
        assert reader.read() == "old\n"
    assert target.read_text() == "new\n"


def test_atomic_write_writes_lf_line_endings(tmp_path):
    target = tmp_path / "f"
    atomic_write(target, "a\nb\n")
    assert target.read_bytes() == b"a\nb\n"


def test_atomic_write_failure_keeps_the_old_file_and_leaves_no_temp_files(tmp_path):
    target = tmp_path / "build.ninja"
    target.write_text("old\n")
    with pytest.raises(UnicodeEncodeError):
        atomic_write(target, "bad \udcff surrogate")
    assert target.read_text() == "old\n"
    assert os.listdir(tmp_path) == ["build.ninja"]


def test_atomic_write_gives_the_permissions_of_a_plain_write(tmp_path):
    # mkstemp creates the temporary file 0600 and os.replace keeps that mode; without
    # a chmod, build.ninja and compile_commands.json would be unreadable for other users
    plain, atomic = tmp_path / "plain", tmp_path / "atomic"
    old_umask = os.umask(0o022)
    try:
        plain.write_text("x")
        atomic_write(atomic, "x")
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(plain.stat().st_mode) == 0o644
    assert stat.S_IMODE(atomic.stat().st_mode) == stat.S_IMODE(plain.stat().st_mode)
