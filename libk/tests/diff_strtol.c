/*
 * diff_strtol.c -- see diff_strtol.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "diff_strtol.h"
#include "prng.h"
#include "libk_test.h"

static int strtol_differs(const char *s, int base)
{
    char *end_libc, *end_libk;
    bool overflow;

    errno = 0;
    long want = strtol(s, &end_libc, base);
    bool want_range = errno == ERANGE;
    long got = strtol_checked(s, &end_libk, base, &overflow);

    if (got == want && end_libk == end_libc && overflow == want_range &&
        libk_strtol(s, NULL, base) == want)
        return 0;
    fprintf(stderr,
            "strtol(\"%s\", %d): libk %ld end +%td overflow %d, "
            "libc %ld end +%td ERANGE %d\n",
            s, base, got, end_libk - s, overflow, want, end_libc - s, want_range);
    return 1;
}

static int strtoul_differs(const char *s, int base)
{
    char *end_libc, *end_libk;
    bool overflow;

    errno = 0;
    unsigned long want = strtoul(s, &end_libc, base);
    bool want_range = errno == ERANGE;
    unsigned long got = strtoul_checked(s, &end_libk, base, &overflow);

    if (got == want && end_libk == end_libc && overflow == want_range &&
        libk_strtoul(s, NULL, base) == want)
        return 0;
    fprintf(stderr,
            "strtoul(\"%s\", %d): libk %lu end +%td overflow %d, "
            "libc %lu end +%td ERANGE %d\n",
            s, base, got, end_libk - s, overflow, want, end_libc - s, want_range);
    return 1;
}

/* Around the limits of 32- and 64-bit long in several spellings, plus
 * the parsing corner cases. */
static const char *const inputs[] = {
    "",
    "   ",
    "+",
    "-",
    "0",
    "-0",
    "+0",
    "00",
    "42",
    "  42",
    "\t\n\v\f\r 42",
    "42abc",
    "-42",
    "+-42",
    "--1",
    "- 1",
    "+ 1",
    "1 2",
    "0x1f",
    "0X1F",
    "0x",
    "0X",
    "0xg",
    " 0x",
    "-0x10",
    "+0x10",
    "0x0x1",
    "010",
    "-010",
    "09",
    "08",
    "0b101",
    "1010",
    "z",
    "Z",
    "zz",
    "-zz",
    "1a",
    "7fffffff",
    "80000000",
    "ffffffff",
    "100000000",
    "2147483647",
    "2147483648",
    "-2147483648",
    "-2147483649",
    "4294967295",
    "4294967296",
    "-4294967295",
    "-4294967296",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "-9223372036854775809",
    "18446744073709551615",
    "18446744073709551616",
    "-18446744073709551615",
    "-18446744073709551616",
    "99999999999999999999999999999999",
    "-99999999999999999999999999999",
    "0x7fffffff",
    "0x80000000",
    "-0x80000000",
    "-0x80000001",
    "0xffffffff",
    "0x100000000",
    "0x7fffffffffffffff",
    "0x8000000000000000",
    "0xffffffffffffffff",
    "0x10000000000000000",
    "17777777777",
    "20000000000",
    "37777777777",
    "1777777777777777777777",
    "2000000000000000000000",
    "0000000000000000000000000000000000000042",
    "\xff"
    "1",
    "1\xff",
};

static const int bases[] = {0, 2, 3, 7, 8, 10, 16, 35, 36};

int diff_strtol_table(int *compared)
{
    int mismatches = 0;

    *compared = 0;
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        for (size_t b = 0; b < sizeof bases / sizeof bases[0]; b++) {
            mismatches += strtol_differs(inputs[i], bases[b]);
            mismatches += strtoul_differs(inputs[i], bases[b]);
            *compared += 2;
        }
    }
    return mismatches;
}

int diff_strtol_random(uint64_t seed, int count, int *compared)
{
    static const char alphabet[] = " \t+-0123456789aAfFgxXzZ";
    struct prng r = {seed};
    char s[24];
    int mismatches = 0;

    *compared = 0;
    for (int iter = 0; iter < count; iter++) {
        size_t len = prng_below(&r, sizeof s);

        for (size_t i = 0; i < len; i++)
            s[i] = alphabet[prng_below(&r, sizeof alphabet - 1)];
        s[len] = '\0';
        int base = (int)prng_below(&r, 37); /* 0, 2..36 */
        if (base == 1)
            base = 0;
        mismatches += strtol_differs(s, base);
        mismatches += strtoul_differs(s, base);
        *compared += 2;
    }
    return mismatches;
}
