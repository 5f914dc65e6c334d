"""build.ninja says once what many statements share, and ninja still expands the commands the statements say.

An extension's flags are one file variable its compile statements refer to, and
a link's response file is its inputs (``$in``) and its library options, not a
second copy of the object list.  Paths are written out whole (objects are the
sources' paths under the build folder, tagged: ``build/src/a.<tag>.o``), which
ninja reads faster than paths that start with a variable.  Only the spelling
changes: the commands, response files and compile_commands.json are what they
were (tests/golden and the argv comparisons hold them).
"""

from __future__ import annotations

import json
import re
import subprocess

from ninjagen import Extension, StaticLibrary, build_layout
from ninjagen.compdb import _ninja_shell_escape
from ninjagen.compilers.unix import response_file_content
from ninjagen.configure import configure
from ninjagen.runner import ninja_binary

from conftest import write


def _configured(project, extensions, **kwargs):
    for ext in [*extensions, *kwargs.get("libraries", ())]:
        for src in ext.sources:
            write(project / src, "int x;\n")
    return configure(str(project), extensions=extensions, environ={}, **kwargs)


def _expanded(project, *rules: str) -> dict[str, str]:
    """Output -> its command as ninja runs it, the response file put in place of its @file."""
    entries = json.loads(subprocess.run([ninja_binary(), "-t", "compdb", "-x", *rules], cwd=project,
                                        capture_output=True, text=True, check=True).stdout)
    return {e["output"]: e["command"] for e in entries}


def test_an_extensions_flags_are_written_once(tmp_path):
    extensions = [Extension(f"m{i}", [f"m{i}/s{j}.c" for j in range(6)], define_macros=[(f"ONLY_M{i}", "1")],
                            include_dirs=[f"inc{i}"]) for i in range(3)]
    text = _configured(tmp_path, extensions).text
    commands = _expanded(tmp_path, "cc")
    for i in range(3):
        assert text.count(f"-DONLY_M{i}=1") == 1
        assert sum(f"-DONLY_M{i}=1 -Iinc{i} " in c for c in commands.values()) == 6
    # the first extension's flags are the file's args, which its statements leave alone; the others
    # refer to their own file variable; the links, whose rule reads $args too, say they have none
    assert re.search(r"^args = -DONLY_M0=1 ", text, re.M)
    assert len(re.findall(r"^build \S+/m0/s\d\.\w+\.o: cc m0/s\d\.c\n(?!  )", text, re.M)) == 6
    for i in (1, 2):
        (name,) = re.findall(rf"^(args_\d+) = -DONLY_M{i}=1 ", text, re.M)
        assert len(re.findall(rf"^build \S+/m{i}/s\d\.\w+\.o: cc m{i}/s\d\.c\n  args = \${name}$", text, re.M)) == 6
    assert len(re.findall(r"^build m\d\.\S+: link_so .*\n  args =$", text, re.M)) == 3


def test_objects_are_the_sources_paths_under_the_build_folder_tagged_with_their_settings(tmp_path):
    result = _configured(tmp_path, [Extension("m", ["src/s0.c", "src/s1.c"]),
                                    Extension("n", ["src/s0.c", "n.c"]),  # compiled as m compiles it: once
                                    Extension("o", ["src/s0.c"], define_macros=[("O", "1")])])
    tags: dict[str, list[str]] = {}  # source -> the tags of its objects
    for out, edge in result.compiler.graph.edges.items():
        if edge.rule == "cc":
            source, tag = re.fullmatch(r"build/(.+)\.([0-9a-f]{6})\.o", out).groups()
            assert edge.inputs == (source + ".c",)
            tags.setdefault(source, []).append(tag)
    (tag,) = set(tags["src/s1"]) | set(tags["n"])  # m's and n's settings are the same
    assert len(tags["src/s0"]) == 2 and tag in tags["src/s0"]  # o's differ
    # written out whole, not through a variable that ninja would evaluate on every run
    assert result.text.count(f"build/src/s0.{tag}.o") == 3 and not re.search(r"^o\d+ = ", result.text, re.M)


def test_two_settings_whose_tags_would_be_one_get_longer_ones(monkeypatch):
    # two digests with the same first six hex digits (one in 16 million pairs), put in the digests' memo
    monkeypatch.setitem(build_layout._digests, repr(["a"]), "abcdef" + "1" * 58)
    monkeypatch.setitem(build_layout._digests, repr(["b"]), "abcdef" + "2" * 58)
    tags = build_layout.ObjectTags()
    assert tags.tag(["a"]) == "abcdef" and tags.tag(["b"]) == "abcdef2222" and tags.tag(["a"]) == "abcdef"
    assert build_layout.ObjectTags().tag(["b"]) == "abcdef"  # alone in its configure, it has the short one


def test_a_link_and_an_archive_do_not_repeat_their_objects(tmp_path):
    result = _configured(tmp_path, [Extension("m", ["a.c", "b.c"], libraries=["helper", "m"])],
                         libraries=[StaticLibrary("helper", ["h1.c", "h2.c"])])
    edges = {e.rule: e for e in result.compiler.graph.edges.values()}
    link, archive = edges["link_so"], edges["ar"]
    tail = dict(link.variables)["rsp_tail"]
    assert tail.startswith(" -Lbuild/lib ") and tail.endswith(" -lhelper -lm")
    assert "rsp_tail" not in dict(archive.variables)
    for edge in (link, archive):
        assert not {"rsp_args", "rspfile_content"} & set(dict(edge.variables))
        for obj in edge.inputs:
            assert result.text.count(obj.rpartition("/")[2]) == 2  # an object: its compile's output, an input


def test_ninja_writes_the_response_files_the_statements_say(tmp_path):
    """Plain object paths come from $in; paths that ninja's $in would quote otherwise than an
    @file reads them (a space, a quote, a backslash, a '$') are written out by the statement."""
    project = tmp_path / "p"
    plain = Extension("plain", ["src/a.c", "src/b.c"], libraries=["m"])
    odd = Extension("odd", ["odd dir/a $b.c", "it's/c\\d.c"], library_dirs=["lib dir"])
    result = _configured(project, [plain, odd], libraries=[StaticLibrary("helper", ["h/x y.c"])])
    graph = result.compiler.graph
    variables = result.compiler.toolchain_variables()
    ninja_says = _expanded(project, "link_so", "ar")
    seen = set()
    for edge in graph.edges.values():
        if edge.rule not in ("link_so", "ar"):
            continue
        own = dict(edge.variables)
        out = _ninja_shell_escape(edge.outputs[0])
        if edge.rule == "link_so":
            expected = (f"{variables['ldshared']} {own.get('args', '')} {response_file_content(edge)} "
                        f"-o {out} {own.get('post_args', '')}")
        else:
            expected = f"rm -f {out} && {variables['ar']} {out} {response_file_content(edge)}"
        assert ninja_says[edge.outputs[0]] == expected
        seen.add(("rspfile_content" in own, edge.rule))
    assert seen == {(False, "link_so"), (True, "link_so"), (True, "ar")}
