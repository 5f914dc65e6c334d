/* shapes._perimeter: perimeters, computed by the static "geom" library. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "shapes.h"

static PyObject *
perimeter_circle_perimeter(PyObject *self, PyObject *args)
{
    double r;

    if (!PyArg_ParseTuple(args, "d:circle_perimeter", &r))
        return NULL;
    if (r < 0.0) {
        PyErr_SetString(PyExc_ValueError, "circle_perimeter: radius must be >= 0");
        return NULL;
    }
    return PyFloat_FromDouble(geom_circle_perimeter(r));
}

static PyObject *
perimeter_rect_perimeter(PyObject *self, PyObject *args)
{
    double w, h;

    if (!PyArg_ParseTuple(args, "dd:rect_perimeter", &w, &h))
        return NULL;
    if (w < 0.0 || h < 0.0) {
        PyErr_SetString(PyExc_ValueError, "rect_perimeter: sides must be >= 0");
        return NULL;
    }
    return PyFloat_FromDouble(2.0 * (w + h));
}

/* polygon_perimeter(points): points is a sequence of (x, y) pairs; the
 * polygon is closed (the last point connects back to the first). */
static PyObject *
perimeter_polygon_perimeter(PyObject *self, PyObject *args)
{
    PyObject *seq, *fast;
    PyObject **items;
    Py_ssize_t n, i;
    double x0 = 0.0, y0 = 0.0, px = 0.0, py = 0.0, total = 0.0;

    if (!PyArg_ParseTuple(args, "O:polygon_perimeter", &seq))
        return NULL;
    fast = PySequence_Fast(seq, "polygon_perimeter: expected a sequence of (x, y)");
    if (fast == NULL)
        return NULL;
    n = PySequence_Fast_GET_SIZE(fast);
    items = PySequence_Fast_ITEMS(fast);
    for (i = 0; i < n; i++) {
        double x, y;

        if (!PyTuple_Check(items[i])) {
            PyErr_Format(PyExc_TypeError,
                         "polygon_perimeter: point %zd is not an (x, y) tuple", i);
            Py_DECREF(fast);
            return NULL;
        }
        if (!PyArg_ParseTuple(items[i], "dd:polygon_perimeter", &x, &y)) {
            Py_DECREF(fast);
            return NULL;
        }
        if (i == 0) {
            x0 = x;
            y0 = y;
        } else {
            total += geom_distance(px, py, x, y);
        }
        px = x;
        py = y;
    }
    Py_DECREF(fast);
    if (n > 1)
        total += geom_distance(px, py, x0, y0);
    return PyFloat_FromDouble(total);
}

static PyMethodDef perimeter_methods[] = {
    {"circle_perimeter", perimeter_circle_perimeter, METH_VARARGS,
     "circle_perimeter(r) -> float"},
    {"rect_perimeter", perimeter_rect_perimeter, METH_VARARGS,
     "rect_perimeter(w, h) -> float"},
    {"polygon_perimeter", perimeter_polygon_perimeter, METH_VARARGS,
     "polygon_perimeter([(x, y), ...]) -> float (closed polygon)"},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef perimeter_module = {
    PyModuleDef_HEAD_INIT,
    "shapes._perimeter",
    "ninjagen sample: perimeters (links the static geom library and libm).",
    -1,
    perimeter_methods,
    NULL, NULL, NULL, NULL
};

PyMODINIT_FUNC
PyInit__perimeter(void)
{
    PyObject *module = PyModule_Create(&perimeter_module);

    if (module == NULL)
        return NULL;
    if (shapes_add_common(module) < 0) {
        Py_DECREF(module);
        return NULL;
    }
    return module;
}
