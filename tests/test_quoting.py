"""ninjagen.quoting: exact strings, round trips, and proofs through sh and the real ninja."""

from __future__ import annotations

import itertools
import shlex
import subprocess

import pytest

from ninjagen.errors import ConfigError
from ninjagen.quoting import msvc_join, msvc_quote, msvc_split, ninja_path, ninja_text, sh_join, sh_quote
from ninjagen.runner import ninja_binary

#: arguments that break naive quoting, on one layer or another
NASTY = [
    "",
    " ",
    "plain",
    "two words",
    "  leading and trailing  ",
    "tab\there",
    "$HOME",
    "${HOME}",
    "$(echo pwned)",
    "`echo pwned`",
    "it's",
    "'",
    "''",
    '"',
    '"a b"',
    'FOO="a b"',
    "V=$HOME",
    "back\\slash",
    "trailing\\",
    "trailing\\\\",
    'quote\\"inside',
    '\\\\"',
    "semi;colon&amp|pipe",
    "glob*?[x]",
    "~user",
    "#comment",
    "a:b",
    "é ü 中文 🐍",
    "new\nline",
    "-",
    "--",
    "=",
]


def _run_ninja(cwd) -> subprocess.CompletedProcess:
    return subprocess.run([ninja_binary()], cwd=cwd, capture_output=True, text=True)


# ------------------------------------------------------------------- sh layer
@pytest.mark.parametrize(
    ("arg", "expected"),
    [
        ("gcc", "gcc"),
        ("-DFOO=1", "-DFOO=1"),
        ("-I/usr/include/python3.12", "-I/usr/include/python3.12"),
        ("@file,a:b%c+d", "@file,a:b%c+d"),
        ("", "''"),
        ("a b", "'a b'"),
        ("$HOME", "'$HOME'"),
        ("-DV=$HOME", "'-DV=$HOME'"),
        ('-DFOO="a b"', "'-DFOO=\"a b\"'"),
        ("it's", "'it'\"'\"'s'"),
        ("a\\b", "'a\\b'"),
        ("é", "'é'"),
        ("*", "'*'"),
    ],
)
def test_sh_quote_exact(arg, expected):
    assert sh_quote(arg) == expected


def test_sh_join_exact():
    assert sh_join(["cc", "-DV=a b", "$x", "", "-c"]) == "cc '-DV=a b' '$x' '' -c"


def test_sh_join_of_nothing_is_empty():
    assert sh_join([]) == ""


@pytest.mark.parametrize("arg", NASTY)
def test_sh_quote_round_trips_through_shlex(arg):
    assert shlex.split(sh_join(["x", arg, "y"])) == ["x", arg, "y"]


def test_sh_join_round_trips_through_real_sh():
    # printf repeats its format for every argument: NUL-separated, exactly as sh split them
    line = "printf '%s\\0' " + sh_join(NASTY)
    out = subprocess.run(["/bin/sh", "-c", line], capture_output=True, check=True).stdout
    assert out.decode("utf-8").split("\0")[:-1] == NASTY


# ----------------------------------------------------------------- MSVC layer
@pytest.mark.parametrize(
    ("arg", "expected"),
    [
        ("cl.exe", "cl.exe"),
        ("/DFOO=1", "/DFOO=1"),
        ("", '""'),
        ("a b", '"a b"'),
        ('a"b', '"a\\"b"'),
        # backslashes are literal unless a quote follows
        ("C:\\dir\\file.c", "C:\\dir\\file.c"),
        ("a\\\\b", "a\\\\b"),
        # n backslashes before a quote -> 2n+1 backslashes and the quote
        ('a\\"b', '"a\\\\\\"b"'),
        # a trailing backslash inside the closing quote is doubled
        ("C:\\Program Files\\", '"C:\\Program Files\\\\"'),
        ("tab\there", '"tab\there"'),
    ],
)
def test_msvc_quote_exact(arg, expected):
    assert msvc_quote(arg) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # the table "Results of parsing command lines" in Microsoft's
        # "Parsing C command-line arguments" documentation
        ('"a b c" d e', ["a b c", "d", "e"]),
        ('"ab\\"c" "\\\\" d', ['ab"c', "\\", "d"]),
        ('a\\\\\\b d"e f"g h', ["a\\\\\\b", "de fg", "h"]),
        ('a\\\\\\"b c d', ['a\\"b', "c", "d"]),
        ('a\\\\\\\\"b c" d e', ["a\\\\b c", "d", "e"]),
        ('a"b"" c d', ['ab" c d']),
        # and a few more
        ('""', [""]),
        ('a "" b', ["a", "", "b"]),
        ("  a\t\tb  ", ["a", "b"]),
        ("", []),
        ('"unterminated', ["unterminated"]),
        ("end\\", ["end\\"]),
    ],
)
def test_msvc_split_follows_the_crt_rules(line, expected):
    assert msvc_split(line) == expected


@pytest.mark.parametrize("arg", [a for a in NASTY if a])
def test_msvc_quote_round_trips_through_msvc_split(arg):
    assert msvc_split(msvc_join(["x", arg, "y"])) == ["x", arg, "y"]


def test_msvc_join_round_trips_empty_arguments():
    args = ["", "a", "", ""]
    assert msvc_split(msvc_join(args)) == args


def test_msvc_quote_round_trips_every_short_string_of_hard_characters():
    alphabet = ['a', ' ', '\\', '"', '\t']
    for length in range(0, 6):
        for chars in itertools.product(alphabet, repeat=length):
            arg = "".join(chars)
            assert msvc_split(msvc_join([arg, "z"])) == [arg, "z"], repr(arg)


# ------------------------------------------------------------------ ninja text
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain", "plain"),
        ("", ""),
        ("a$b", "a$$b"),
        ("$$", "$$$$"),
        ("-DV=$HOME", "-DV=$$HOME"),
        ("a b:c|d#e", "a b:c|d#e"),  # only $ is special in a value
        (" lead", "$ lead"),
        ("  two", "$  two"),
        ("$ x", "$$ x"),
        ("trail ", "trail "),
        ("é", "é"),
    ],
)
def test_ninja_text_exact(text, expected):
    assert ninja_text(text) == expected


@pytest.mark.parametrize("text", ["a\nb", "a\r\nb", "end\n", "a\rb"])
def test_ninja_text_rejects_line_breaks(text):
    with pytest.raises(ConfigError, match="args of x.o.*line break"):
        ninja_text(text, "args of x.o")


def test_ninja_text_values_reach_the_command_intact(tmp_path):
    # the two layers on POSIX: quote for sh, then escape for ninja
    values = ["V=$HOME", 'FOO="a b"', " lead", "trail ", "tab\tin", "é#:|", "$", "back\\slash", "it's"]
    lines = ["rule w", "  command = printf %s $v > $out", ""]
    for i, value in enumerate(values):
        lines += [f"build out{i}.txt: w", f"  v = {ninja_text(sh_quote(value))}"]
    (tmp_path / "build.ninja").write_text("\n".join(lines) + "\n", encoding="utf-8")
    proc = _run_ninja(tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for i, value in enumerate(values):
        assert (tmp_path / f"out{i}.txt").read_text(encoding="utf-8") == value


# ------------------------------------------------------------------ ninja paths
@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("src/a.c", "src/a.c"),
        ("a b.c", "a$ b.c"),
        ("a$b.c", "a$$b.c"),
        ("C:/x.c", "C$:/x.c"),
        ("$ :", "$$$ $:"),
        ("#x", "#x"),
        ("é/ü.c", "é/ü.c"),
    ],
)
def test_ninja_path_exact(path, expected):
    assert ninja_path(path) == expected


@pytest.mark.parametrize("path", ["a|b", "a||b", "|"])
def test_ninja_path_rejects_pipe(path):
    with pytest.raises(ConfigError, match=r"'\|'"):
        ninja_path(path)


@pytest.mark.parametrize("path", ["a\nb", "a\rb"])
def test_ninja_path_rejects_line_breaks(path):
    with pytest.raises(ConfigError, match="line break"):
        ninja_path(path)


NASTY_NAMES = [
    "with space.txt",
    "dollar$sign.txt",
    "$HOME.txt",
    "co:lon.txt",
    "#hash.txt",
    "mid#hash.txt",
    "ünïcödé 中文.txt",
    "all $ : # é.txt",
    "it's.txt",
    "dbl\"quote.txt",
]


@pytest.mark.parametrize("name", NASTY_NAMES)
def test_ninja_path_reaches_the_command_through_real_ninja(tmp_path, name):
    src_dir = tmp_path / "in dir $x"
    src_dir.mkdir()
    src = src_dir / name
    src.write_text("content of " + name, encoding="utf-8")
    out = "out " + name
    (tmp_path / "build.ninja").write_text(
        "rule cp\n"
        "  command = cp $in $out\n"
        f"build {ninja_path(out)}: cp {ninja_path('in dir $x/' + name)}\n",
        encoding="utf-8",
    )
    proc = _run_ninja(tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (tmp_path / out).read_text(encoding="utf-8") == "content of " + name
    # and ninja sees it as up to date: its notion of the path is the file's name
    again = _run_ninja(tmp_path)
    assert "no work to do" in again.stdout


def _write_cp_ninja(tmp_path, build_line: str) -> None:
    (tmp_path / "in").write_text("x", encoding="utf-8")
    (tmp_path / "build.ninja").write_text("rule cp\n  command = cp $in $out\n" + build_line + "\n")


def test_pipe_has_no_dollar_escape_in_ninja(tmp_path):
    # why ninja_path rejects '|': there is no escape for it ('$|' is a syntax error) ...
    _write_cp_ninja(tmp_path, "build a$|b: cp in")
    proc = _run_ninja(tmp_path)
    assert proc.returncode != 0
    assert "bad $-escape" in proc.stdout + proc.stderr


def test_unescaped_pipe_silently_splits_the_path(tmp_path):
    # ... and left alone it silently ends the path: 'a|b' is output 'a' plus implicit output 'b'
    _write_cp_ninja(tmp_path, "build a|b: cp in")
    proc = subprocess.run([ninja_binary(), "-t", "targets", "all"], cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert sorted(line.split(":")[0] for line in proc.stdout.splitlines()) == ["a", "b"]


def test_pipe_is_reachable_only_through_a_variable(tmp_path):
    # A path *can* hold '|' when it comes from a variable's expansion; ninjagen
    # does not emit that (a '|' in a source path is not worth the complexity),
    # so ninja_path refuses rather than write a build line that means something else.
    (tmp_path / "in").write_text("x", encoding="utf-8")
    (tmp_path / "build.ninja").write_text("pipe = |\nrule cp\n  command = cp $in $out\nbuild a${pipe}b: cp in\n")
    proc = _run_ninja(tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (tmp_path / "a|b").read_text() == "x"
