#include "counter_core.h"

/* One counter for the whole process: every module that loads this library sees it. */
static long counter_value = 0;

long counter_bump(long by)
{
    counter_value += by;
    return counter_value;
}

long counter_read(void)
{
    return counter_value;
}

const void *counter_state_address(void)
{
    return &counter_value;
}
