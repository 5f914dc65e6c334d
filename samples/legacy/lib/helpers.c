#include "helpers.h"

#ifndef HELPERS_BASE
#error "the build_clib macros did not reach the library"
#endif

long helpers_offset(long x)
{
    return x + HELPERS_BASE;
}
