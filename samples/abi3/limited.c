/* Stable-ABI (abi3) extension module for the ninjagen "abi3" sample.
 *
 * Py_LIMITED_API is deliberately NOT defined here: the build tool defines it
 * (-DPy_LIMITED_API=0x03090000) because the extension sets
 * py-limited-api = true. Only limited-API calls are used, so the file
 * compiles either way; is_limited() reports which way it was built. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* Adler-32 (same result as zlib.adler32(data)). */
static PyObject *
limited_checksum(PyObject *self, PyObject *args)
{
    const char *data;
    Py_ssize_t len, i;
    unsigned long a = 1, b = 0;

    if (!PyArg_ParseTuple(args, "y#:checksum", &data, &len))
        return NULL;
    for (i = 0; i < len; i++) {
        a = (a + (unsigned char)data[i]) % 65521UL;
        b = (b + a) % 65521UL;
    }
    return PyLong_FromUnsignedLong((b << 16) | a);
}

static PyObject *
limited_is_limited(PyObject *self, PyObject *unused)
{
#ifdef Py_LIMITED_API
    return PyBool_FromLong(1);
#else
    return PyBool_FromLong(0);
#endif
}

static PyMethodDef limited_methods[] = {
    {"checksum", limited_checksum, METH_VARARGS,
     "checksum(data: bytes) -> int (Adler-32)"},
    {"is_limited", limited_is_limited, METH_NOARGS,
     "is_limited() -> True iff built with Py_LIMITED_API defined"},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef limited_module = {
    PyModuleDef_HEAD_INIT,
    "limited",
    "ninjagen sample: a limited-API (abi3) extension.",
    -1,
    limited_methods,
    NULL, NULL, NULL, NULL
};

PyMODINIT_FUNC
PyInit_limited(void)
{
    return PyModule_Create(&limited_module);
}
