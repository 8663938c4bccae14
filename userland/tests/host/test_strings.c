/*
 * test_strings.c -- the libc's own string functions (lib/strings.c),
 * qsort (lib/qsort.c) and abs (lib/abs.c).
 */
#include <criterion/criterion.h>

#include "host_libc.h"

Test(strings, strdup_and_strndup)
{
    char *a = user_strdup("tidepool");
    cr_expect_str_eq(a, "tidepool");
    char *b = user_strndup("tidepool", 4);
    cr_expect_str_eq(b, "tide");
    char *c = user_strndup("ab", 10);
    cr_expect_str_eq(c, "ab");
    free(a);
    free(b);
    free(c);
}

Test(strings, strcasecmp_ignores_ascii_case_only)
{
    cr_expect_eq(user_strcasecmp("HeLLo", "hello"), 0);
    cr_expect_lt(user_strcasecmp("abc", "ABD"), 0);
    cr_expect_gt(user_strcasecmp("abc", "AB"), 0);
    cr_expect_eq(user_strncasecmp("HELLOworld", "helloWORLD!", 10), 0);
    cr_expect_neq(user_strncasecmp("HELLOworld", "helloWORLD!", 11), 0);
    cr_expect_eq(user_strncasecmp("x", "y", 0), 0);
    cr_expect_neq(user_strcasecmp("\xc4", "\xe4"), 0, "no locale: bytes above 127 are themselves");
}

Test(strings, strtok_r_splits_on_any_delimiter)
{
    char text[] = "  ls -l,,/bin  ";
    char *save;
    cr_expect_str_eq(user_strtok_r(text, " ,", &save), "ls");
    cr_expect_str_eq(user_strtok_r(NULL, " ,", &save), "-l");
    cr_expect_str_eq(user_strtok_r(NULL, " ,", &save), "/bin");
    cr_expect_null(user_strtok_r(NULL, " ,", &save));
    cr_expect_null(user_strtok_r(NULL, " ,", &save), "and again after the end");
    char empty[] = "   ";
    cr_expect_null(user_strtok(empty, " "));
}

static int compare_ints(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

Test(strings, qsort_sorts)
{
    enum { N = 1000 };
    static int a[N];
    unsigned seed = 12345;
    for (int round = 0; round < 4; round++) {
        for (int i = 0; i < N; i++) {
            seed = seed * 1103515245 + 12345;
            a[i] = round == 0 ? (int)(seed >> 8) % 50     /* many equal keys */
                 : round == 1 ? i                          /* sorted */
                 : round == 2 ? N - i                      /* reversed */
                              : (int)(seed >> 4);
        }
        long sum = 0;
        for (int i = 0; i < N; i++)
            sum += a[i];
        user_qsort(a, N, sizeof a[0], compare_ints);
        for (int i = 1; i < N; i++)
            cr_assert_leq(a[i - 1], a[i], "round %d: a[%d] > a[%d]", round, i - 1, i);
        for (int i = 0; i < N; i++)
            sum -= a[i];
        cr_assert_eq(sum, 0, "round %d: the elements changed", round);
    }
    user_qsort(a, 0, sizeof a[0], compare_ints);
    user_qsort(a, 1, sizeof a[0], compare_ints);
}

Test(strings, qsort_strings_of_odd_size)
{
    char names[][5] = {"sh", "cat", "ls", "echo", "wc", "abc"};
    user_qsort(names, 6, sizeof names[0], (int (*)(const void *, const void *))strcmp);
    cr_expect_str_eq(names[0], "abc");
    cr_expect_str_eq(names[1], "cat");
    cr_expect_str_eq(names[5], "wc");
}

Test(strings, abs)
{
    cr_expect_eq(user_abs(-5), 5);
    cr_expect_eq(user_abs(__INT_MAX__), __INT_MAX__);
    cr_expect_eq(user_labs(-7L), 7L);
}
