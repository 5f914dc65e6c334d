#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "counter_core.h"

static PyObject *bump(PyObject *self, PyObject *args)
{
    long by = 1;
    if (!PyArg_ParseTuple(args, "|l", &by))
        return NULL;
    return PyLong_FromLong(counter_bump(by));
}

static PyObject *state_address(PyObject *self, PyObject *noargs)
{
    return PyLong_FromVoidPtr((void *)counter_state_address());
}

static PyMethodDef methods[] = {
    {"bump", bump, METH_VARARGS, "Add to the shared counter; return its new value."},
    {"state_address", state_address, METH_NOARGS, "Where the shared counter lives."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_bump", NULL, -1, methods};

PyMODINIT_FUNC PyInit__bump(void)
{
    return PyModule_Create(&module);
}
