/*
 * test_getopt.c -- the libc's getopt() (lib/getopt.c), its messages
 * caught on the fake stderr (fake_fd.c).
 */
#include <criterion/criterion.h>

#include "host_libc.h"

static void setup(void)
{
    fake_reset();
}

TestSuite(getopt, .init = setup);

/* Runs getopt over argv (NULL-terminated) and returns what it gave, one
 * letter per call, an argument in brackets: "ab[x]?" */
static const char *run(const char *optstring, char **argv)
{
    static char seen[64];
    int argc = 0;
    while (argv[argc] != NULL)
        argc++;
    seen[0] = '\0';
    user_optind = 1;
    for (int c; (c = user_getopt(argc, argv, optstring)) != -1;) {
        size_t n = strlen(seen);
        seen[n] = (char)c;
        seen[n + 1] = '\0';
        if (user_optarg != NULL)
            sprintf(seen + n + 1, "[%s]", user_optarg);
    }
    return seen;
}

Test(getopt, clustered_flags_and_arguments)
{
    char *argv[] = {"prog", "-ab", "-c", "x", "-cy", "file", NULL};
    cr_expect_str_eq(run("abc:", argv), "abc[x]c[y]");
    cr_expect_eq(user_optind, 5, "optind at the first operand");
}

Test(getopt, argument_at_the_end_of_a_cluster)
{
    char *argv[] = {"prog", "-acvalue", "-bc", "next", NULL};
    cr_expect_str_eq(run("abc:", argv), "ac[value]bc[next]");
    cr_expect_eq(user_optind, 4);
}

Test(getopt, double_dash_ends_options)
{
    char *argv[] = {"prog", "-a", "--", "-b", NULL};
    cr_expect_str_eq(run("ab", argv), "a");
    cr_expect_eq(user_optind, 3, "\"--\" is skipped");
}

Test(getopt, stops_at_first_operand_and_lone_dash)
{
    char *argv[] = {"prog", "file", "-a", NULL};
    cr_expect_str_eq(run("a", argv), "");
    cr_expect_eq(user_optind, 1);
    char *argv2[] = {"prog", "-a", "-", "-a", NULL};
    cr_expect_str_eq(run("a", argv2), "a");
    cr_expect_eq(user_optind, 2, "\"-\" is an operand");
}

Test(getopt, unknown_option)
{
    char *argv[] = {"prog", "-az", "-b", NULL};
    cr_expect_str_eq(run("ab", argv), "a?b");
    cr_expect_eq(user_optopt, 'z');
    cr_expect_str_eq(fake_output(2), "prog: illegal option -- z\n");
}

Test(getopt, missing_argument)
{
    char *argv[] = {"prog", "-a", "-c", NULL};
    cr_expect_str_eq(run("ac:", argv), "a?");
    cr_expect_eq(user_optopt, 'c');
    cr_expect_eq(user_optind, 3);
    cr_expect_str_eq(fake_output(2), "prog: option requires an argument -- c\n");
}

Test(getopt, leading_colon_reports_missing_argument_quietly)
{
    char *argv[] = {"prog", "-x", "-c", NULL};
    cr_expect_str_eq(run(":c:", argv), "?:");
    cr_expect_eq(user_optopt, 'c');
    cr_expect_eq(fake_fd[2].writes, 0, "no messages with a leading ':'");
}

Test(getopt, opterr_zero_silences)
{
    user_opterr = 0;
    char *argv[] = {"prog", "-q", NULL};
    cr_expect_str_eq(run("a", argv), "?");
    cr_expect_eq(fake_fd[2].writes, 0);
}

Test(getopt, colon_is_not_an_option)
{
    char *argv[] = {"prog", "-:", NULL};
    cr_expect_str_eq(run("a:", argv), "?");
}

Test(getopt, starts_over_when_optind_is_reset)
{
    char *argv[] = {"prog", "-ab", NULL};
    cr_expect_str_eq(run("ab", argv), "ab");
    cr_expect_str_eq(run("ab", argv), "ab", "a second scan from optind = 1");
    char *argv2[] = {"prog", "-abc", NULL};
    user_optind = 1;
    cr_expect_eq(user_getopt(2, argv2, "abc"), 'a');
    user_optind = 0;            /* abandon the cluster midway: glibc's reset */
    cr_expect_eq(user_getopt(2, argv2, "abc"), 'a');
}
