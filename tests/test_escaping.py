"""Strange paths and macro values reach the compiler byte for byte, through the real ninja and sh."""

from __future__ import annotations

import json

from conftest import configure, ninja, planned, run_python, write

# a C string literal, and a bare token sequence that the module stringifies
QUOTED = "a  b $HOME $(x) `y` 'q' ü # : ; & | * ? ~ % ! \\\\ \\\" end"
RAW = "$HOME a:b#c ${x} $$ ü"

MODULE = r"""
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "odd header $1.h"
#define STR(x) #x
#define XSTR(x) STR(x)
static PyObject *quoted(PyObject *self, PyObject *noargs) { return PyUnicode_FromString(QUOTED); }
static PyObject *raw(PyObject *self, PyObject *noargs) { return PyUnicode_FromString(XSTR(RAW)); }
static PyObject *header(PyObject *self, PyObject *noargs) { return PyLong_FromLong(ODD_HEADER); }
static PyMethodDef methods[] = {
    {"quoted", quoted, METH_NOARGS, NULL},
    {"raw", raw, METH_NOARGS, NULL},
    {"header", header, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "oddity", NULL, -1, methods};
PyMODINIT_FUNC PyInit_oddity(void) { return PyModule_Create(&def); }
"""


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
