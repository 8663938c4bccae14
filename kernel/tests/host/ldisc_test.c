/* ldisc_test.c -- host tests for kernel/fs/ldisc.c (the console's line discipline). */
#if LAB >= 4
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include "fs/ldisc.h"

static struct ldisc ld;
static char echoed[8192];
static size_t echoed_len;

static void record_echo(const char *s, size_t n, void *ctx)
{
    (void)ctx;
    cr_assert_leq(echoed_len + n, sizeof echoed);
    memcpy(echoed + echoed_len, s, n);
    echoed_len += n;
}

static void setup(void)
{
    memset(&ld, 0xA5, sizeof ld);   /* ldisc_init must not rely on zeroed storage */
    ldisc_init(&ld);
    echoed_len = 0;
}

/* Type s; the OR of the flags ldisc_input returned. */
static int type(const char *s)
{
    int flags = 0;
    for (; *s; s++)
        flags |= ldisc_input(&ld, *s, record_echo, NULL);
    return flags;
}

/* One read of up to n bytes as a string. */
static const char *read_n(size_t n)
{
    static char buf[4096];
    cr_assert(ldisc_ready(&ld), "expected a line to be ready");
    size_t got = ldisc_read(&ld, buf, n);
    buf[got] = '\0';
    return buf;
}

static void expect_echo(const char *want)
{
    cr_assert_eq(echoed_len, strlen(want), "echoed %zu bytes '%.*s', expected '%s'",
                 echoed_len, (int)echoed_len, echoed, want);
    cr_assert(memcmp(echoed, want, echoed_len) == 0, "echoed '%.*s', expected '%s'",
              (int)echoed_len, echoed, want);
}

TestSuite(ldisc, .init = setup);

Test(ldisc, a_line_is_ready_only_at_its_newline)
{
    cr_assert_eq(type("hello"), 0);
    cr_assert_not(ldisc_ready(&ld));
    cr_assert_eq(type("\n"), LDISC_READY);
    cr_assert_str_eq(read_n(100), "hello\n");
    cr_assert_not(ldisc_ready(&ld));
    expect_echo("hello\n");
}

Test(ldisc, carriage_return_ends_the_line_as_newline)
{
    type("ls\r");
    cr_assert_str_eq(read_n(100), "ls\n");
    expect_echo("ls\n");
}

Test(ldisc, backspace_and_delete_erase_one_char)
{
    type("abc\b");
    type("d\x7f\x7f" "X\n");
    cr_assert_str_eq(read_n(100), "aX\n");
    expect_echo("abc\b \bd\b \b\b \bX\n");
}

Test(ldisc, backspace_on_an_empty_line_echoes_nothing)
{
    type("\b\x7f");
    expect_echo("");
    type("\n");
    cr_assert_str_eq(read_n(10), "\n");
}

Test(ldisc, ctrl_u_erases_the_whole_line)
{
    type("wrong");
    echoed_len = 0;
    type("\x15");
    expect_echo("\b \b\b \b\b \b\b \b\b \b");
    type("right\n");
    cr_assert_str_eq(read_n(100), "right\n");
}

Test(ldisc, ctrl_d_on_an_empty_line_is_end_of_input)
{
    cr_assert_eq(type("\x04"), LDISC_READY);
    cr_assert(ldisc_ready(&ld));
    char buf[8];
    cr_assert_eq(ldisc_read(&ld, buf, sizeof buf), 0);
    cr_assert_not(ldisc_ready(&ld), "the end of input is read once");
    expect_echo("");
}

Test(ldisc, ctrl_d_after_text_pushes_the_partial_line)
{
    type("abc\x04");
    cr_assert_str_eq(read_n(100), "abc");
    cr_assert_not(ldisc_ready(&ld));
    type("\x04");
    cr_assert_str_eq(read_n(100), "", "Ctrl-D on the now empty line: end of input");
}

Test(ldisc, ctrl_c_discards_the_line_and_asks_for_sigint)
{
    type("sleep 100");
    echoed_len = 0;
    cr_assert_eq(type("\x03"), LDISC_SIGINT);
    expect_echo("^C\n");
    cr_assert_not(ldisc_ready(&ld));
    type("x\n");
    cr_assert_str_eq(read_n(100), "x\n");
}

Test(ldisc, ctrl_c_keeps_lines_already_finished)
{
    type("one\ntw\x03");
    cr_assert_str_eq(read_n(100), "one\n");
    cr_assert_not(ldisc_ready(&ld));
}

Test(ldisc, control_chars_echo_as_caret_and_erase_two_columns)
{
    type("\x01");
    expect_echo("^A");
    type("\b");
    expect_echo("^A\b \b\b \b");
    type("\x1b\n");
    cr_assert_str_eq(read_n(100), "\x1b\n");
}

Test(ldisc, a_short_read_leaves_the_rest_of_the_line)
{
    type("abcdef\nxy\n");
    cr_assert_str_eq(read_n(4), "abcd");
    cr_assert_str_eq(read_n(100), "ef\n", "the rest of the first line, not the second");
    cr_assert_str_eq(read_n(100), "xy\n");
    cr_assert_not(ldisc_ready(&ld));
}

Test(ldisc, a_read_returns_at_most_one_line)
{
    type("a\nb\nc\n");
    cr_assert_str_eq(read_n(100), "a\n");
    cr_assert_str_eq(read_n(100), "b\n");
    cr_assert_str_eq(read_n(100), "c\n");
}

Test(ldisc, an_overlong_line_is_cut_not_overrun)
{
    for (int i = 0; i < 1000; i++)
        ldisc_input(&ld, 'x', record_echo, NULL);
    cr_assert_eq(ld.dropped, 1000 - (LDISC_LINE_MAX - 1));
    type("\n");
    const char *line = read_n(4096);
    cr_assert_eq(strlen(line), LDISC_LINE_MAX, "255 x and the newline");
    cr_assert_eq(line[LDISC_LINE_MAX - 1], '\n');
    cr_assert_eq(echoed_len, LDISC_LINE_MAX, "dropped characters are not echoed");
}

#define LINE30 "abcdefghijklmnopqrstuvwxyz0123\n"

Test(ldisc, type_ahead_is_kept_until_read_and_bounded)
{
    /* Nobody reads: lines pile up until the queue is full. */
    int lines = 0;
    for (int i = 0; i < 500; i++)
        if (type(LINE30) & LDISC_READY)
            lines++;
    /* 33 whole lines fit; the 34th keeps what fits (cut, like an
     * overlong line) and the rest find no room. */
    cr_assert_eq(lines, LDISC_QUEUE / 31 + 1);
    cr_assert_gt(ld.dropped, 0);
    for (int i = 0; i < lines; i++)
        if (i < lines - 1)
            cr_assert_str_eq(read_n(100), LINE30, "line %d", i);
        else
            cr_assert_eq(strlen(read_n(100)), LDISC_QUEUE - 33 * 31, "the cut line");
    cr_assert_not(ldisc_ready(&ld));
    /* Room again: the discipline works as before. */
    type("ok\n");
    cr_assert_str_eq(read_n(100), "ok\n");
}

Test(ldisc, many_ends_of_input_are_bounded_by_the_records)
{
    int ready = 0;
    for (int i = 0; i < 200; i++)
        if (type("\x04") & LDISC_READY)
            ready++;
    cr_assert_eq(ready, LDISC_RECORDS);
    for (int i = 0; i < ready; i++)
        cr_assert_str_eq(read_n(10), "");
    cr_assert_not(ldisc_ready(&ld));
}

Test(ldisc, the_queue_wraps_around)
{
    char want[64];
    for (int i = 0; i < 300; i++) {
        snprintf(want, sizeof want, "line %d of many\n", i);
        type(want);
        cr_assert_str_eq(read_n(100), want);
    }
}

Test(ldisc, read_of_zero_bytes_consumes_nothing)
{
    type("a\n");
    char buf[4];
    cr_assert_eq(ldisc_read(&ld, buf, 0), 0);
    cr_assert_str_eq(read_n(4), "a\n");
}
#endif
