#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "helpers.h"

static PyObject *scaled(PyObject *self, PyObject *arg)
{
    long x = PyLong_AsLong(arg);
    if (x == -1 && PyErr_Occurred())
        return NULL;
    return PyLong_FromLong(helpers_offset(x * LEGACY_SCALE));
}

static PyMethodDef methods[] = {{"scaled", scaled, METH_O, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_native", NULL, -1, methods};

PyMODINIT_FUNC PyInit__native(void)
{
    return PyModule_Create(&module);
}
