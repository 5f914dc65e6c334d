#ifndef COUNTER_CORE_H
#define COUNTER_CORE_H

/* Exported from the shared library, imported by the extension modules. */
#if defined(_WIN32) || defined(__CYGWIN__)
#  ifdef COUNTER_BUILD
#    define COUNTER_API __declspec(dllexport)
#  else
#    define COUNTER_API __declspec(dllimport)
#  endif
#else
#  define COUNTER_API
#endif

COUNTER_API long counter_bump(long by);
COUNTER_API long counter_read(void);
COUNTER_API const void *counter_state_address(void);

#endif
