/*
 * ctype.h -- character classes of the "C" locale (ASCII): libk's, which
 * are inline functions. See assert.h for why it is included by path.
 */
#include "../../libk/include/ctype.h"
