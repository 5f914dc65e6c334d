"""compile_commands.json is evaluated in process by ninjagen.compdb (issue 6: no ninja subprocess at configure time).

It must be exactly what ``ninja -t compdb`` prints for the written build.ninja,
with ``file`` and ``output`` made absolute, as configure produced it before:
this file holds the two equal on the samples, on awkward names (quotes, ``$``,
spaces, colons, braces, non-ASCII, paths outside the project, absolute
paths), on hand-written rule text that uses every kind of ninja variable,
and on random names (hypothesis).
"""

from __future__ import annotations

import json
import os
import subprocess

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from conftest import SAMPLES
from targets import CYGWIN, WINDOWS  # the fixed target descriptions the golden files use
from ninjagen import compdb, customize_compiler, new_compiler
from ninjagen.configure import configure as configure_api
from ninjagen.errors import CompileError, ConfigError
from ninjagen.graph import BuildGraph, Edge
from ninjagen.runner import ninja_binary

pytestmark = pytest.mark.skipif(os.name == "nt", reason="on Windows configure asks ninja itself")


def ninja_compdb(text: str, rule_names, cwd) -> str:
    """What configure wrote before issue 6: ``ninja -t compdb``, made absolute, one entry a line."""
    path = os.path.join(cwd, "compdb-reference.ninja")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    try:
        proc = subprocess.run([ninja_binary(), "-f", path, "-t", "compdb", *rule_names], cwd=cwd,
                              capture_output=True, text=True, encoding="utf-8", check=True)
    finally:
        os.unlink(path)
    entries = json.loads(proc.stdout)
    for entry in entries:
        for key in ("file", "output"):
            entry[key] = os.path.normpath(os.path.join(entry["directory"], entry[key]))
    return "[\n" + ",\n".join(json.dumps(e, ensure_ascii=False) for e in entries) + "\n]\n"


def both(cc, cwd, build_dir="build", modelled=True):
    """(in process, by ninja) for everything *cc* recorded, from *cwd*.

    *modelled*: the in-process evaluation must not give up (return None) here.
    """
    rules, variables = cc.rules(), cc.toolchain_variables()
    text = cc.graph.render(rules=rules, variables=variables, build_dir=build_dir)
    inprocess = compdb.evaluate(cc.graph, rule_names=cc.compile_rules, directory=str(cwd), rules=rules,
                                variables=variables, build_dir=build_dir)
    if modelled:
        assert inprocess is not None, "the in-process evaluation gave up on a case it models"
    return inprocess, ninja_compdb(text, cc.compile_rules, cwd)


def unix_compiler():
    cc = new_compiler(compiler="unix")
    customize_compiler(cc, {})
    cc.set_include_dirs(["/usr/include/python3 with space"])
    return cc


@pytest.mark.parametrize("name", sorted(p.name for p in SAMPLES.iterdir() if (p / "pyproject.toml").is_file()))
def test_configure_writes_what_ninja_says_for_every_sample(sample, name, monkeypatch):
    project = sample(name)
    try:
        result = configure_api(str(project))
    except Exception as exc:  # a sample for another platform or toolchain: nothing to compare
        pytest.skip(f"{name} does not configure here: {exc}")
    monkeypatch.chdir(project)
    cc = result.compiler
    written = (project / "compile_commands.json").read_text(encoding="utf-8")
    assert written == compdb.by_ninja(result.text, cc.compile_rules, result.build_dir)
    assert json.loads(written)
    # and it was evaluated in process: a sample is a case the evaluation models
    assert written == compdb.evaluate(cc.graph, rule_names=cc.compile_rules, directory=str(project), rules=cc.rules(),
                                      variables=cc.toolchain_variables(), build_dir=result.build_dir)


@pytest.mark.parametrize("toolchain,target", [("msvc", WINDOWS), ("mingw32", WINDOWS), ("bcpp", WINDOWS),
                                              ("cygwin", CYGWIN)])
@pytest.mark.parametrize("name", ["multi", "shared"])
def test_other_toolchains_render_as_ninja_says(sample, name, toolchain, target):
    """Their rules differ (response files for compiles, /Tc$in, ...): the same evaluation holds."""
    project = sample(name)
    result = configure_api(str(project), target=target, compiler=toolchain, dry_run=True,
                           cross_prefix="x86_64-w64-mingw32-" if toolchain == "mingw32" else None,
                           environ={"NINJAGEN_MSVC_DEPS_PREFIX": "Note: including file:"})
    inprocess, by_ninja = both(result.compiler, project, build_dir=result.build_dir)
    assert inprocess == by_ninja
    assert json.loads(inprocess)


AWKWARD = [
    "plain/a.c", "with space/b c.c", "dollar$sign/$HOME.c", "colon:dir/x:y.c", "quote'd/it's.c",
    'double"quote.c', "brace{0}/{}.c", "hash#/#.c", "amp&and.c", "equals=comma,at@percent%.c",
    "unicodé/ñ.c", "back\\slash.c", "question?.c", "tilde~/bang!.c", "-leading-dash.c",
    ".hidden/h.c", "../outside/o.c", "/abs/olute/p.c", "deep/./dot/../twice.c", "cxx/file.cpp",
]


@pytest.mark.parametrize("folder", ["plain", "dir with space", "we{ir}d $'\"é"])
def test_awkward_names_flags_and_folders_render_as_ninja_says(tmp_path, folder):
    cwd = tmp_path / folder
    cwd.mkdir()
    cc = unix_compiler()
    macros = [("Q", '"quoted value"'), ("D", "$HOME and $$"), ("B", "back\\slash"), ("BR", "{0}{}"), ("EMPTY", ""),
              ("NOVALUE", None), ("UNDEF",)]
    objects = cc.compile(AWKWARD[:10], output_dir="build/obj dir", macros=macros, include_dirs=["inc lude", "$x"],
                         extra_postargs=["-Wl,weird arg", "'"], depends=["dep end.h"])
    cc.compile(AWKWARD[10:], output_dir="build/other", extra_preargs=["-pre arg"], debug=True)
    cc.link_shared_object(objects, "mod.so")
    inprocess, by_ninja = both(cc, cwd, build_dir="build dir$")
    assert inprocess == by_ninja
    assert len(json.loads(inprocess)) == len(AWKWARD)


@pytest.mark.parametrize("folder", ["plain", "we{ir}d $'\"é\\"])
def test_plain_names_in_any_folder_render_as_ninja_says(tmp_path, folder):
    """The usual case takes a shortcut (no path needs quoting): the folder name must not matter."""
    cwd = tmp_path / folder
    cwd.mkdir()
    cc = unix_compiler()
    for m in range(3):
        objects = cc.compile([f"pkg/m{m}/s{s}.c" for s in range(4)] + [f"pkg/m{m}/x.cpp"], output_dir=f"build/{m}",
                             macros=[("N", str(m)), ("S", '"{0} $x"')], include_dirs=["include"])
        cc.link_shared_object(objects, f"pkg/m{m}.so")
    inprocess, by_ninja = both(cc, cwd)
    assert inprocess == by_ninja


RULES = """\
# a comment
top = -O2 $extra_top ${builddir}
extra_top = late
rule cc
  command = $cc_tool $top ${myvar} $args -c $in -o $out $$HOME $: $ x ${in} $in_newline [$depfile] {$description}
  depfile = $out.d
  description = CC $out $myvar-$nested

pool p
  depth = 2

rule other
  command = never $in
"""


def test_hand_written_rule_text_evaluates_as_in_ninja(tmp_path):
    graph = BuildGraph()
    graph.add(Edge.make("a.o", "cc", ["a.c"]))
    graph.add(Edge.make("b.o", "cc", ["b.c", "b2.c"], variables={"args": "-DB", "myvar": "edge-wins"}))
    graph.add(Edge.make(["c.o", "c2.o"], "cc", ["c c.c"], implicit=["c.h"], order_only=["o"],
                        implicit_outputs=["c.d"], variables={"nested": "edge-nested"}, pool="p"))
    graph.add(Edge.make("d.o", "cc", [], implicit=["only implicit.h"]))
    graph.add(Edge.make("e.o", "other", ["e.c"]))
    graph.phony("all", ["a.o"])
    variables = {"cc_tool": "gcc -x 'y z'", "extra_top": "early $ money"}
    text = graph.render(rules=RULES, variables=variables, build_dir="bd")
    inprocess = compdb.evaluate(graph, rule_names=["cc"], directory=str(tmp_path), rules=RULES,
                                variables=variables, build_dir="bd")
    assert inprocess == ninja_compdb(text, ["cc"], tmp_path)
    assert [e["output"] for e in json.loads(inprocess)] == [str(tmp_path / o) for o in ("a.o", "b.o", "c.o", "d.o")]


def test_what_it_does_not_model_is_left_to_ninja(tmp_path, monkeypatch):
    """A '//' path (ninja makes it '/'), a '$' line continuation: None, and configure asks ninja."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "build").mkdir()
    cc = unix_compiler()
    cc.compile(["//twice/slashed.c", "fine.c"], output_dir="build")
    rules, variables = cc.rules(), cc.toolchain_variables()
    text = cc.graph.render(rules=rules, variables=variables, build_dir="build")
    assert compdb.evaluate(cc.graph, rule_names=cc.compile_rules, directory=str(tmp_path), rules=rules,
                           variables=variables, build_dir="build") is None
    assert compdb.compile_commands(cc.graph, text, rule_names=cc.compile_rules, rules=rules, variables=variables,
                                   build_dir="build") == ninja_compdb(text, cc.compile_rules, tmp_path)
    continued = "rule cc\n  command = gcc $\n    -c $in\n"
    assert compdb.evaluate(cc.graph, rule_names=["cc"], directory=str(tmp_path), rules=continued) is None


_names = st.text(st.sampled_from("ab/. -$:'\"\\{}#é,=@%&~"), min_size=1, max_size=12).filter(
    lambda s: not s.endswith("/") and "\x00" not in s)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(sources=st.lists(_names, min_size=1, max_size=4, unique=True),
       value=st.text(st.sampled_from("a $'\"\\{}é"), max_size=6),
       include=_names, cxx=st.booleans())
def test_random_names_render_as_ninja_says(tmp_path_factory, sources, value, include, cxx):
    cwd = tmp_path_factory.mktemp("random")
    cc = unix_compiler()
    suffix = ".cpp" if cxx else ".c"
    srcs = [s + suffix for s in sources]
    # assume(): inputs refused before any ninja file are discarded, and hypothesis fails the
    # test (a health check) if too few examples are left to compare
    try:
        objects = [cc.object_filenames([s], output_dir="build")[0] for s in srcs]
    except CompileError:
        assume(False)  # a name with no source suffix (".." + ".c")
    assume(len(set(map(os.path.normpath, objects))) == len(objects)  # two sources that share an object
           and not any("|" in p or "\n" in p for p in srcs + objects))  # a name no ninja file can hold
    try:
        cc.compile(srcs, output_dir="build", macros=[("V", value)], include_dirs=[include])
    except ConfigError:
        assume(False)  # a name gcc's depfiles cannot carry ("\\$"): refused before any ninja file
    # the one case left to ninja: a path that starts with '//', which ninja makes '/' and normpath keeps
    canonicalized = any(os.path.normpath(p).startswith("//") for p in srcs + objects)
    inprocess, by_ninja = both(cc, cwd, modelled=not canonicalized)
    if inprocess is not None:
        assert inprocess == by_ninja
