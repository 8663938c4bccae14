/*
 * test_words.c -- the shell's word splitter (lib/words.c).
 */
#include <criterion/criterion.h>
#include <string.h>

#include "words.h"

#define MAX 8

/* Splits a copy of line; returns n and leaves the words in w. */
static int split(const char *line, char *buf, size_t size, char *w[], int max)
{
    strncpy(buf, line, size - 1);
    buf[size - 1] = '\0';
    return split_words(buf, w, max);
}

Test(words, splits_at_spaces_and_tabs)
{
    char buf[64], *w[MAX];

    cr_assert_eq(split("ls  -l\t/bin", buf, sizeof buf, w, MAX), 3);
    cr_assert_str_eq(w[0], "ls");
    cr_assert_str_eq(w[1], "-l");
    cr_assert_str_eq(w[2], "/bin");
    cr_assert_null(w[3]);
}

Test(words, leading_and_trailing_blanks_and_newline)
{
    char buf[64], *w[MAX];

    cr_assert_eq(split("  echo hi \t\n", buf, sizeof buf, w, MAX), 2);
    cr_assert_str_eq(w[0], "echo");
    cr_assert_str_eq(w[1], "hi");
    cr_assert_null(w[2]);
}

Test(words, carriage_return_ends_the_line)
{
    char buf[64], *w[MAX];

    cr_assert_eq(split("exit 3\r\n", buf, sizeof buf, w, MAX), 2);
    cr_assert_str_eq(w[1], "3");
}

Test(words, text_after_a_newline_is_ignored)
{
    char buf[64], *w[MAX];

    cr_assert_eq(split("a\nb c", buf, sizeof buf, w, MAX), 1);
    cr_assert_str_eq(w[0], "a");
}

Test(words, empty_and_blank_lines_have_no_words)
{
    char buf[64], *w[MAX];

    cr_assert_eq(split("", buf, sizeof buf, w, MAX), 0);
    cr_assert_null(w[0]);
    cr_assert_eq(split(" \t \n", buf, sizeof buf, w, MAX), 0);
    cr_assert_null(w[0]);
}

Test(words, exactly_max_minus_one_words_fit)
{
    char buf[64], *w[4];

    cr_assert_eq(split("a b c", buf, sizeof buf, w, 4), 3);
    cr_assert_null(w[3]);
}

Test(words, too_many_words_is_an_error)
{
    char buf[64], *w[4];

    cr_assert_eq(split("a b c d", buf, sizeof buf, w, 4), -1);
}

Test(words, no_room_even_for_null)
{
    char buf[64], *w[1];

    cr_assert_eq(split("", buf, sizeof buf, w, 0), -1);
    cr_assert_eq(split("", buf, sizeof buf, w, 1), 0);
    cr_assert_null(w[0]);
    cr_assert_eq(split("a", buf, sizeof buf, w, 1), -1);
}

Test(words, words_point_into_the_line)
{
    char buf[64], *w[MAX];

    cr_assert_eq(split("cat /etc", buf, sizeof buf, w, MAX), 2);
    cr_assert_eq(w[0], buf);
    cr_assert_eq(w[1], buf + 4);
    cr_assert_eq(buf[3], '\0');
}
