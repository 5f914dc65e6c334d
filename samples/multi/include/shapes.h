/* Header shared by both extension modules, shapes._area and shapes._perimeter.
 * Include after <Python.h>. */
#ifndef SHAPES_H
#define SHAPES_H

/* [tool.ninjagen] defines SHAPES_DEBUG via define-macros and removes it again
 * via undef-macros; -D comes before -U on the command line, so it must end
 * up undefined here. */
#ifdef SHAPES_DEBUG
#error "undef-macros not honoured: SHAPES_DEBUG is still defined"
#endif

#ifndef SHAPES_UNITS
#error "define-macros not honoured: SHAPES_UNITS is not defined"
#endif

/* The library's own define-macros are for lib/geom.c only. */
#ifdef GEOM_VERSION
#error "GEOM_VERSION leaked from the geom library into an extension"
#endif

#ifdef SHAPES_FAST
#define SHAPES_FAST_FLAG 1
#else
#define SHAPES_FAST_FLAG 0
#endif

#include "geom.h"

/* Add the constants both modules export: UNITS (str) and FAST (bool). */
static inline int
shapes_add_common(PyObject *module)
{
    PyObject *fast;

    if (PyModule_AddStringConstant(module, "UNITS", SHAPES_UNITS) < 0)
        return -1;
    fast = PyBool_FromLong(SHAPES_FAST_FLAG);
    if (PyModule_AddObject(module, "FAST", fast) < 0) {
        Py_DECREF(fast);
        return -1;
    }
    return 0;
}

#endif /* SHAPES_H */
