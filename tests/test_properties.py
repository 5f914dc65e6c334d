"""Property tests: nasty macro values, include dirs, paths and arguments reach the tools byte for byte.

Text is drawn from printable Unicode weighted towards what quoting layers trip
over (space, ``$``, ``:``, ``#``, quotes, backslashes, ``%!&;*?~``, ``$$``,
``${x}``, ``$(x)``, backticks, option look-alikes, non-ASCII, leading and
trailing blanks).  Each property builds for real where it can:

P1  compile() arguments -> build.ninja -> real ninja -> /bin/sh -> a recorder program: argv exact;
    the file's build line, variables and ``ninja -t compdb`` command parsed back (shlex.split).
P2  a C string literal macro and an include folder -> real gcc preprocessor through ninja.
P3  ``_rsp_quote`` -> a response file -> real gcc's ``@file`` reader (line breaks allowed there).
P4  msvc_join -> msvc_split (and an independent reading of the C runtime rules) is the identity.
P5  ninja_path-escaped paths -> a hand-written build.ninja -> real ninja: exact files, then a no-op.
P6  a line break anywhere, or '|' in a path: ConfigError, and nothing written.
P7  a tab in an output path (ninja's log is tab-separated): refused, naming the tab; other text
    in its place builds incrementally (both happen, counted).
P8  odd source paths and include folders with the real gcc in a compile statement: exactly those
    that gcc's depfile cannot carry are refused, naming the character; every other one compiles the
    right file, records the header in ninja's deps log, and is a no-op the second run.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from typing import Iterator, Optional

import pytest
from hypothesis import HealthCheck, Phase, assume, event, given, settings
from hypothesis import strategies as st

from ninjagen.compilers.unix import _DEPFILE_UNSAFE
from ninjagen import ConfigError, Extension, Target, configure, customize_compiler, new_compiler
from ninjagen.compilers.unix import _rsp_quote
from ninjagen.quoting import msvc_join, msvc_split, ninja_path
from ninjagen.runner import ninja_binary

# --------------------------------------------------------------------------- settings

SETTINGS = dict(
    max_examples=500,
    deadline=None,
    database=None,  # leave nothing behind in the working tree
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],  # no slow "explain" after a failure
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.filter_too_much],
)
NINJA = ninja_binary()
TARGET = Target.current()  # the Python built for: the running one, described once
SUBPROCESS_TIMEOUT = 30

# --------------------------------------------------------------------------- strategies

#: whole tokens that quoting layers trip over, drawn far more often than random characters
TOKENS = [
    " ", "  ", "\t", "$", "$$", "$$$", "${x}", "$(x)", "$x", "$HOME", "$ ", "$:", "$\t", "$@", "$1",
    "`", "`id`", "$(id)", "'", '"', "'\"'", "\"'\"", "''", '""', "\\", "\\\\", '\\"', "\\'", "\\$", "\\ ",
    "\\\t", "\\n", "#", "#x", ":", ":=", "%", "%%", "%PATH%", "!", "!!", "&", "&&", ";", "*", "?", "*?",
    "[!a]", "[a-z]", "~", "~root", "|", "||", "(", ")", "{", "}", "{a,b}", "<", ">", ">>", "2>&1", "=",
    ",", "^", "@", "@x", "-", "--", "-o", "-c", "-I", "-D", "-U", "-MF", "-E", "--help", "/", "./", "..",
    "ü", "é", "ß", "Ω", "日本", "😀", "\u00a0", "\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1b", "\x7f",
    "\u200b", "\u202e", "e\u0301", "\ufeff", "a", "b", "x.c", "build", "a b", "$out", "$in",
]
#: the C string escapes and decoding text in P2/P3 also meets NUL and line breaks
C_TOKENS = TOKENS + ["\n", "\r", "\r\n", "\x00", "\\0", "\\x41", "??/", "??=", "*/", "/*", "//"]
LINE_BREAKS = ("\n", "\r")


_PLACEHOLDER = 0xF0000  # multi-character tokens travel as private-use characters, expanded afterwards
#: whole values that quoting layers trip over
WHOLE = ["-", "--", "-o", "-c", "$$", "${x}", "$(x)", "`x`", "'\"'", "\\\"", " ", " - ", "--opt=x y", "-Dx",
         "@file", " a", "a ", "\\", "'", '"', "$", "a b", "~", "#"]


def _text(exclude: str = "", tokens: list[str] = TOKENS, min_size: int = 0, max_size: int = 10,
          allow_lines: bool = False) -> st.SearchStrategy[str]:
    """Random text weighted towards quoting troublemakers; never a character of *exclude*.

    Mostly runs of tokens (one ``st.text`` draw, which is fast: a token longer
    than one character travels as a private-use placeholder character and is
    expanded afterwards), else tokens around any UTF-8 character, else only
    arbitrary characters, else one of a few whole troublesome values.
    """
    banned = set(exclude) | {"\x00"} | (set() if allow_lines else set(LINE_BREAKS))
    if "\x00" in tokens and allow_lines:
        banned.discard("\x00")
    toks = [t for t in tokens if not set(t) & banned]
    expand = {chr(_PLACEHOLDER + i): t for i, t in enumerate(t for t in toks if len(t) > 1)}
    alphabet = "".join([t for t in toks if len(t) == 1] + list(expand))
    char = st.characters(codec="utf-8", exclude_characters="".join(banned))
    runs = st.text(alphabet, min_size=min_size, max_size=max_size)
    mixed = st.tuples(st.text(alphabet, max_size=4), char, st.text(alphabet, max_size=4)).map("".join)
    anything = st.text(char, min_size=max(min_size, 1), max_size=4)
    whole = st.sampled_from([w for w in WHOLE + [""] if not set(w) & banned and len(w) >= min_size])
    return st.one_of(runs, runs, mixed, anything, whole).map(lambda s: "".join(expand.get(c, c) for c in s))


def _component(exclude: str = "", allow_lines: bool = False, max_bytes: int = 100) -> st.SearchStrategy[str]:
    """One valid file-name component: no '/' or NUL, not '.' or '..', at most *max_bytes* in UTF-8."""
    return _text(exclude + "/", min_size=1, allow_lines=allow_lines).filter(
        lambda c: c not in ("", ".", "..") and len(c.encode("utf-8")) <= max_bytes)


def _relpath(exclude: str = "", allow_lines: bool = False, max_parts: int = 3) -> st.SearchStrategy[str]:
    return st.lists(_component(exclude, allow_lines), min_size=1, max_size=max_parts).map("/".join)


def _source(exclude: str = "", allow_lines: bool = False) -> st.SearchStrategy[str]:
    """A relative path of a C source: random folders, a random stem (not only dots), '.c'."""
    stem = _component(exclude, allow_lines, max_bytes=98).filter(lambda s: s.strip("."))
    dirs = st.lists(_component(exclude, allow_lines), max_size=2)
    return st.tuples(dirs, stem).map(lambda t: "/".join(t[0] + [t[1] + ".c"]))


def _not_an_option(path: str) -> bool:
    """gcc reads a bare word starting with '-' as an option and one starting with '@' as a response file."""
    return path != "-" and not path.startswith(("-", "@"))


def _absolute_if_option(path: str) -> str:
    return os.path.abspath(path) if not _not_an_option(path) else path


def _plain_include_dir(path: str) -> bool:
    """gcc reads ``-I-`` as an obsolete option and ``-I=dir`` / ``-I$SYSROOT/dir`` as relative to the sysroot."""
    # and "-I|" makes gcc's driver run "-imultiarch" as a program (its specs language): gcc's own quirk
    return path not in ("-", "|") and not path.startswith(("=", "$SYSROOT"))


_IDENT_START = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_"
MACRO_NAME = st.tuples(st.text(_IDENT_START, min_size=1, max_size=1),
                       st.text(_IDENT_START + "0123456789", max_size=8)).map("".join)
#: ninja paths cannot hold '|' (ninjagen refuses it: see P6) nor line breaks, and ninja's
#: .ninja_log is tab-separated, so ninjagen refuses tabs in paths too (see P7)
PATH_EXCLUDE = "|\t"
OUTPUT_EXCLUDE = PATH_EXCLUDE


def _depfile_safe(path: str) -> bool:
    """What the unix compiler accepts in sources and include folders (see P8 for the rest)."""
    return not _DEPFILE_UNSAFE.search(path)


def _macro() -> st.SearchStrategy[tuple]:
    return st.one_of(
        st.tuples(MACRO_NAME, _text()),
        st.tuples(MACRO_NAME, st.none()),
        st.tuples(MACRO_NAME),
    )


# --------------------------------------------------------------------------- helpers

def _clash(files: list[str]) -> bool:
    """Whether these relative file paths cannot all exist at once (a file is another's folder)."""
    norm = [os.path.normpath(f) for f in files]
    if len(set(norm)) != len(norm):
        return True
    known = set(norm)
    for f in norm:
        parts = f.split("/")
        if any("/".join(parts[:i]) in known for i in range(1, len(parts))):
            return True
    return False


@contextmanager
def _example_dir(root: str) -> Iterator[str]:
    """A fresh folder under *root*, the working directory while the example runs, then removed."""
    previous = os.getcwd()
    path = tempfile.mkdtemp(dir=root)
    os.chdir(path)
    try:
        yield path
    finally:
        os.chdir(previous)
        shutil.rmtree(path, ignore_errors=True)


def _write(path: str, data: bytes) -> None:
    parent = os.path.dirname(path)
    if parent:
        os.makedirs(parent, exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def _run(args: list[str], cwd: str = ".") -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, capture_output=True, timeout=SUBPROCESS_TIMEOUT)


def _ninja_ok(cwd: str = ".") -> str:
    proc = _run([NINJA], cwd)
    assert proc.returncode == 0, (proc.stdout + proc.stderr).decode("utf-8", "replace")
    return proc.stdout.decode("utf-8", "replace")


_NAME = re.compile(r"[A-Za-z0-9_-]+")  # a ninja variable's name: $name ends where these characters do


def _ninja_unescape(text: str, scope: Optional[dict[str, str]] = None) -> str:
    """The value of an escaped ninja text: ``$$``, ``$ ``, ``$:``, and ``$name`` / ``${name}`` looked up in
    *scope* (the file's variables: build.ninja writes what statements share once)."""
    out, i = [], 0
    while i < len(text):
        if text[i] != "$":
            out.append(text[i])
            i += 1
            continue
        assert i + 1 < len(text), f"a lone $ in {text!r}"
        nxt = text[i + 1]
        if nxt in "$ :":
            out.append(nxt)
            i += 2
            continue
        braced = nxt == "{"
        match = _NAME.match(text, i + 2 if braced else i + 1)
        assert match and scope is not None and match.group() in scope, f"unexpected ninja escape in {text!r}"
        out.append(scope[match.group()])
        i = match.end() + (1 if braced else 0)
    return "".join(out)


def _ninja_build_line(line: str, scope: dict[str, str]) -> tuple[list[str], str, list[str]]:
    """(outputs, rule, inputs) of a ``build`` line, paths unescaped and the file's variables expanded."""
    assert line.startswith("build ")
    text = line[len("build "):]
    tokens: list[str] = []
    outputs: Optional[list[str]] = None
    cur: list[str] = []
    i = 0

    def flush() -> None:
        if cur:
            tokens.append("".join(cur))
            cur.clear()

    while i < len(text):
        ch = text[i]
        if ch == "$":
            if text[i + 1] in "$ :":
                cur.append(text[i + 1])
                i += 2
                continue
            braced = text[i + 1] == "{"
            match = _NAME.match(text, i + 2 if braced else i + 1)
            assert match and match.group() in scope, f"unexpected ninja escape in {line!r}"
            cur.append(scope[match.group()])
            i = match.end() + (1 if braced else 0)
            continue
        if ch == " ":
            flush()
        elif ch == ":" and outputs is None:
            flush()
            outputs, tokens = tokens, []
        else:
            cur.append(ch)
        i += 1
    flush()
    assert outputs is not None, line
    return outputs, tokens[0], tokens[1:]


def _file_variables(ninja_text: str) -> dict[str, str]:
    """The file's own variables (unindented ``name = value`` lines), each evaluated in the scope before it."""
    scope: dict[str, str] = {}
    for line in ninja_text.split("\n"):
        if not line or line[0] in " #" or line.split(" ", 1)[0] in ("build", "rule", "pool", "default",
                                                                     "include", "subninja"):
            continue
        name, sep, value = line.partition(" = ")
        if sep or line.endswith(" ="):
            scope[name.rstrip(" =")] = _ninja_unescape(value, scope)
    return scope


def _edge_variables(ninja_text: str) -> dict[str, str]:
    """The (unescaped) variables that the single build statement in *ninja_text* sees: the file's, then its own."""
    scope = _file_variables(ninja_text)
    lines = ninja_text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("build "))
    variables = dict(scope)
    for line in lines[start + 1:]:
        if not line.startswith("  "):
            break
        name, sep, value = line[2:].partition(" = ")
        if not sep and line.endswith(" ="):
            name, sep, value = line[2:-2], " = ", ""
        assert sep, line
        variables[name] = _ninja_unescape(value, scope)
    return variables


def c_literal(text: str) -> str:
    """A C string literal for *text*: ``\\`` and ``"`` escaped, control characters as 3-digit octal."""
    out = ['"']
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append("\\%03o" % ord(ch))
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def c_literal_decode(literal: str) -> str:
    """The inverse of :func:`c_literal`; fails loudly on anything c_literal does not produce."""
    assert len(literal) >= 2 and literal[0] == literal[-1] == '"', literal
    body, out, i = literal[1:-1], [], 0
    while i < len(body):
        ch = body[i]
        if ch == "\\":
            nxt = body[i + 1]
            if nxt in '\\"':
                out.append(nxt)
                i += 2
            else:
                digits = body[i + 1:i + 4]
                assert len(digits) == 3 and all(d in "01234567" for d in digits), literal
                out.append(chr(int(digits, 8)))
                i += 4
        else:
            assert ch != '"', literal
            out.append(ch)
            i += 1
    return "".join(out)


# --------------------------------------------------------------------------- fixtures

@pytest.fixture
def scratch(tmp_path) -> Iterator[str]:
    """One root folder per test for its examples: on a tmpfs when there is one (examples create and
    remove thousands of small files; on a disk that is most of the run time), else pytest's tmp_path."""
    shm = "/dev/shm"
    if os.path.isdir(shm) and os.access(shm, os.W_OK):
        root = tempfile.mkdtemp(prefix="ninjagen-props-", dir=shm)
        try:
            yield root
        finally:
            shutil.rmtree(root, ignore_errors=True)
    else:
        yield str(tmp_path)


RECORDER_C = r"""
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Record argv for the property tests.  The output is found through the first
   "-MF" (the rule's own, which comes before any user argument): its value is
   "$out.d", so the object "$out" is that value without ".d".  The object gets
   argv, each argument followed by a NUL; the depfile is created empty (ninja's
   deps = gcc reads it). */
int main(int argc, char **argv) {
    const char *dep = NULL;
    for (int i = 1; i + 1 < argc; i++) {
        if (strcmp(argv[i], "-MF") == 0) { dep = argv[i + 1]; break; }
    }
    if (dep == NULL) { fputs("recorder: no -MF\n", stderr); return 2; }
    size_t n = strlen(dep);
    if (n < 3 || strcmp(dep + n - 2, ".d") != 0) { fputs("recorder: -MF value without .d\n", stderr); return 3; }
    FILE *f = fopen(dep, "wb");
    if (f == NULL) { perror(dep); return 4; }
    fclose(f);
    char *out = malloc(n - 1);
    memcpy(out, dep, n - 2);
    out[n - 2] = '\0';
    f = fopen(out, "wb");
    if (f == NULL) { perror(out); return 5; }
    for (int i = 0; i < argc; i++) fwrite(argv[i], 1, strlen(argv[i]) + 1, f);
    return fclose(f) == 0 ? 0 : 6;
}
"""


@pytest.fixture(scope="module")
def recorder(tmp_path_factory) -> str:
    cc = shutil.which("cc")
    if cc is None:
        pytest.skip("no C compiler (cc) on PATH")
    d = tmp_path_factory.mktemp("recorder")
    (d / "recorder.c").write_text(RECORDER_C)
    exe = str(d / "recorder")
    proc = _run([cc, "-O1", "-o", exe, str(d / "recorder.c")])
    assert proc.returncode == 0, proc.stderr.decode()
    return exe


@pytest.fixture(scope="module")
def gcc_preprocessor() -> list[str]:
    cc = new_compiler(target=TARGET)
    customize_compiler(cc)
    cpp = cc.command("preprocessor")
    if shutil.which(cpp[0]) is None:
        pytest.skip(f"{cpp[0]} not on PATH")
    probe = _run([cpp[0], "--version"])
    if b"gcc" not in probe.stdout.lower() and b"free software foundation" not in probe.stdout.lower():
        pytest.skip(f"{cpp[0]} is not gcc")
    return cpp


# --------------------------------------------------------------------------- P1

@pytest.mark.slow
@settings(**SETTINGS)
@given(
    src=_source(OUTPUT_EXCLUDE).filter(_depfile_safe),  # the object's path repeats the source's
    output_dir=st.one_of(st.just(""), _relpath(OUTPUT_EXCLUDE)),
    build_dir=st.one_of(st.just("b"), _relpath(PATH_EXCLUDE)),
    macros=st.lists(_macro(), max_size=4),
    include_dirs=st.lists(_text().filter(_depfile_safe), max_size=3),
    extra_preargs=st.lists(_text(), max_size=3),
    extra_postargs=st.lists(_text(), max_size=3),
    compiler_macro=st.one_of(st.none(), st.tuples(MACRO_NAME, st.one_of(st.none(), _text()))),
    compiler_include=st.one_of(st.none(), _text().filter(_depfile_safe)),
    debug=st.booleans(),
    # the compiler itself: a link to the recorder under a random name, with random words of its own,
    # set as a list of words or as one string (which set_executables splits as sh would)
    compiler_name=_component(),
    compiler_words=st.lists(_text().filter(lambda w: w != "-MF"), max_size=2),
    compiler_as_string=st.booleans(),
)
def test_p1_compile_arguments_reach_the_compiler_exactly(
        recorder, scratch, src, output_dir, build_dir, macros, include_dirs, extra_preargs, extra_postargs,
        compiler_macro, compiler_include, debug, compiler_name, compiler_words, compiler_as_string):
    obj = (output_dir + "/" if output_dir else "") + src[:-2] + ".o"
    log, deps = build_dir + "/.ninja_log", build_dir + "/.ninja_deps"
    assume(not _clash(["build.ninja", log, deps, compiler_name, src, obj, obj + ".d"]))

    with _example_dir(scratch) as here:
        # distutils' order: the call's macros then the compiler's, -D/-U; then -I, the call's then the
        # compiler's (a folder gcc would take for an option or a response file made absolute)
        all_macros = list(macros) + ([compiler_macro] if compiler_macro else [])
        pp_opts = [f"-U{m[0]}" if len(m) == 1 else f"-D{m[0]}" if m[1] is None else f"-D{m[0]}={m[1]}"
                   for m in all_macros]
        pp_opts += [f"-I{_absolute_if_option(d)}"
                    for d in include_dirs + ([compiler_include] if compiler_include is not None else [])]
        args = extra_preargs + (["-g"] if debug else []) + pp_opts
        # a path gcc would read as an option or a response file reaches it made absolute (ninjagen's choice)
        given_src, src, obj = src, _absolute_if_option(src), _absolute_if_option(obj)
        compiler = [os.path.join(here, compiler_name), *compiler_words]
        os.symlink(recorder, compiler[0])
        expected = [*compiler, "-MMD", "-MF", obj + ".d", "-fdiagnostics-color=always", *args,
                    "-c", src, "-o", obj, *extra_postargs]
        _write(src, b"int x;\n")
        cc = new_compiler(target=TARGET)
        customize_compiler(cc)
        cc.set_executables(compiler_so=shlex.join(compiler) if compiler_as_string else compiler)
        if compiler_macro:
            cc.define_macro(*compiler_macro)
        if compiler_include is not None:
            cc.add_include_dir(compiler_include)
        objects = cc.compile([given_src], output_dir=output_dir, macros=macros, include_dirs=include_dirs,
                             debug=debug, extra_preargs=extra_preargs, extra_postargs=extra_postargs)
        assert objects == [obj]
        cc.write_ninja("build.ninja", build_dir=build_dir)

        # the generated file, read back: paths unescaped by ninja's rules, words by sh's
        with open("build.ninja", encoding="utf-8", newline="") as f:
            text = f.read()
        lines = text.split("\n")
        scope = _file_variables(text)
        assert _ninja_build_line(next(line for line in lines if line.startswith("build ")), scope) == ([obj], "cc", [src])
        assert shlex.split(_ninja_unescape(next(line for line in lines if line.startswith("cc = "))[5:])) == compiler
        assert _ninja_unescape(next(line for line in lines if line.startswith("builddir = "))[11:]) == build_dir
        variables = _edge_variables(text)
        assert shlex.split(variables.get("args", "")) == args
        assert shlex.split(variables.get("post_args", "")) == extra_postargs

        # the whole command as ninja expands it (what compile_commands.json holds), split as sh would
        proc = _run([NINJA, "-t", "compdb", "cc"])
        assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
        [entry] = json.loads(proc.stdout)
        assert shlex.split(entry["command"]) == expected

        # and for real: ninja -> /bin/sh -> the recorder
        _ninja_ok()
        with open(obj, "rb") as f:
            recorded = f.read()
        assert recorded.endswith(b"\0")
        assert recorded[:-1].split(b"\0") == [a.encode("utf-8") for a in expected]
        assert os.path.isfile(log) and os.path.isfile(deps)  # ninja's logs went to the build folder given
        # (that a second run has nothing to do is checked by P5, P7 and P8, with real depfiles in P8)


# --------------------------------------------------------------------------- P2

HEADER = "ninjagen_prop.h"


@pytest.mark.slow
@settings(**SETTINGS)
@given(
    text=_text(tokens=C_TOKENS, allow_lines=True, max_size=10),
    src=_source(PATH_EXCLUDE).filter(_not_an_option),
    out=_relpath(OUTPUT_EXCLUDE).filter(_not_an_option),
    include_dir=_relpath().filter(_plain_include_dir),  # an argument, not a ninja path: '|' is fine
    extra=st.lists(st.tuples(MACRO_NAME.map(lambda n: "X" + n), _text()), max_size=2),
)
def test_p2_string_macro_reaches_the_gcc_preprocessor_exactly(
        gcc_preprocessor, scratch, text, src, out, include_dir, extra):
    """A macro holding a C string literal of random text, and an include folder of a random name, through ninja."""
    assume(not _clash(["build.ninja", "b/.ninja_log", src, out, include_dir + "/" + HEADER]))
    literal = c_literal(text)
    with _example_dir(scratch):
        _write(src, f'#include "{HEADER}"\nM HIT\n'.encode())
        _write(include_dir + "/" + HEADER, b"#define HIT hit\n")
        cc = new_compiler(target=TARGET)
        customize_compiler(cc)
        # unused macros with raw random values ride along: they must not disturb anything
        macros = [(name, value) for name, value in extra
                  if not any(bad in value for bad in ('"', "'", "/*"))]  # gcc errors on those, unquoted
        cc.preprocess(src, output_file=out, macros=[("M", literal)] + macros, include_dirs=[include_dir])
        cc.write_ninja("build.ninja", build_dir="b")
        _ninja_ok()
        with open(out, "rb") as f:
            produced = f.read().decode("utf-8")
    lines = [line for line in produced.split("\n") if line.strip() and not line.startswith("#")]
    assert lines == [literal + " hit"]
    assert c_literal_decode(lines[0][:-len(" hit")]) == text


# --------------------------------------------------------------------------- P3

@pytest.mark.slow
@settings(**SETTINGS)
@given(
    text=_text(tokens=C_TOKENS, allow_lines=True, max_size=10),
    text2=_text(tokens=C_TOKENS, allow_lines=True, max_size=6),
    src=_source(allow_lines=True).filter(_not_an_option),
    # (the gcc driver's spec language reads an argument that is exactly "|" as a pipe between commands)
    out=_relpath(allow_lines=True).filter(lambda p: _not_an_option(p) and p != "|"),
    include_dir=_relpath(allow_lines=True).filter(_plain_include_dir),
)
def test_p3_gcc_response_files_read_back_rsp_quote(gcc_preprocessor, scratch, text, text2, src, out, include_dir):
    """``_rsp_quote`` round-trips through libiberty's @file reader (line breaks allowed: the toolchain takes them)."""
    rsp = "args.rsp"
    assume(not _clash([rsp, src, out, include_dir + "/" + HEADER]))
    literal, literal2 = c_literal(text), c_literal(text2)
    args = [f"-DM={literal}", f"-DN={literal2}", f"-I{include_dir}", src, "-o", out]
    with _example_dir(scratch):
        _write(src, f'#include "{HEADER}"\nM HIT N\n'.encode())
        _write(include_dir + "/" + HEADER, b"#define HIT hit\n")
        if os.path.dirname(out):
            os.makedirs(os.path.dirname(out), exist_ok=True)  # gcc makes no folders (ninja does)
        _write(rsp, " ".join(_rsp_quote(a) for a in args).encode("utf-8"))
        proc = _run([*gcc_preprocessor, "-P", "@" + rsp])
        assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
        assert os.path.isfile(out)
        with open(out, "rb") as f:
            produced = f.read().decode("utf-8")
    assert produced.strip("\n") == f"{literal} hit {literal2}"
    assert c_literal_decode(literal) == text and c_literal_decode(literal2) == text2


# --------------------------------------------------------------------------- P4

def _crt_split(line: str) -> list[str]:
    """An independent reading of the MSVC C runtime rules (UCRT, post-2008), for arguments after argv[0].

    Written as a scanner over runs: a run of backslashes is literal unless a
    double quote follows; 2n backslashes + quote give n backslashes and a
    delimiter, 2n+1 give n backslashes and a literal quote; inside quotes a
    doubled quote is a literal quote.
    """
    args: list[str] = []
    word: Optional[list[str]] = None
    quoted = False
    pos = 0
    while pos < len(line):
        ch = line[pos]
        if ch == "\\":
            end = pos
            while end < len(line) and line[end] == "\\":
                end += 1
            run = end - pos
            word = word if word is not None else []
            if end < len(line) and line[end] == '"':
                word.append("\\" * (run // 2))
                if run % 2:
                    word.append('"')
                    pos = end + 1
                else:
                    pos = end  # the quote is handled as a delimiter below
            else:
                word.append("\\" * run)
                pos = end
            continue
        if ch == '"':
            word = word if word is not None else []
            if quoted and line[pos + 1:pos + 2] == '"':
                word.append('"')
                pos += 2
            else:
                quoted = not quoted
                pos += 1
            continue
        if ch in " \t" and not quoted:
            if word is not None:
                args.append("".join(word))
                word = None
            pos += 1
            continue
        word = word if word is not None else []
        word.append(ch)
        pos += 1
    if word is not None:
        args.append("".join(word))
    return args


#: what the C runtime's rules are about (blanks, quotes, backslashes) and a few others, as one
#: string so that st.text draws from it fast; runs of backslashes and quotes come by themselves
MSVC_CHARS = ' \t"\\' * 3 + "a\x0b\u3000\u00a0ü$%^&|'-/:"
MSVC_ARG = st.one_of(
    st.text(MSVC_CHARS, max_size=10),
    st.text(MSVC_CHARS, max_size=10),
    st.text(st.characters(codec="utf-8", exclude_characters="\x00\n\r"), max_size=4),
    st.sampled_from(["", '"', "\\", '\\"', "C:\\Program Files\\", "\\\\server\\share\\", '""', '" "', "a\\\\"]),
)


@settings(**{**SETTINGS, "max_examples": 2000})
@given(args=st.lists(MSVC_ARG, max_size=6))
def test_p4_msvc_join_then_split_gives_the_arguments_back(args):
    line = msvc_join(args)
    assert msvc_split(line) == args
    assert _crt_split(line) == args  # an independent reading of the same rules
    assert msvc_split(subprocess.list2cmdline(args)) == args  # the splitter agrees with CPython's quoting


# --------------------------------------------------------------------------- P5

@pytest.mark.slow
@settings(**SETTINGS)
@given(pairs=st.lists(st.tuples(_relpath(PATH_EXCLUDE), _relpath(OUTPUT_EXCLUDE)), min_size=1, max_size=2))
def test_p5_ninja_paths_reach_the_file_system_exactly(scratch, pairs):
    files = ["build.ninja", ".ninja_log"] + [p for pair in pairs for p in pair]
    assume(not _clash(files))
    with _example_dir(scratch):
        lines = ["rule cp", "  command = cp -- $in $out", ""]
        for src, dst in pairs:
            _write(src, src.encode("utf-8"))
            lines.append(f"build {ninja_path(dst)}: cp {ninja_path(src)}")
        _write("build.ninja", ("\n".join(lines) + "\n").encode("utf-8"))
        _ninja_ok()
        for src, dst in pairs:
            parent, name = os.path.split(dst)
            assert name in os.listdir(parent or ".")
            with open(dst, "rb") as f:
                assert f.read() == src.encode("utf-8")
        assert "no work to do" in _ninja_ok()


# --------------------------------------------------------------------------- P6

def _with_line_break(strategy: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.tuples(strategy, st.sampled_from(["\n", "\r", "\r\n", "\n\n"]), strategy).map("".join)


FIELDS = ("macro value", "include dir", "source path", "output dir", "extra prearg", "extra postarg",
          "compiler macro value", "compiler include dir")


@settings(**SETTINGS)
@given(
    field=st.sampled_from(FIELDS),
    bad=_with_line_break(_text(PATH_EXCLUDE + "/")),
    src=_source(PATH_EXCLUDE).filter(_depfile_safe),
    pipe_in=st.sampled_from(["", "source path", "output dir"]),
    pipe_text=st.tuples(_component(), _component()).map(lambda t: t[0] + "|" + t[1]),
)
def test_p6_line_breaks_and_pipes_are_refused_clearly(scratch, field, bad, src, pipe_in, pipe_text):
    """A line break anywhere (or '|' in a path) raises ConfigError, and no build.ninja is written."""
    kwargs: dict = dict(output_dir="obj", macros=[("OK", "1")], include_dirs=["inc"],
                        extra_preargs=["-O1"], extra_postargs=["-w"])
    if field == "macro value":
        kwargs["macros"] = [("OK", "1"), ("BAD", bad)]
    elif field == "include dir":
        kwargs["include_dirs"] = ["inc", bad]
    elif field == "source path":
        src = bad.replace("/", "_") + ".c"
    elif field == "output dir":
        kwargs["output_dir"] = bad
    elif field == "extra prearg":
        kwargs["extra_preargs"] = ["-O1", bad]
    elif field == "extra postarg":
        kwargs["extra_postargs"] = [bad, "-w"]
    if pipe_in == "source path":
        src = pipe_text.replace("/", "_") + ".c"
    elif pipe_in == "output dir":
        kwargs["output_dir"] = pipe_text
    with _example_dir(scratch) as d:
        cc = new_compiler(target=TARGET)
        customize_compiler(cc)
        if field == "compiler macro value":
            cc.define_macro("BAD", bad)
        elif field == "compiler include dir":
            cc.add_include_dir(bad)
        with pytest.raises(ConfigError) as info:
            cc.compile([src], **kwargs)
            cc.write_ninja("build.ninja", build_dir="b")
        assert os.listdir(d) == []  # no build.ninja, and no temporary left behind
    message = str(info.value)
    assert "line break" in message or (pipe_in and "'|'" in message)


@settings(**SETTINGS)
@given(
    field=st.sampled_from(["define_macros", "include_dirs", "sources", "extra_compile_args", "depends"]),
    bad=_with_line_break(_text(PATH_EXCLUDE + "/")),
    pipe_src=st.tuples(_component(), _component()).map(lambda t: t[0].replace("/", "_") + "|" + t[1] + ".c"),
)
def test_p6_configure_refuses_line_breaks_and_pipes(scratch, field, bad, pipe_src):
    """The same for ``configure``: an Extension with a line break, and a source with '|', are refused."""
    with pytest.raises(ConfigError) as info:
        value = [("BAD", bad)] if field == "define_macros" else [bad]
        Extension("m", **{"sources": ["m.c"], field: value})
    assert "line break" in str(info.value)

    with _example_dir(scratch) as d:
        _write(pipe_src, b"int x;\n")
        with pytest.raises(ConfigError) as info:
            configure(d, extensions=[Extension("m", [pipe_src])], build_dir="b")
        assert "'|'" in str(info.value)
        assert not os.path.exists("build.ninja") and not os.path.exists("compile_commands.json")


# --------------------------------------------------------------------------- P7

#: text for the parts of P7's paths around the separator: no tab, nothing the unix compiler refuses
_P7_TEXT = _text(OUTPUT_EXCLUDE + "/", max_size=3).filter(_depfile_safe)


@pytest.mark.slow
def test_p7_a_tab_in_an_output_path_is_refused_and_its_neighbours_work_incrementally(recorder, scratch):
    """ninja's .ninja_log is tab-separated, so an output path with a tab is never found there again.

    ninjagen refuses such a path with a ConfigError that names the tab, and writes
    nothing; the same paths with other blanks (or other text) where the tab was
    build, and the second run has no work.  Both outcomes must occur.
    """
    outcomes = {"refused": 0, "works": 0}

    @settings(**SETTINGS)
    @given(
        dirs=st.lists(_component(OUTPUT_EXCLUDE).filter(_depfile_safe), max_size=2),
        before=_P7_TEXT,
        between=st.one_of(st.sampled_from(["\t", "\t\t", " \t ", "$\t"]),
                          st.sampled_from([" ", "  ", "\u00a0", "\u3000", "\\t", "t"]), _P7_TEXT),
        after=_P7_TEXT,
    )
    def check(dirs, before, between, after):
        src = "/".join(dirs + [before + between + after + ".c"])
        assume("\t" in between or _depfile_safe(src))  # joined parts can make '\\$' (refused: see P8)
        assume(src.split("/")[-1] != ".c" and not _clash(["build.ninja", "b/.ninja_log", "b/.ninja_deps", src]))
        with _example_dir(scratch):
            _write(src, b"int x;\n")
            cc = new_compiler(target=TARGET)
            customize_compiler(cc)
            cc.set_executables(compiler_so=[recorder])
            if "\t" in between:
                with pytest.raises(ConfigError) as info:
                    cc.compile([src], output_dir="obj")
                    cc.write_ninja("build.ninja", build_dir="b")
                message = str(info.value)  # names the path (made absolute if gcc would read it as an option)
                assert "contains a tab" in message and repr(src)[1:] + " contains" in message
                assert not os.path.exists("build.ninja")
                outcome = "refused"
            else:
                cc.compile([src], output_dir="obj")
                cc.write_ninja("build.ninja", build_dir="b")
                _ninja_ok()
                assert "no work to do" in _ninja_ok()
                outcome = "works"
        outcomes[outcome] += 1
        event(outcome)

    check()
    assert outcomes["refused"] and outcomes["works"], outcomes


# --------------------------------------------------------------------------- P8

def _deps(obj: str) -> list[str]:
    """The header dependencies that ninja recorded for *obj* (``ninja -t deps``)."""
    proc = _run([NINJA, "-t", "deps", obj])
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    lines = proc.stdout.decode("utf-8").split("\n")
    return [line[4:] for line in lines[1:] if line.startswith("    ")]


def _p8_refusal(src: str, include_dir: str) -> Optional[tuple[str, list[str]]]:
    """What P8 must refuse: (which path, the characters gcc's depfile cannot carry), or None.

    Written from the depfile format, not from ninjagen: control characters (tab
    included), what gcc does not escape (``* ; < > ^ ` |``), and a backslash
    before ``$`` or ``:``.  The source is checked first.
    """
    for what, path in (("source", src), ("include folder", include_dir)):
        unsafe = re.findall(r"[*;<>^`|\x00-\x09\x0b\x0c\x0e-\x1f\x7f]|\\[$:]", path)
        if unsafe:
            return what, unsafe
    return None


@pytest.mark.slow
@settings(**SETTINGS)
@given(
    src=st.one_of(_source(OUTPUT_EXCLUDE),
                  st.tuples(st.sampled_from(["-", "@", "--", "-x", "@@"]), _source(OUTPUT_EXCLUDE)).map("".join)),
    output_dir=st.one_of(st.just(""), _relpath(OUTPUT_EXCLUDE)),
    include_dir=_relpath().filter(_plain_include_dir),
)
def test_p8_real_gcc_compiles_odd_paths_incrementally_or_refuses_them(gcc_preprocessor, scratch, src, output_dir,
                                                                       include_dir):
    """The real gcc in a compile statement: a source path or include folder that gcc's depfile
    cannot carry (see _p8_refusal) is a ConfigError naming the character, with nothing written;
    every other one gives a build that compiles the right file, records the header that gcc
    read in ninja's deps log (from gcc's depfile), and is a no-op the second time.

    (The compiler runs with -E, which keeps the depfile and the argument handling of a compile
    and costs less; the "object" is then preprocessed text that shows which files were read.)
    """
    obj = (output_dir + "/" if output_dir else "") + src[:-2] + ".o"
    header = include_dir + "/" + HEADER
    decoy = src[1:] if src.startswith("@") else "decoy"  # what gcc would read as a response file
    assume(not _clash(["build.ninja", "b/.ninja_log", "b/.ninja_deps", src, obj, obj + ".d", header, decoy]))
    with _example_dir(scratch):
        _write(src, f'#include "{HEADER}"\nint m = M + HIT;\n'.encode())
        _write(header, b"#define HIT 2\n")
        _write(decoy, b"-DM=3 -DHIT=4\n")
        # a path gcc would read as an option or a response file reaches it made absolute (ninjagen's choice)
        given_src, src, obj = src, _absolute_if_option(src), _absolute_if_option(obj)
        cc = new_compiler(target=TARGET)
        customize_compiler(cc)
        cc.set_executables(compiler_so=[gcc_preprocessor[0], "-E"])
        refusal = _p8_refusal(given_src, include_dir)
        event("refused" if refusal else "works")
        if refusal:
            what, unsafe = refusal
            with pytest.raises(ConfigError) as info:
                cc.compile([given_src], output_dir=output_dir, macros=[("M", "1")], include_dirs=[include_dir])
                cc.write_ninja("build.ninja", build_dir="b")
            message = str(info.value)
            assert message.startswith(what + " ") and " contains " in message, message
            named = message.split(" contains ", 1)[1].split(",", 1)[0]  # the character it names
            assert named in {"a tab" if c == "\t" else repr(c) for c in unsafe}, message
            assert not os.path.exists("build.ninja")
            return
        cc.compile([given_src], output_dir=output_dir, macros=[("M", "1")], include_dirs=[include_dir])
        cc.write_ninja("build.ninja", build_dir="b")
        proc = _run([NINJA])
        assert proc.returncode == 0, (proc.stdout + proc.stderr).decode("utf-8", "replace")
        with open(obj, "rb") as f:
            code = [line for line in f.read().decode("utf-8").split("\n") if line.strip() and line[0] != "#"]
        assert code == ["int m = 1 + 2;"]
        assert sorted(_deps(obj)) == sorted([src, _absolute_if_option(include_dir) + "/" + HEADER])
        assert "no work to do" in _ninja_ok()
