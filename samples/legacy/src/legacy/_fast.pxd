cdef extern from "helpers.h":
    long helpers_offset(long x)
