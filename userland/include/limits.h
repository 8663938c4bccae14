/*
 * limits.h -- integer ranges: libk's (GCC's own limits.h does not stand
 * alone under -nostdinc). See assert.h for why it is included by path.
 */
#include "../../libk/include/limits.h"
