"""A compiler cache shared by checkouts in different folders: what ninjagen adds to compile commands for it.

Compile commands name files relative to the project folder, so two checkouts
give the same commands; what remains is gcc's line naming the working folder in
its preprocessed output with ``-g``, which ``-fno-working-directory`` (added
behind a caching launcher, where a probe finds the compiler writes it) leaves
out.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from cache_servers import clean_cache_env
from conftest import configure
from devloop import need
from targets import CYGWIN, LINUX, WINDOWS

from ninjagen import configure as configure_api
from ninjagen.compilers import customize_compiler, new_compiler
from ninjagen.probe import CACHE_NAME

FLAG = "-fno-working-directory"


def _variables(text: str) -> dict[str, str]:
    return dict(line.split(" = ", 1) for line in text.splitlines() if " = " in line and not line.startswith(" "))


def _compile_commands(project: Path) -> list[str]:
    return [e["command"] for e in json.loads((project / "compile_commands.json").read_text())]


def _unix_compiler(tmp_path: Path, launcher: list[str], target=LINUX, compiler=None, environ=None):
    cc = new_compiler(compiler=compiler, target=target)
    customize_compiler(cc, environ or {})
    cc.set_launcher(launcher)
    cc.build_dir = str(tmp_path / "build")
    cc.share_cache_across_folders()
    return cc


# ------------------------------------------------------------------ the flag, and who gets it
def test_gcc_behind_a_cache_gets_the_flag_and_without_one_nothing_changes(tmp_path):
    need("gcc")
    for launcher in (["ccache"], ["sccache"], ["/opt/bin/buildcache"]):
        cc = _unix_compiler(tmp_path, launcher)
        for key in ("compiler", "compiler_so", "compiler_cxx", "compiler_so_cxx"):
            assert cc.commands[key][-1] == FLAG, (launcher, key)
        assert all(FLAG not in cc.commands[key] for key in ("preprocessor", "linker_so", "linker_exe"))
    plain = _unix_compiler(tmp_path, []).commands
    for launcher in (["distcc"], ["icecc"]):
        assert _unix_compiler(tmp_path, launcher).commands == plain
    assert not any(FLAG in words for words in plain.values())


def test_a_cache_inside_cc_gets_it_on_that_language_only(tmp_path):
    need("gcc")
    cc = _unix_compiler(tmp_path, [], environ={"CC": "ccache gcc"})
    assert cc.commands["compiler_so"][:2] == ["ccache", "gcc"] and cc.commands["compiler_so"][-1] == FLAG
    assert FLAG not in cc.commands["compiler_so_cxx"]  # g++ compiles without a cache


def test_clang_writes_no_folder_line_and_gets_no_flag(tmp_path):
    need("clang")
    need("clang++")
    cc = _unix_compiler(tmp_path, ["sccache"], environ={"CC": "clang", "CXX": "clang++"})
    assert not any(FLAG in words for words in cc.commands.values())


def test_the_answer_is_asked_once_and_kept_in_the_build_folder(sample, monkeypatch):
    need("sccache")
    clean_cache_env(monkeypatch)
    project = sample("multi")
    configure(project, "--launcher", "sccache")
    assert _variables((project / "build.ninja").read_text())["cc"].endswith(" " + FLAG)
    probes = project / "build" / CACHE_NAME
    answers = json.loads(probes.read_text())
    assert sorted(answers.values()) == [True, True]  # gcc and g++
    probes.write_text(json.dumps(dict.fromkeys(answers, False)))  # a cached answer is not asked again
    configure(project, "--launcher", "sccache")
    assert FLAG not in (project / "build.ninja").read_text()
    configure(project)  # no launcher: the compile commands as setuptools has them
    assert not any(FLAG in c for c in _compile_commands(project))


def test_mingw32_inherits_it_cygwin_asks_its_own_gcc_and_msvc_is_untouched(sample, tmp_path):
    need("x86_64-w64-mingw32-gcc")
    cc = _unix_compiler(tmp_path, ["sccache"], target=WINDOWS, compiler="mingw32")
    assert cc.commands["compiler_so"][0] == "x86_64-w64-mingw32-gcc" and cc.commands["compiler_so"][-1] == FLAG
    cc = _unix_compiler(tmp_path, ["sccache"], target=CYGWIN, compiler="cygwin")
    if subprocess.run(cc.commands["compiler_so"] + ["-E", "-x", "c", os.devnull], capture_output=True).returncode:
        assert not any(FLAG in words for words in cc.commands.values())  # its gcc is not here: nothing is guessed
    project = sample("hello")
    text = configure_api(str(project), target=WINDOWS, compiler="msvc", dry_run=True, launcher="sccache",
                         environ={"NINJAGEN_MSVC_DEPS_PREFIX": "Note: including file:"}).text
    assert "$launcher $cl" in text and FLAG not in text


def test_the_flag_leaves_the_object_of_a_compile_from_source_alone(tmp_path):
    gcc = need("gcc")
    source = tmp_path / "m.c"
    source.write_text('#include <stdio.h>\nint f(int x) { printf("%s\\n", __FILE__); return x + 1; }\n')
    objects = []
    for extra in ([], [FLAG]):
        obj = tmp_path / f"m{len(objects)}.o"
        # -gno-record-gcc-switches: the flags gcc records as DW_AT_producer would differ by the flag itself
        subprocess.run([gcc, "-g", "-gno-record-gcc-switches", "-O2", "-fPIC", *extra, "-c", "m.c", "-o", obj.name],
                       cwd=tmp_path, check=True)
        objects.append(obj.read_bytes())
    assert objects[0] == objects[1]
    assert str(tmp_path).encode() in objects[1]  # the working folder is still the object's DW_AT_comp_dir
