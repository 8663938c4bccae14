/*
 * test_strtol.c -- strtol/strtoul/atoi: against glibc in bulk (see
 * diff_strtol.h), then the documented corner cases one by one.
 */
#include <criterion/criterion.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "diff_strtol.h"
#include "libk_test.h"

Test(strtol, table_against_glibc)
{
    int compared;
    int mismatches = diff_strtol_table(&compared);

    cr_assert_eq(mismatches, 0, "%d of %d differ (listed above)", mismatches, compared);
    cr_assert_gt(compared, 1000);
}

/* Random short strings over an alphabet of the interesting characters. */
Test(strtol, random_strings_against_glibc)
{
    int compared;
    int mismatches = diff_strtol_random(42, 50000, &compared);

    cr_assert_eq(mismatches, 0, "%d of %d differ (listed above)", mismatches, compared);
    cr_assert_eq(compared, 100000);
}

Test(strtol, overflow_clamps_and_consumes_all_digits)
{
    char buf[64];
    char *end;
    bool overflow;

    snprintf(buf, sizeof buf, "%ld0x", LONG_MAX); /* LONG_MAX * 10 */
    cr_assert_eq(strtol_checked(buf, &end, 10, &overflow), LONG_MAX);
    cr_assert(overflow);
    cr_assert_eq(*end, 'x');

    snprintf(buf, sizeof buf, "-%lu9", (unsigned long)LONG_MAX + 1);
    cr_assert_eq(strtol_checked(buf, &end, 10, &overflow), LONG_MIN);
    cr_assert(overflow);
    cr_assert_eq(*end, '\0');

    snprintf(buf, sizeof buf, "%ld", LONG_MIN); /* just fits */
    cr_assert_eq(strtol_checked(buf, NULL, 10, &overflow), LONG_MIN);
    cr_assert_not(overflow);

    snprintf(buf, sizeof buf, "%lu1", ULONG_MAX);
    cr_assert_eq(strtoul_checked(buf, NULL, 10, &overflow), ULONG_MAX);
    cr_assert(overflow);

    snprintf(buf, sizeof buf, "%lu", ULONG_MAX);
    cr_assert_eq(strtoul_checked(buf, NULL, 10, &overflow), ULONG_MAX);
    cr_assert_not(overflow);
}

Test(strtol, no_digits_sets_endptr_to_start)
{
    const char *cases[] = {"", "  ", "-", " +", "x", "  -x", "+-1"};
    char *end;

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cr_assert_eq(libk_strtol(cases[i], &end, 0), 0);
        cr_assert_eq(end, cases[i], "\"%s\"", cases[i]);
        cr_assert_eq(libk_strtoul(cases[i], &end, 10), 0);
        cr_assert_eq(end, cases[i], "\"%s\"", cases[i]);
    }
}

Test(strtol, hex_prefix_without_digits_parses_the_zero)
{
    const char *s = "0xq";
    char *end;

    cr_assert_eq(libk_strtol(s, &end, 16), 0);
    cr_assert_eq(end, s + 1);
    cr_assert_eq(libk_strtol(s, &end, 0), 0);
    cr_assert_eq(end, s + 1);
    cr_assert_eq(libk_strtol("0x1F", &end, 10), 0); /* base 10: no prefix */
    cr_assert_eq(*end, 'x');
}

Test(strtol, invalid_base_converts_nothing)
{
    const int bad[] = {-1, 1, 37, 100};
    const char *s = "  123";
    char *end;

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cr_assert_eq(libk_strtol(s, &end, bad[i]), 0);
        cr_assert_eq(end, s);
        cr_assert_eq(libk_strtoul(s, &end, bad[i]), 0);
        cr_assert_eq(end, s);
    }
}

Test(strtol, minus_zero_and_strtoul_negation)
{
    bool overflow;

    cr_assert_eq(libk_strtol("-0", NULL, 10), 0);
    cr_assert_eq(libk_strtoul("-1", NULL, 10), ULONG_MAX);
    cr_assert_eq(strtoul_checked("-1", NULL, 10, &overflow), ULONG_MAX);
    cr_assert_not(overflow); /* wraps, as C says; not a range error */
    cr_assert_eq(libk_strtoul("-5", NULL, 10), (unsigned long)-5);
}

Test(strtol, atoi_like_glibc_within_int)
{
    const char *cases[] = {"0",     "-0",  " 17", "-2147483648", "2147483647",
                           "12abc", "abc", "",    "+5",          "  -99 "};

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        cr_assert_eq(libk_atoi(cases[i]), atoi(cases[i]), "\"%s\"", cases[i]);
}
