"""The compile and link commands of two builds of one project, compared: what setuptools spawned, what ninja ran.

- setuptools: what its ``CCompiler.spawn`` was given (``realworld/spawnlog/sitecustomize.py`` logs it for a
  real build; ``test_fidelity.py`` records it instead of running it);
- ninjagen: ``ninja -t compdb -x`` over the compile, link and archive rules (response files expanded).

Both sides are made comparable by rewriting only what differs by construction,
each rewrite named in :data:`REWRITES`; every other word must be the same, in
the same order.  Commands are matched by what they write (``-o``, or the
archive), so setuptools' configure-time checks (``has_function``, ``try_compile``:
outputs in a temporary folder or ``_configtest``) are left out, and an object
that setuptools compiles once per module with the same command (lz4's bundled
sources) counts once, as ninja compiles it.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil

#: what is rewritten before comparing, and why it differs
REWRITES = [
    "the command is named by its path: distutils' spawn looks its first word up in PATH and runs that path, "
    "ninja's shell looks up the same word in the same PATH",
    "the project folder (two unpacked copies) is left out of every word",
    "paths of sources, objects, archives and modules are normalized: distutils keeps a source's './', ninja does not",
    "object folders: setuptools' build/temp.<platform>/ and ninjagen's build/ are both <temp>/, and the tag of the "
    "compile settings in ninjagen's object names (build/src/a.<tag>.o) is left out",
    "a module is named by its file name: setuptools links it in build/lib.<platform>/ and copies it in place, "
    "ninjagen links it in place",
    "ninjagen's additions, said at configure time: -MMD -MF <depfile>, -fdiagnostics-color=always, "
    "'rm -f <archive> &&' before ar",
    "words a build_ext's _compile wrapper puts between -c and the source come before -c in ninja's command "
    "(said at configure time: ninjagen: note: ... before -c)",
    "a .pyx is translated by ninja into build/cython/ rather than beside itself, so its C is compiled from there "
    "with the .pyx's folder as the first -I",
]

NINJA_RULES = ["cc", "cxx", "link_so", "link_so_cxx", "link_exe", "link_exe_cxx", "ar"]
_TEMP = re.compile(r"build/temp\.[^/]+/")
_TAGGED_OBJECT = re.compile(r"^build/(.+)\.[0-9a-f]{6}(?:[0-9a-f]{4})?(\.(?:o|obj))$")
_LIB = re.compile(r"build/lib\.[^/]+/")
_TRANSLATED = re.compile(r"build/(cython|swig)/")
_MODULE = re.compile(r"\.(so|pyd|dylib)$")
_BUILT = re.compile(r"\.(o|obj|a|lib|so|pyd|dylib|c|cc|cpp|cxx|C|m|mm)$")


def _word(word: str, root: str) -> str:
    word = word.replace(root.rstrip("/") + "/", "")
    if _BUILT.search(word) and not word.startswith("-"):
        word = os.path.normpath(word)
    word = _TAGGED_OBJECT.sub(r"<temp>/\1\2", _TEMP.sub("<temp>/", _LIB.sub("", word)))
    if _MODULE.search(word) and not word.startswith("-"):
        word = os.path.basename(word)
    return _TRANSLATED.sub("", word)


def _resolved(argv: tuple[str, ...]) -> tuple[str, ...]:
    return (shutil.which(argv[0]) or argv[0],) + argv[1:] if argv else argv


def _output(argv: list[str]) -> str | None:
    if "-o" in argv[:-1]:
        return argv[argv.index("-o") + 1]
    if argv and os.path.basename(argv[0]).endswith("ar") and len(argv) > 2:
        return argv[2]  # ar rcs <archive> <objects>
    return None


def _without_ninjagens_own(argv: list[str]) -> list[str]:
    out, skip = [], False
    for word in argv:
        if skip:
            skip = False
        elif word == "-MF":
            skip = True
        elif word not in ("-MMD", "-fdiagnostics-color=always"):
            out.append(word)
    return out


def _without_translation_include(argv: list[str], source: str) -> list[str]:
    """Drop the -I of the .pyx's folder that ninjagen puts first for C it translated into build/cython/."""
    if not _TRANSLATED.match(source):
        return argv
    folder = "-I" + (os.path.dirname(_TRANSLATED.sub("", source, count=1)) or ".")
    if folder in argv:
        i = argv.index(folder)
        return argv[:i] + argv[i + 1:]
    return argv


def _words_after_dash_c_first(argv: list[str]) -> list[str]:
    """``... -c -std=c99 src -o obj`` as ninja runs it: ``... -std=c99 -c src -o obj``."""
    if "-c" in argv and "-o" in argv[argv.index("-c"):]:
        at = argv.index("-c")
        out = argv.index("-o", at)
        if out > at + 2:
            return argv[:at] + argv[at + 1:out - 1] + ["-c"] + argv[out - 1:]
    return argv


def setuptools_commands(spawned: list[dict], root: str) -> dict[str, set[tuple[str, ...]]]:
    """Output -> the normalized commands that wrote it, from ``{"argv": [...], "cwd": ...}`` entries."""
    commands: dict[str, set[tuple[str, ...]]] = {}
    for entry in spawned:
        argv = _words_after_dash_c_first(list(entry["argv"]))
        output = _output(argv)
        if output is None:
            continue
        absolute = os.path.join(entry["cwd"], output)
        if not absolute.startswith(root.rstrip("/") + "/") or "_configtest" in output:
            continue  # a configure-time check (has_function, try_compile), not part of the build
        commands.setdefault(_word(output, root), set()).add(_resolved(tuple(_word(w, root) for w in argv)))
    return commands


def read_spawn_log(path: str) -> list[dict]:
    """The JSON lines realworld/spawnlog/sitecustomize.py wrote (none when the file is missing)."""
    try:
        with open(path, encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]
    except OSError:
        return []


def ninja_commands(compdb: list[dict], root: str) -> dict[str, set[tuple[str, ...]]]:
    """Output -> the normalized commands that wrote it, from ``ninja -t compdb -x`` of those rules."""
    commands: dict[str, set[tuple[str, ...]]] = {}
    for entry in compdb:
        words = shlex.split(entry["command"])
        parts: list[list[str]] = [[]]
        for w in words:  # "rm -f lib.a && ar rcs lib.a ..." -> two commands
            parts.append([]) if w == "&&" else parts[-1].append(w)
        for argv in parts:
            if not argv or argv[:2] == ["rm", "-f"]:
                continue
            argv = _without_translation_include(_without_ninjagens_own(argv), entry.get("file", ""))
            output = _output(argv)
            if output is not None:
                commands.setdefault(_word(output, root), set()).add(_resolved(tuple(_word(w, root) for w in argv)))
    return commands


def compare(theirs: dict[str, set[tuple[str, ...]]], ours: dict[str, set[tuple[str, ...]]]) -> dict:
    """Counts, and a line per output whose commands differ (or that one side lacks)."""
    differences = []
    for output in sorted(set(theirs) | set(ours)):
        a, b = theirs.get(output, set()), ours.get(output, set())
        if a == b:
            continue
        if not a:
            differences.append(f"{output}: only ninja writes it: {' '.join(sorted(b)[0])}")
        elif not b:
            differences.append(f"{output}: only setuptools writes it: {' '.join(sorted(a)[0])}")
        else:
            differences.append(f"{output}:\n  setuptools: " + "\n  setuptools: ".join(" ".join(c) for c in sorted(a))
                               + "\n  ninja:      " + "\n  ninja:      ".join(" ".join(c) for c in sorted(b)))
    links = sum(1 for o in ours if _MODULE.search(o) or o.endswith(".a"))
    return {"outputs": len(ours), "links": links, "compiles": len(ours) - links, "identical": not differences,
            "differences": differences}
