/*
 * test_format_diff.c -- libk_snprintf against glibc's snprintf on
 * 100,000 generated cases (200,000 comparisons); see diff_format.h for
 * what the cases contain and what is compared.
 */
#include <criterion/criterion.h>
#include <limits.h>
#include <string.h>

#include "diff_format.h"
#include "libk_test.h"

#define CASES       100000
#define MAX_REPORTS 20

Test(format_diff, snprintf_matches_glibc, .timeout = 60)
{
    int compared;
    int mismatches = diff_format_run(DIFF_FORMAT_SEED, CASES, MAX_REPORTS, &compared);

    cr_assert_eq(mismatches, 0, "%d of %d comparisons differ (at most %d shown above)", mismatches,
                 compared, MAX_REPORTS);
    cr_assert_eq(compared, 2 * CASES);
}

/* The generator must really produce what diff_format.h promises, or the
 * test above could pass vacuously. */
Test(format_diff, generator_covers_the_space)
{
    struct prng r = {DIFF_FORMAT_SEED};
    bool seen_conv[128] = {false};
    bool seen_kind[ARG_PTR + 1] = {false};
    int star_w_neg = 0, star_p_neg = 0, int_min = 0, llong_min = 0;
    int flags[128] = {0};

    for (int i = 0; i < CASES; i++) {
        struct fcase c;

        fcase_generate(&r, &c);
        const char *bar = strrchr(c.fmt, '|'); /* before "|%s" */
        seen_conv[(unsigned char)bar[-1]] = true;
        for (const char *p = c.flags; *p; p++)
            flags[(unsigned char)*p]++;
        seen_kind[c.kind] = true;
        star_w_neg += c.star_width && c.width_arg < 0;
        star_p_neg += c.star_precision && c.precision_arg < 0;
        int_min += c.kind == ARG_INT && c.v.i == INT_MIN;
        llong_min += c.kind == ARG_LLONG && c.v.ll == LLONG_MIN;
    }
    for (const char *p = "diuoxXcsp"; *p; p++)
        cr_assert(seen_conv[(unsigned char)*p], "no %%%c", *p);
    for (int k = 0; k <= ARG_PTR; k++)
        cr_assert(seen_kind[k], "no %s", arg_kind_names[k]);
    for (const char *p = "-0 +#"; *p; p++)
        cr_assert_gt(flags[(unsigned char)*p], 1000, "flag '%c'", *p);
    cr_assert_gt(star_w_neg, 100);
    cr_assert_gt(star_p_neg, 100);
    cr_assert_gt(int_min, 10);
    cr_assert_gt(llong_min, 10);
}
