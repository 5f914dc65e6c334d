"""Strange paths and macro values reach the compiler byte for byte, through the real ninja and sh."""

from __future__ import annotations

import json

from cmodule import c_module
from conftest import configure, ninja, planned, run_python, write

# a C string literal, and a bare token sequence that the module stringifies
QUOTED = "a  b $HOME $(x) `y` 'q' ü # : ; & | * ? ~ % ! \\\\ \\\" end"
RAW = "$HOME a:b#c ${x} $$ ü"

MODULE = c_module("oddity", {
    "quoted": "PyUnicode_FromString(QUOTED)",
    "raw": "PyUnicode_FromString(XSTR(RAW))",
    "header": "PyLong_FromLong(ODD_HEADER)",
}, prelude='#include "odd header $1.h"\n#define STR(x) #x\n#define XSTR(x) STR(x)\n')


def _toml_string(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def test_odd_paths_and_macro_values_survive(tmp_path):
    project = tmp_path / "pro ject $x 'q' ü#1"
    source = "src dir/we ir$d:#ü.c"
    include = "inc $dir ü"
    write(project / source, MODULE)
    write(project / include / "odd header $1.h", "#define ODD_HEADER 42\n")
    write(project / "pyproject.toml", f"""
[tool.ninjagen]
[[tool.ninjagen.ext-modules]]
name = "oddity"
sources = [{_toml_string(source)}]
include-dirs = [{_toml_string(include)}]
define-macros = [["QUOTED", {_toml_string('"' + QUOTED + '"')}], ["RAW", {_toml_string(RAW)}]]
""")
    configure(project)
    ninja(project)
    out = run_python(project, "import oddity; print(repr((oddity.quoted(), oddity.raw(), oddity.header())))")
    expected_quoted = QUOTED.replace("\\\\", "\\").replace('\\"', '"')
    assert out.strip() == repr((expected_quoted, RAW, 42))
    assert planned(project) == []

    # header tracking works through the odd names too
    (project / include / "odd header $1.h").write_text("#define ODD_HEADER 43\n")
    assert any(d.startswith("CC ") for d in planned(project))
    ninja(project)
    assert "43" in run_python(project, "import oddity; print(oddity.header())")
