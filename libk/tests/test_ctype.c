/*
 * test_ctype.c -- every classifier on EOF and all 256 byte values,
 * against glibc in the "C" locale (the default until setlocale()).
 */
#include <criterion/criterion.h>
#include <ctype.h>
#include <stdio.h>

#include "libk_test.h"

/* glibc's functions and ours side by side.  The C standard promises only
 * "nonzero" for true, so compare truth values. */
#define CHECK_CLASS(name)                                                                          \
    Test(ctype, name)                                                                              \
    {                                                                                              \
        for (int c = EOF; c <= 255; c++)                                                           \
            cr_assert_eq(!!libk_##name(c), !!name(c), #name "(%d): libk %d, glibc %d", c,          \
                         libk_##name(c), name(c));                                                 \
    }

CHECK_CLASS(isdigit)
CHECK_CLASS(isxdigit)
CHECK_CLASS(isalpha)
CHECK_CLASS(isalnum)
CHECK_CLASS(isspace)
CHECK_CLASS(isupper)
CHECK_CLASS(islower)
CHECK_CLASS(isprint)
CHECK_CLASS(isgraph)
CHECK_CLASS(ispunct)
CHECK_CLASS(iscntrl)

Test(ctype, toupper_and_tolower)
{
    for (int c = EOF; c <= 255; c++) {
        cr_assert_eq(libk_toupper(c), toupper(c), "toupper(%d)", c);
        cr_assert_eq(libk_tolower(c), tolower(c), "tolower(%d)", c);
    }
}
