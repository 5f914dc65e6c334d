/* The C half of the mixed C/C++ cxxdemo extension. */
#ifdef __cplusplus
#error "ccore.c must be compiled as C, not C++"
#endif

#include <limits.h>

#include "ccore.h"

int
ccore_checked_sum(const long long *values, size_t n, long long *out)
{
    long long total = 0;
    size_t i;

    for (i = 0; i < n; i++) {
        long long v = values[i];
        if ((v > 0 && total > LLONG_MAX - v) || (v < 0 && total < LLONG_MIN - v))
            return 0;
        total += v;
    }
    *out = total;
    return 1;
}
