/* Plain C helper used from C++ (cxxdemo.cpp) and implemented in C (ccore.c). */
#ifndef CCORE_H
#define CCORE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Sum n values into *out. Returns 1 on success, 0 if the sum overflows. */
int ccore_checked_sum(const long long *values, size_t n, long long *out);

#ifdef __cplusplus
}
#endif

#endif /* CCORE_H */
