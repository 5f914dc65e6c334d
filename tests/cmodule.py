"""The C source of small extension modules, written as what they expose rather than as boilerplate."""

from __future__ import annotations

from collections.abc import Mapping


def c_module(name: str, functions: Mapping[str, str] | None = None, prelude: str = "", *,
             long_functions: Mapping[str, str] | None = None, constants: Mapping[str, str] | None = None) -> str:
    """The C source of an extension module *name* (dotted or not; its init is PyInit_<last part>).

    functions: Python-visible name -> C expression (a PyObject *) that a METH_NOARGS function returns.
    long_functions: the same for METH_O functions of one int, converted to `long x` before the expression.
    constants: module attribute -> C expression (a long) set with PyModule_AddIntConstant.
    prelude: C text (includes, declarations, helpers) placed after Python.h, before the functions.
    """
    functions, long_functions, constants = functions or {}, long_functions or {}, constants or {}
    if set(functions) & set(long_functions):
        raise ValueError(f"defined twice: {sorted(set(functions) & set(long_functions))}")
    lines = ["#define PY_SSIZE_T_CLEAN", "#include <Python.h>", *([prelude.rstrip("\n")] if prelude else [])]
    table = []
    for py_name, expr in functions.items():
        lines.append(f"static PyObject *fn_{py_name}(PyObject *self, PyObject *noargs) {{ return {expr}; }}")
        table.append(f'    {{"{py_name}", fn_{py_name}, METH_NOARGS, NULL}},')
    for py_name, expr in long_functions.items():
        lines += [f"static PyObject *fn_{py_name}(PyObject *self, PyObject *arg) {{",
                  "    long x = PyLong_AsLong(arg);",
                  "    if (x == -1 && PyErr_Occurred()) return NULL;",
                  f"    return {expr};",
                  "}"]
        table.append(f'    {{"{py_name}", fn_{py_name}, METH_O, NULL}},')
    lines += ["static PyMethodDef methods[] = {", *table, "    {NULL, NULL, 0, NULL},", "};",
              f'static struct PyModuleDef def = {{PyModuleDef_HEAD_INIT, "{name}", NULL, -1, methods}};',
              f"PyMODINIT_FUNC PyInit_{name.rpartition('.')[2]}(void) {{",
              "    PyObject *m = PyModule_Create(&def);"]
    for attr, expr in constants.items():
        lines.append(f'    if (m && PyModule_AddIntConstant(m, "{attr}", {expr}) < 0) {{ Py_DECREF(m); return NULL; }}')
    lines += ["    return m;", "}"]
    return "\n".join(lines) + "\n"
