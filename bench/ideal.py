"""The "ideal ninja": the smallest build.ninja a person would write by hand for the workload.

One compile rule and one link rule, every flag in a top-level variable, no
per-statement variables, no response files, no regeneration: the same compile
and link commands as ninjagen (sysconfig's CC CFLAGS CCSHARED / LDSHARED, gcc
depfiles), so a difference in build time is the generator's, not the flags'.

Usage: ``python bench/ideal.py PROJECT`` (reads PROJECT/pyproject.toml), or
``write(project, modules)`` from bench/run.py.
"""

from __future__ import annotations

import os
import shlex
import sys
import sysconfig


def write(project: str, modules: list[tuple[str, list[str]]], include_dirs: list[str] = ("include",)) -> int:
    """Write PROJECT/build.ninja for (dotted name, sources) pairs; return its size."""
    var = sysconfig.get_config_var
    includes = [*include_dirs, sysconfig.get_paths()["include"]]
    lines = [
        f"cc = {var('CC')} {var('CFLAGS')} {var('CCSHARED')}",
        "cflags = " + " ".join("-I" + shlex.quote(d) for d in includes),
        f"ldshared = {var('LDSHARED')}",
        "rule cc",
        "  command = $cc -MMD -MF $out.d $cflags -c $in -o $out",
        "  depfile = $out.d",
        "  deps = gcc",
        "rule link",
        "  command = $ldshared $in -o $out",
    ]
    for name, sources in modules:
        objects = []
        for src in sources:
            obj = "build/" + os.path.splitext(src)[0] + ".o"
            lines.append(f"build {obj}: cc {src}")
            objects.append(obj)
        so = name.replace(".", "/") + var("EXT_SUFFIX")
        lines.append(f"build {so}: link {' '.join(objects)}")
    text = "\n".join(lines) + "\n"
    with open(os.path.join(project, "build.ninja"), "w", encoding="utf-8") as f:
        f.write(text)
    return len(text.encode())


if __name__ == "__main__":
    try:
        import tomllib
    except ImportError:  # Python < 3.11
        import tomli as tomllib

    with open(os.path.join(sys.argv[1], "pyproject.toml"), "rb") as f:
        exts = tomllib.load(f)["tool"]["ninjagen"]["ext-modules"]
    write(sys.argv[1], [(e["name"], e["sources"]) for e in exts])
