/* cmdline_test.c -- host tests for kernel/cmdline.c. */
#include <criterion/criterion.h>
#include <string.h>
#include "cmdline.h"

Test(cmdline, value_of_key)
{
    char buf[32];
    cr_expect_str_eq(cmdline_value("a=1 test=boot.* b", "test", buf, sizeof buf), "boot.*");
    cr_expect_str_eq(cmdline_value("test=x", "test", buf, sizeof buf), "x");
    cr_expect_str_eq(cmdline_value("  test=   ", "test", buf, sizeof buf), "");
    cr_expect_null(cmdline_value("test", "test", buf, sizeof buf));
    cr_expect_null(cmdline_value("", "test", buf, sizeof buf));
}

Test(cmdline, key_is_a_whole_word)
{
    char buf[32];
    /* "testing=1" is not the key "test", nor is "mytest=1". */
    cr_expect_null(cmdline_value("testing=1 mytest=2", "test", buf, sizeof buf));
    cr_expect_str_eq(cmdline_value("testing=1 test=3", "test", buf, sizeof buf), "3");
    cr_expect(!cmdline_has("exiting", "exit"));
    cr_expect(cmdline_has("a exit b", "exit"));
    cr_expect(cmdline_has("panic=exit", "panic"));
}

Test(cmdline, first_occurrence_wins)
{
    char buf[32];
    cr_expect_str_eq(cmdline_value("k=1 k=2", "k", buf, sizeof buf), "1");
}

Test(cmdline, value_truncated_to_buffer)
{
    char buf[4];
    cr_expect_str_eq(cmdline_value("test=abcdefgh", "test", buf, sizeof buf), "abc");
    cr_expect_null(cmdline_value("test=abc", "test", buf, 0));
}

Test(cmdline, kernel_path_first)
{
    /* GRUB passes the kernel's path as the first word. */
    char buf[32];
    cr_expect_str_eq(cmdline_value("/boot/kernel.elf test=boot.*", "test", buf, sizeof buf), "boot.*");
}

/* run=PROG ARGS takes the rest of the line. Regression: main.c found it
 * with strstr(cmdline, "run="), so a bare "run" (cmdline_has() is true)
 * dereferenced NULL + 4 -- a kernel page fault at boot -- and in
 * "xrun=/bin/a run=/bin/b" the program was "/bin/a". */
Test(cmdline, rest_of_run_word)
{
    struct { const char *cmdline; const char *rest; } cases[] = {
        { "run=/bin/sh -c x", "/bin/sh -c x" },
        { "test=a run=/bin/t b", "/bin/t b" },
        { "run", NULL },
        { "run exit", NULL },
        { "xrun=/bin/a run=/bin/b", "/bin/b" },
        { "xrun=/bin/a", NULL },
        { "run=", "" },
        { "", NULL },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *got = cmdline_rest(cases[i].cmdline, "run");
        if (cases[i].rest == NULL)
            cr_expect_null(got, "\"%s\"", cases[i].cmdline);
        else
            cr_expect_str_eq(got, cases[i].rest, "\"%s\"", cases[i].cmdline);
    }
}

static int split(const char *line, char **argv, int max)
{
    static char buf[256];
    strcpy(buf, line);
    return cmdline_split(buf, argv, max);
}

Test(cmdline, split_words_and_quotes)
{
    char *argv[5];
    cr_assert_eq(split("  a  bc ", argv, 4), 2);
    cr_expect_str_eq(argv[0], "a");
    cr_expect_str_eq(argv[1], "bc");
    cr_expect_null(argv[2]);
    cr_assert_eq(split("sh -c \"echo hi | cat\" 'x y'", argv, 4), 4);
    cr_expect_str_eq(argv[2], "echo hi | cat");
    cr_expect_str_eq(argv[3], "x y");
    cr_assert_eq(split("\"unterminated quote", argv, 4), 1);
    cr_expect_str_eq(argv[0], "unterminated quote");
    cr_assert_eq(split("", argv, 4), 0);
    cr_expect_null(argv[0]);
    /* At most max words, and argv[max] is NULL. */
    cr_assert_eq(split("1 2 3 4 5 6", argv, 4), 4);
    cr_expect_str_eq(argv[3], "4");
    cr_expect_null(argv[4]);
}
