#ifndef WRAPPED_H
#define WRAPPED_H
#include "helpers.h"
static inline long wrapped_twice_offset(long x) { return 2 * helpers_offset(x); }
#endif
