"""Huge inputs: 5,000 sources and a 200,000-character link line, 1,000 include folders, 10,000 sources."""

from __future__ import annotations

import json
import subprocess

import pytest

from cmodule import c_module
from conftest import configure, ninja, planned, run_python, write

from ninjagen import Extension
from ninjagen.compilers.unix import response_file_content
from ninjagen.configure import configure as configure_api

pytestmark = pytest.mark.slow  # thousands of sources, real long builds

MODULE = c_module("huge", {"count": "PyLong_FromLong(NSOURCES)"})

# A compiler wrapper that keeps 5,000 compiles fast: it hands module.c to the real
# gcc and answers every other source with a copy of a real (empty) gcc object.
FAST_CC = r"""
#include <stdio.h>
#include <string.h>
#include <unistd.h>
int main(int argc, char **argv) {
    const char *out = 0, *dep = 0, *src = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-o") && i + 1 < argc) out = argv[++i];
        else if (!strcmp(argv[i], "-MF") && i + 1 < argc) dep = argv[++i];
        else if (!strcmp(argv[i], "-c") && i + 1 < argc) src = argv[++i];
    }
    if (src && strstr(src, "module.c")) { argv[0] = "gcc"; execvp("gcc", argv); return 127; }
    FILE *in = fopen(EMPTY_OBJECT, "rb"), *o = fopen(out, "wb");
    char buf[65536]; size_t n;
    if (!in || !o) return 1;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0) fwrite(buf, 1, n, o);
    fclose(in); fclose(o);
    FILE *d = fopen(dep, "w");
    if (!d) return 1;
    fclose(d);
    return 0;
}
"""


@pytest.fixture(scope="module")
def fast_cc(tmp_path_factory):
    tools = tmp_path_factory.mktemp("tools")
    write(tools / "empty.c", "static int unused;\n")
    subprocess.run(["gcc", "-fPIC", "-c", str(tools / "empty.c"), "-o", str(tools / "empty.o")], check=True)
    write(tools / "fast_cc.c", FAST_CC)
    subprocess.run(["gcc", f'-DEMPTY_OBJECT="{tools / "empty.o"}"', str(tools / "fast_cc.c"),
                    "-o", str(tools / "fast_cc")], check=True)
    return tools / "fast_cc"


def test_five_thousand_sources_link_through_a_response_file(tmp_path, fast_cc, monkeypatch):
    project = tmp_path / "p"
    long_dir = "a_rather_long_folder_name_so_that_the_link_line_grows_past_the_limits_of_any_command_line"
    sources = [f"{long_dir}/part_{i:04d}.c" for i in range(4999)]
    for src in sources:
        write(project / src, "")
    write(project / "module.c", MODULE)
    monkeypatch.setenv("CC", str(fast_cc))
    monkeypatch.setenv("LDSHARED", "gcc -shared")  # CC would otherwise replace the link driver too
    result = configure_api(str(project), extensions=[
        Extension("huge", ["module.c", *sources], define_macros=[("NSOURCES", "5000")])])
    link = next(e for e in result.compiler.graph.edges.values() if e.rule == "link_so")
    assert len(link.inputs) == 5000
    assert len(response_file_content(link)) > 200_000
    ninja(project)
    assert run_python(project, "import huge; print(huge.count())").strip() == "5000"
    assert planned(project) == []


def test_a_thousand_include_folders(tmp_path):
    project = tmp_path / "p"
    include_dirs = [f"inc/dir_{i:04d}" for i in range(1000)]
    for d in include_dirs:
        (project / d).mkdir(parents=True)
    write(project / include_dirs[-1] / "deep.h", "#define DEEP 999\n")
    write(project / "module.c", c_module("huge", {"count": "PyLong_FromLong(DEEP)"}, prelude='#include "deep.h"'))
    configure_api(str(project), extensions=[Extension("huge", ["module.c"], include_dirs=include_dirs)])
    (entry,) = json.loads((project / "compile_commands.json").read_text())
    assert entry["command"].count(" -Iinc/dir_") == 1000
    ninja(project)
    assert run_python(project, "import huge; print(huge.count())").strip() == "999"


def test_ten_thousand_sources_configure(tmp_path):
    project = tmp_path / "p"
    tables = []
    for m in range(500):
        sources = [f"pkg/m{m}/s{s}.c" for s in range(20)]
        for src in sources:
            write(project / src, "")
        tables.append(f'{{ name = "pkg.m{m}", sources = {json.dumps(sources)} }}')
    write(project / "pyproject.toml", "[tool.ninjagen]\next-modules = [\n" + ",\n".join(tables) + "\n]\n")
    configure(project)
    assert len(json.loads((project / "compile_commands.json").read_text())) == 10_000
    targets = ninja(project, "-t", "targets", "all").stdout
    assert targets.count(".o: cc") == 10_000 and targets.count(": link_so") == 500
