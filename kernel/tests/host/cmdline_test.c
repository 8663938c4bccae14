/* cmdline_test.c -- host tests for kernel/cmdline.c. */
#include <criterion/criterion.h>
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
