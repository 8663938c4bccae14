/*
 * test_wcount.c -- wc's counting (lib/wcount.c).
 */
#include <criterion/criterion.h>
#include <string.h>

#include "wcount.h"

static struct wcount count(const char *s)
{
    struct wcount c = { 0 };

    wcount_add(&c, s, strlen(s));
    return c;
}

Test(wcount, lines_words_bytes)
{
    struct wcount c = count("hello world\nsecond line here\n");

    cr_assert_eq(c.lines, 2);
    cr_assert_eq(c.words, 5);
    cr_assert_eq(c.bytes, 29);
}

Test(wcount, empty_input)
{
    struct wcount c = count("");

    cr_assert_eq(c.lines + c.words + c.bytes, 0);
}

Test(wcount, last_line_without_newline_is_not_a_line)
{
    struct wcount c = count("a\nb");

    cr_assert_eq(c.lines, 1);
    cr_assert_eq(c.words, 2);
    cr_assert_eq(c.bytes, 3);
}

Test(wcount, runs_of_blanks_separate_one_word)
{
    struct wcount c = count("  a \t\t b\n\n  c  ");

    cr_assert_eq(c.words, 3);
    cr_assert_eq(c.lines, 2);
}

Test(wcount, a_word_split_across_calls_counts_once)
{
    struct wcount c = { 0 };

    wcount_add(&c, "hel", 3);
    wcount_add(&c, "lo wo", 5);
    wcount_add(&c, "rld\n", 4);
    cr_assert_eq(c.words, 2);
    cr_assert_eq(c.lines, 1);
    cr_assert_eq(c.bytes, 12);
}

Test(wcount, bytes_above_127_are_word_characters)
{
    struct wcount c = count("\xc3\xa9t\xc3\xa9 x");

    cr_assert_eq(c.words, 2);
}
