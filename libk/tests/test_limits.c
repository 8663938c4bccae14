/*
 * test_limits.c -- libk's limits.h against the host's.
 *
 * libk's values are captured first, then its macros are dropped and
 * the host's <limits.h> is included to compare with.
 */
#include "limits.h" /* libk's, through -iquote libk/include */

static const long long libk_signed[] = {
    CHAR_BIT, SCHAR_MIN, SCHAR_MAX, CHAR_MIN, CHAR_MAX,  SHRT_MIN,  SHRT_MAX,
    INT_MIN,  INT_MAX,   LONG_MIN,  LONG_MAX, LLONG_MIN, LLONG_MAX,
};
static const unsigned long long libk_unsigned[] = {
    UCHAR_MAX, USHRT_MAX, UINT_MAX, ULONG_MAX, ULLONG_MAX,
};
/* The types matter too: e.g. UINT_MAX must be unsigned int. */
static const int libk_types_ok = _Generic(UINT_MAX, unsigned int : 1, default : 0) &&
                                 _Generic(LONG_MIN, long : 1, default : 0) &&
                                 _Generic(ULONG_MAX, unsigned long : 1, default : 0) &&
                                 _Generic(LLONG_MIN, long long : 1, default : 0) &&
                                 _Generic(ULLONG_MAX, unsigned long long : 1, default : 0) &&
                                 _Generic(USHRT_MAX, int : 1, default : 0);

#undef LIBK_LIMITS_H
#undef CHAR_BIT
#undef SCHAR_MIN
#undef SCHAR_MAX
#undef UCHAR_MAX
#undef CHAR_MIN
#undef CHAR_MAX
#undef SHRT_MIN
#undef SHRT_MAX
#undef USHRT_MAX
#undef INT_MIN
#undef INT_MAX
#undef UINT_MAX
#undef LONG_MIN
#undef LONG_MAX
#undef ULONG_MAX
#undef LLONG_MIN
#undef LLONG_MAX
#undef ULLONG_MAX

#include <limits.h>
#include <criterion/criterion.h>

Test(limits, same_as_host)
{
    const long long host_signed[] = {
        CHAR_BIT, SCHAR_MIN, SCHAR_MAX, CHAR_MIN, CHAR_MAX,  SHRT_MIN,  SHRT_MAX,
        INT_MIN,  INT_MAX,   LONG_MIN,  LONG_MAX, LLONG_MIN, LLONG_MAX,
    };
    const unsigned long long host_unsigned[] = {
        UCHAR_MAX, USHRT_MAX, UINT_MAX, ULONG_MAX, ULLONG_MAX,
    };

    for (size_t i = 0; i < sizeof host_signed / sizeof host_signed[0]; i++)
        cr_assert_eq(libk_signed[i], host_signed[i], "signed #%zu", i);
    for (size_t i = 0; i < sizeof host_unsigned / sizeof host_unsigned[0]; i++)
        cr_assert_eq(libk_unsigned[i], host_unsigned[i], "unsigned #%zu", i);
    cr_assert(libk_types_ok);
}
