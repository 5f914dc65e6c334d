/* shapes._area: areas, computed by the static "geom" library. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "shapes.h"

static PyObject *
area_circle_area(PyObject *self, PyObject *args)
{
    double r;

    if (!PyArg_ParseTuple(args, "d:circle_area", &r))
        return NULL;
    if (r < 0.0) {
        PyErr_SetString(PyExc_ValueError, "circle_area: radius must be >= 0");
        return NULL;
    }
    return PyFloat_FromDouble(geom_circle_area(r));
}

static PyObject *
area_rect_area(PyObject *self, PyObject *args)
{
    double w, h;

    if (!PyArg_ParseTuple(args, "dd:rect_area", &w, &h))
        return NULL;
    if (w < 0.0 || h < 0.0) {
        PyErr_SetString(PyExc_ValueError, "rect_area: sides must be >= 0");
        return NULL;
    }
    return PyFloat_FromDouble(w * h);
}

static PyObject *
area_triangle_area(PyObject *self, PyObject *args)
{
    double a, b, c, area;

    if (!PyArg_ParseTuple(args, "ddd:triangle_area", &a, &b, &c))
        return NULL;
    area = geom_triangle_area(a, b, c);
    if (area < 0.0) {
        PyErr_SetString(PyExc_ValueError, "triangle_area: not a valid triangle");
        return NULL;
    }
    return PyFloat_FromDouble(area);
}

static PyObject *
area_geom_version(PyObject *self, PyObject *unused)
{
    return PyLong_FromLong(geom_version());
}

static PyMethodDef area_methods[] = {
    {"circle_area", area_circle_area, METH_VARARGS, "circle_area(r) -> float"},
    {"rect_area", area_rect_area, METH_VARARGS, "rect_area(w, h) -> float"},
    {"triangle_area", area_triangle_area, METH_VARARGS,
     "triangle_area(a, b, c) -> float (Heron's formula)"},
    {"geom_version", area_geom_version, METH_NOARGS,
     "geom_version() -> int, GEOM_VERSION the geom library was built with"},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef area_module = {
    PyModuleDef_HEAD_INIT,
    "shapes._area",
    "ninjagen sample: areas (links the static geom library and libm).",
    -1,
    area_methods,
    NULL, NULL, NULL, NULL
};

PyMODINIT_FUNC
PyInit__area(void)
{
    PyObject *module = PyModule_Create(&area_module);

    if (module == NULL)
        return NULL;
    if (shapes_add_common(module) < 0) {
        Py_DECREF(module);
        return NULL;
    }
    return module;
}
