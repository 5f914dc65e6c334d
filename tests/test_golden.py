"""Golden build.ninja files for every toolchain and sample, and their commands parsed back.

The targets are fixed descriptions (no file of this machine's Python shows in the
output), so the files are the same on any host.  To regenerate them after an
intended change:

    NINJAGEN_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py   # writes them; each skips, never passes
    python -m pytest tests/test_golden.py                            # then checks them

A mismatch writes the actual output beside the golden file as ``<name>.actual``.
"""

from __future__ import annotations

import os
import re
import shlex
import sys
from pathlib import Path

import pytest

from ninjagen import Extension, configure
from ninjagen.quoting import msvc_join, msvc_split
from ninjagen.regenerate import installation_record
from ninjagen.rules import templates_dir

# the fixed target descriptions the golden files use; re-exported for the tests that import them from here
from targets import FREE_THREADED, MACOS, TARGETS, WINDOWS

GOLDEN = Path(__file__).with_name("golden")
SAMPLES = ["hello", "cxx", "multi", "abi3", "shared"]
TOOLCHAINS = ["unix", "msvc", "mingw32", "cygwin", "bcpp"]

FREE_THREADED_SAMPLES = ["hello", "multi"]
ENVIRONMENT = {"NINJAGEN_MSVC_DEPS_PREFIX": "Note: including file:"}
RECORD = installation_record()


def generate(project: Path, toolchain: str, targets=TARGETS, **kwargs) -> tuple[str, dict[str, str]]:
    """build.ninja's text and the generated files, with this machine's paths made neutral."""
    kwargs.setdefault("target", targets[toolchain])
    result = configure(str(project), compiler=toolchain, link_jobs=2,
                       cross_prefix="x86_64-w64-mingw32-" if toolchain == "mingw32" else None,
                       environ=ENVIRONMENT, dry_run=True, **kwargs)
    text = result.text.replace(sys.executable, "PYTHON").replace(templates_dir(), "TEMPLATES")
    if RECORD is None:
        pytest.skip("ninjagen runs uninstalled: its installation record, a regeneration input, is missing "
                    "(pip install -e .)")
    text = text.replace(RECORD, "NINJAGEN_RECORD")
    return text, dict(result.compiler.graph.files)


def check_golden(text: str, golden: Path) -> None:
    actual = golden.with_name(golden.name + ".actual")
    expected = golden.read_text(encoding="utf-8") if golden.exists() else ""
    if os.environ.get("NINJAGEN_UPDATE_GOLDEN"):  # never a pass: a file compared with itself proves nothing
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
        actual.unlink(missing_ok=True)
        pytest.skip(f"{'updated' if text != expected else 'unchanged'} {golden}: "
                    "re-run without NINJAGEN_UPDATE_GOLDEN to check it")
    if text != expected:
        actual.write_text(text, encoding="utf-8")
        pytest.fail(f"{golden} differs from the generated file; the actual output is in {actual}")
    if actual.exists():
        actual.unlink()


@pytest.mark.parametrize("toolchain", TOOLCHAINS)
@pytest.mark.parametrize("name", SAMPLES)
def test_golden_build_ninja(sample, name, toolchain, capsys):
    text, _ = generate(sample(name), toolchain)
    check_golden(text, GOLDEN / toolchain / f"{name}.ninja")


@pytest.mark.parametrize("toolchain", TOOLCHAINS)
@pytest.mark.parametrize("name", FREE_THREADED_SAMPLES)
def test_golden_build_ninja_free_threaded(sample, name, toolchain, capsys):
    text, _ = generate(sample(name), toolchain, FREE_THREADED)
    check_golden(text, GOLDEN / toolchain / f"{name}-free-threaded.ninja")


def _file_variables(text: str) -> dict[str, str]:
    """The file-level ``name = value`` lines of a generated file, as written (escaped)."""
    found = {}
    for line in text.splitlines():
        if line and not line.startswith((" ", "#", "build ", "rule ", "pool ", "default ")) and " = " in line:
            key, _, value = line.partition(" = ")
            found[key] = value
    return found


def _expand(value: str, file_variables: dict[str, str]) -> str:
    """*value* (escaped, from a build line or a statement variable) with its ``$name`` references to
    file variables replaced by their values, as ninja does when it reads the statement; escapes stay."""
    out, i = [], 0
    while i < len(value):
        if value[i] == "$" and i + 1 < len(value):
            m = re.match(r"\{([a-zA-Z0-9_.-]+)\}|([a-zA-Z0-9_-]+)", value[i + 1:])
            if m and (m.group(1) or m.group(2)) in file_variables:
                out.append(file_variables[m.group(1) or m.group(2)])
                i += 1 + m.end()
                continue
            out.append(value[i:i + 2])  # an escape ($$, $ , $:) or a variable of the rule
            i += 2
            continue
        out.append(value[i])
        i += 1
    return "".join(out)


def _edge_variables(text: str) -> list[tuple[str, str, dict[str, str]]]:
    """(first output, rule, variables) for every build statement of a generated file."""
    return [(output, rule, variables) for output, rule, variables, _ in _statements(text)]


def _statements(text: str) -> list[tuple[str, str, dict[str, str], list[str]]]:
    """(first output, rule, variables, explicit inputs) for every build statement, with the file
    variables the writer shortens the file with expanded, and ``$$`` unescaped.  A statement's
    variables are the file's (a value most statements share is written once, there) and its own."""
    file_variables = _file_variables(text)
    seen_by_statements = {k: re.sub(r"\$(.)", r"\1", _expand(v, file_variables)) for k, v in file_variables.items()}
    edges, current = [], None
    for line in text.splitlines():
        if line.startswith("build "):
            head, _, rest = _expand(line[len("build "):], file_variables).partition(": ")
            words = re.findall(r"(?:\$.|[^ $])+", rest)  # a path: escapes ($$, $ , $:) and other characters
            explicit = words[1:words.index("|")] if "|" in words else words[1:]
            explicit = explicit[:explicit.index("||")] if "||" in explicit else explicit
            inputs = [re.sub(r"\$(.)", r"\1", w) for w in explicit]
            current = (head.split(" ")[0], words[0], dict(seen_by_statements), inputs)
            edges.append(current)
        elif line.startswith("  ") and current is not None and (" = " in line or line.endswith(" =")):
            key, _, value = line.strip().partition(" =")
            current[2][key] = re.sub(r"\$(.)", r"\1", _expand(value.removeprefix(" "), file_variables))
        elif not line.startswith("  "):
            current = None
    return edges


def _response_files(text: str) -> dict[str, str]:
    """First output -> what a statement of the gcc toolchains writes to its response file: its
    ``rspfile_content``, or its inputs (the rules' ``$in``) and then its ``rsp_tail``."""
    return {output: variables.get("rspfile_content", " ".join(inputs) + variables.get("rsp_tail", ""))
            for output, rule, variables, inputs in _statements(text) if rule.startswith(("link", "ar"))}


def _split(toolchain: str, value: str) -> list[str]:
    return msvc_split(value) if toolchain in ("msvc", "bcpp") else shlex.split(value)


@pytest.mark.parametrize("toolchain", TOOLCHAINS)
@pytest.mark.parametrize("name", SAMPLES + [f"{name}-free-threaded" for name in FREE_THREADED_SAMPLES])
def test_every_command_parses_back_into_its_arguments(sample, name, toolchain, capsys):
    name, free_threaded, _ = name.partition("-free-threaded")
    text, _ = generate(sample(name), toolchain, FREE_THREADED if free_threaded else TARGETS)
    edges = _edge_variables(text)
    assert edges
    for output, rule, variables in edges:
        for key in ("args", "rsp_args", "rsp_tail", "rspfile_content", "post_args"):
            if variables.get(key) == "":  # only where it hides the file's value of it
                assert re.search(rf"^{key} = ", text, re.M), (output, key)
            elif key in variables:
                words = _split(toolchain, variables[key])
                assert words and all(words), (output, key, words)
                if toolchain in ("msvc", "bcpp"):
                    assert msvc_join(words) == variables[key]  # quoting is canonical: nothing lost or added


def test_msvc_options_and_exports(sample, capsys):
    text, _ = generate(sample("multi"), "msvc")
    edges = {out: (rule, v) for out, rule, v in _edge_variables(text)}
    rule, v = edges["src/shapes/_area.cp312-win_amd64.pyd"]
    args = msvc_split(v["args"])
    assert rule == "link_dll"
    assert args[:6] == ["/nologo", "/INCREMENTAL:NO", "/LTCG", "/DLL", "/MANIFEST:EMBED,ID=2", "/MANIFESTUAC:NO"]
    assert "/LIBPATH:C:\\Python312\\libs" in args and "/EXPORT:PyInit__area" in args
    assert "geom.lib" in args and "m.lib" not in args  # libm is part of the C runtime on Windows
    assert v["implib"] == "build/src/shapes/_area.cp312-win_amd64.lib"  # the build folder's copy of the module's
    compile_rule, c = edges[next(o for o in edges if re.fullmatch(r"build/src/shapes/_area\.[0-9a-f]{6}\.obj", o))]
    assert msvc_split(c["args"])[:7] == ["/c", "/nologo", "/O2", "/W3", "/GL", "/DNDEBUG", "/MD"]
    assert '/DSHAPES_UNITS="cm"' in msvc_split(c["args"]) and "/USHAPES_DEBUG" in msvc_split(c["args"])


def test_bcpp_link_line_has_the_comma_separated_fields(sample, capsys):
    text, files = generate(sample("hello"), "bcpp")
    (_, rule, v), = [e for e in _edge_variables(text) if e[1] == "link"]
    words = msvc_split(v["rsp_args"])
    fields, current = [], []
    for word in words:
        if word in (",", ",,"):
            fields.append(current)
            current = []
            if word == ",,":
                fields.append([])
        else:
            current.append(word)
    fields.append(current)
    objects, output, map_file, libraries, def_file, resources = fields
    assert objects[:4] == ["/Tpd", "/Gn", "/q", "/x"] and "c0d32" in objects
    assert output == ["hello.cp312-win_amd64.pyd"] and map_file == [] and resources == []
    assert libraries == ["python312", "import32", "cw32mt"]
    (def_path,) = def_file
    assert "\\" in def_path and "/" not in def_path  # Borland's tools want backslashes
    assert files[def_path.replace("\\", "/")] == "EXPORTS\n  PyInit_hello=_PyInit_hello\n"


def test_msvc_quoting_of_awkward_values(tmp_path, capsys):
    (tmp_path / "m.c").write_text("")
    value = 'say "hi" \\ back\\slash\\ '
    result = configure(str(tmp_path), target=WINDOWS, compiler="msvc", environ=ENVIRONMENT, dry_run=True,
                       extensions=[Extension("m", ["m.c"], define_macros=[("V", value)], include_dirs=["my dir\\"])])
    (edge,) = [e for e in result.compiler.graph.edges.values() if e.rule == "cc"]
    args = msvc_split(dict(edge.variables)["args"])
    assert f"/DV={value}" in args and "/Imy dir\\" in args



@pytest.mark.parametrize("toolchain,define,python_lib", [
    ("msvc", "/DPy_GIL_DISABLED=1", None),  # pyconfig.h's #pragma names python313t.lib
    ("mingw32", "-DPy_GIL_DISABLED=1", "-lpython313t"),
    ("bcpp", "-DPy_GIL_DISABLED=1", "python313t"),
    ("cygwin", None, "-lpython3.13t"),  # its pyconfig.h, made by configure, defines the macro
    ("unix", None, None),
])
def test_free_threaded_targets_define_the_macro_where_pyconfig_does_not(sample, toolchain, define, python_lib, capsys):
    text, _ = generate(sample("multi"), toolchain, FREE_THREADED)
    edges = _edge_variables(text)
    compiles = [_split(toolchain, v["args"]) for _, rule, v in edges if rule in ("cc", "cxx")]
    response_files = _response_files(text)
    links = [_split(toolchain, v["rsp_args"] if toolchain in ("msvc", "bcpp") else response_files[out])
             + _split(toolchain, v.get("args", "")) for out, rule, v in edges if rule.startswith("link")]
    assert len(compiles) == 3 and len(links) == 2  # a static library and two modules
    for words in compiles:
        assert [w for w in words if "Py_GIL_DISABLED" in w] == ([define] if define else [])
    for words in links:
        assert [w for w in words if w.removeprefix("-l").startswith("python3")] == ([python_lib] if python_lib else [])


# ------------------------------------------------------------------ a macOS target
# The unix compiler for a macOS Python: its own golden files (<sample>-macos.ninja),
# and run paths that dyld understands.
MACOS_SAMPLES = ["hello", "shared"]


@pytest.mark.parametrize("name", MACOS_SAMPLES)
def test_golden_build_ninja_for_macos(sample, name, capsys):
    text, _ = generate(sample(name), "unix", target=MACOS)
    check_golden(text, GOLDEN / "unix" / f"{name}-macos.ninja")


def test_macos_run_paths_name_the_loader_path(sample, capsys):
    project = sample("shared")
    text, _ = generate(project, "unix", target=MACOS)
    bump = shlex.split(_response_files(text)["src/counter/_bump.cpython-312-darwin.so"])
    assert "-Wl,-rpath,@loader_path" in bump
    assert "$ORIGIN" not in text
    linux, _ = generate(project, "unix")
    assert "-Wl,--enable-new-dtags,-R$$ORIGIN" in linux and "@loader_path" not in linux


def test_a_macos_shared_library_is_a_dylib_found_through_rpath(sample, capsys):
    text, _ = generate(sample("shared"), "unix", target=MACOS)
    edges = {out: (rule, v) for out, rule, v in _edge_variables(text)}
    rule, library = edges["src/counter/libcounter_core.dylib"]
    assert rule == "link_so"
    assert shlex.split(library["ldshared"]) == ["clang", "-dynamiclib", "-undefined", "dynamic_lookup"]
    assert shlex.split(library["post_args"]) == ["-install_name", "@rpath/libcounter_core.dylib"]
    # the modules (bundles) relink when the library changes
    assert "build src/counter/_bump.cpython-312-darwin.so: link_so build/src/counter/_bump.bde3d5.o" \
           " | src/counter/libcounter_core.dylib" in [_expand(line, _file_variables(text)) for line in text.splitlines()]
