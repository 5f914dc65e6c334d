/* Minimal single-file C extension module for the ninjagen "hello" sample. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <limits.h>

static PyObject *
hello_greet(PyObject *self, PyObject *args)
{
    const char *name;

    if (!PyArg_ParseTuple(args, "s:greet", &name))
        return NULL;
    return PyUnicode_FromFormat("Hello, %s!", name);
}

static PyObject *
hello_add(PyObject *self, PyObject *args)
{
    long a, b;

    if (!PyArg_ParseTuple(args, "ll:add", &a, &b))
        return NULL;
    if ((b > 0 && a > LONG_MAX - b) || (b < 0 && a < LONG_MIN - b)) {
        PyErr_SetString(PyExc_OverflowError, "add: result does not fit in a C long");
        return NULL;
    }
    return PyLong_FromLong(a + b);
}

static PyMethodDef hello_methods[] = {
    {"greet", hello_greet, METH_VARARGS, "greet(name) -> 'Hello, <name>!'"},
    {"add", hello_add, METH_VARARGS, "add(a, b) -> a + b for ints"},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef hello_module = {
    PyModuleDef_HEAD_INIT,
    "hello",
    "ninjagen sample: a single-file C extension.",
    -1,
    hello_methods,
    NULL, NULL, NULL, NULL
};

PyMODINIT_FUNC
PyInit_hello(void)
{
    return PyModule_Create(&hello_module);
}
