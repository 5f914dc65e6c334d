// The C++ half of the mixed C/C++ cxxdemo extension.
#ifndef __cplusplus
#error "cxxdemo.cpp must be compiled as C++"
#endif

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <algorithm>
#include <new>
#include <string>
#include <vector>

#include "ccore.h"  // declares ccore_checked_sum with extern "C"

// Convert a sequence of Python ints to a vector. Returns false with a Python
// exception set on failure.
static bool
ints_from_sequence(PyObject *seq, const char *what, std::vector<long long> &out)
{
    PyObject *fast = PySequence_Fast(seq, what);
    if (fast == NULL)
        return false;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(fast);
    PyObject **items = PySequence_Fast_ITEMS(fast);
    out.reserve(static_cast<size_t>(n));
    for (Py_ssize_t i = 0; i < n; i++) {
        if (!PyLong_Check(items[i])) {
            PyErr_Format(PyExc_TypeError, "%s: item %zd is not an int", what, i);
            Py_DECREF(fast);
            return false;
        }
        long long v = PyLong_AsLongLong(items[i]);
        if (v == -1 && PyErr_Occurred()) {
            Py_DECREF(fast);
            return false;
        }
        out.push_back(v);
    }
    Py_DECREF(fast);
    return true;
}

// sorted_unique(ints) -> sorted list without duplicates
static PyObject *
cxxdemo_sorted_unique(PyObject *, PyObject *args)
{
    PyObject *seq;
    if (!PyArg_ParseTuple(args, "O:sorted_unique", &seq))
        return NULL;
    try {
        std::vector<long long> values;
        if (!ints_from_sequence(seq, "sorted_unique", values))
            return NULL;
        std::sort(values.begin(), values.end());
        values.erase(std::unique(values.begin(), values.end()), values.end());

        PyObject *result = PyList_New(static_cast<Py_ssize_t>(values.size()));
        if (result == NULL)
            return NULL;
        for (size_t i = 0; i < values.size(); i++) {
            PyObject *item = PyLong_FromLongLong(values[i]);
            if (item == NULL) {
                Py_DECREF(result);
                return NULL;
            }
            PyList_SET_ITEM(result, static_cast<Py_ssize_t>(i), item);  // steals item
        }
        return result;
    } catch (const std::bad_alloc &) {
        return PyErr_NoMemory();
    }
}

// join(strs, sep) -> sep.join(strs), built with std::string
static PyObject *
cxxdemo_join(PyObject *, PyObject *args)
{
    PyObject *seq;
    const char *sep;
    Py_ssize_t sep_len;
    if (!PyArg_ParseTuple(args, "Os#:join", &seq, &sep, &sep_len))
        return NULL;
    PyObject *fast = PySequence_Fast(seq, "join: expected a sequence of str");
    if (fast == NULL)
        return NULL;
    PyObject *result = NULL;
    try {
        Py_ssize_t n = PySequence_Fast_GET_SIZE(fast);
        PyObject **items = PySequence_Fast_ITEMS(fast);
        std::string joined;
        for (Py_ssize_t i = 0; i < n; i++) {
            if (!PyUnicode_Check(items[i])) {
                PyErr_Format(PyExc_TypeError, "join: item %zd is not a str", i);
                Py_DECREF(fast);
                return NULL;
            }
            Py_ssize_t len;
            const char *utf8 = PyUnicode_AsUTF8AndSize(items[i], &len);
            if (utf8 == NULL) {
                Py_DECREF(fast);
                return NULL;
            }
            if (i > 0)
                joined.append(sep, static_cast<size_t>(sep_len));
            joined.append(utf8, static_cast<size_t>(len));
        }
        result = PyUnicode_FromStringAndSize(joined.data(),
                                             static_cast<Py_ssize_t>(joined.size()));
    } catch (const std::bad_alloc &) {
        PyErr_NoMemory();
        result = NULL;
    }
    Py_DECREF(fast);
    return result;
}

// total(ints) -> sum, computed by the C function ccore_checked_sum
static PyObject *
cxxdemo_total(PyObject *, PyObject *args)
{
    PyObject *seq;
    if (!PyArg_ParseTuple(args, "O:total", &seq))
        return NULL;
    try {
        std::vector<long long> values;
        if (!ints_from_sequence(seq, "total", values))
            return NULL;
        long long sum = 0;
        if (!ccore_checked_sum(values.data(), values.size(), &sum)) {
            PyErr_SetString(PyExc_OverflowError, "total: sum does not fit in a C long long");
            return NULL;
        }
        return PyLong_FromLongLong(sum);
    } catch (const std::bad_alloc &) {
        return PyErr_NoMemory();
    }
}

static PyMethodDef cxxdemo_methods[] = {
    {"sorted_unique", cxxdemo_sorted_unique, METH_VARARGS,
     "sorted_unique(ints) -> sorted list of the distinct ints"},
    {"join", cxxdemo_join, METH_VARARGS, "join(strs, sep) -> str"},
    {"total", cxxdemo_total, METH_VARARGS, "total(ints) -> int (summed in C)"},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef cxxdemo_module = {
    PyModuleDef_HEAD_INIT,
    "cxxdemo",
    "ninjagen sample: a mixed C/C++ extension.",
    -1,
    cxxdemo_methods,
    NULL, NULL, NULL, NULL
};

PyMODINIT_FUNC
PyInit_cxxdemo(void)
{
    return PyModule_Create(&cxxdemo_module);
}
