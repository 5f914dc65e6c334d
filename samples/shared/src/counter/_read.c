#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "counter_core.h"

static PyObject *read_counter(PyObject *self, PyObject *noargs)
{
    return PyLong_FromLong(counter_read());
}

static PyObject *state_address(PyObject *self, PyObject *noargs)
{
    return PyLong_FromVoidPtr((void *)counter_state_address());
}

static PyMethodDef methods[] = {
    {"read", read_counter, METH_NOARGS, "The shared counter's value."},
    {"state_address", state_address, METH_NOARGS, "Where the shared counter lives."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_read", NULL, -1, methods};

PyMODINIT_FUNC PyInit__read(void)
{
    return PyModule_Create(&module);
}
