%module wrapped
%{
#include "wrapped.h"
%}
%include "wrapped.h"
