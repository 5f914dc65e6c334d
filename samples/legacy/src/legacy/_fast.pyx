include "consts.pxi"


def total(values):
    """Sum of helpers_offset(v) * FACTOR."""
    cdef long acc = 0
    for v in values:
        acc += helpers_offset(v) * FACTOR
    return acc
