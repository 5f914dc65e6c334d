#ifndef HELPERS_H
#define HELPERS_H
/* A static helper library (setuptools' build_clib) used by all three modules. */
long helpers_offset(long x);
#endif
