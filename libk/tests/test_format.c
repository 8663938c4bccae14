/*
 * test_format.c -- vformat/vsnprintf/snprintf on hand-picked cases:
 * Tidepool's own definitions (%p, NULL strings, unknown conversions)
 * that glibc does differently, buffer edge cases, and several
 * conversions in one format.  The bulk comparison with glibc is in
 * test_format_diff.c.
 */
#include <criterion/criterion.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "libk_test.h"

/*
 * Formats with libk_snprintf into a fresh buffer and checks both the
 * text and the return value.
 */
static char out[256];

/* Hides a format from GCC's compile-time format checks, which would
 * (rightly, for real code) reject the deliberately odd ones here. */
static const char *opaque(const char *fmt)
{
    /* SAFETY: an empty asm that only claims to change fmt's register:
     * no instruction runs, no memory is touched. */
    __asm__("" : "+r"(fmt));
    return fmt;
}

#define EXPECT(want, fmt, ...)                                                                     \
    do {                                                                                           \
        const char *fmt_ = opaque(fmt);                                                            \
        memset(out, 0x5a, sizeof out);                                                             \
        int n_ = libk_snprintf(out, sizeof out, fmt_, ##__VA_ARGS__);                              \
        cr_assert_str_eq(out, want, "format \"%s\"", fmt_);                                        \
        cr_assert_eq(n_, (int)strlen(want), "format \"%s\": returned %d", fmt_, n_);               \
    } while (0)

Test(format, plain_text_and_percent)
{
    EXPECT("", "");
    EXPECT("hello", "hello");
    EXPECT("100%", "100%%");
    EXPECT("%%", "%%%%");
}

Test(format, percent_ignores_flags_and_width)
{
    EXPECT("%", "%5%");
    EXPECT("[%]", "[%-05%]");
}

Test(format, unknown_conversion_is_copied)
{
    EXPECT("%y", "%y");
    EXPECT("a%-5yb", "a%-5yb");
    EXPECT("x%", "x%");   /* lone % at the end */
    EXPECT("%-0", "%-0"); /* spec cut off by the end */
}

Test(format, several_conversions_consume_their_arguments)
{
    EXPECT("1 two 3 c ff -4 5", "%d %s %u %c %x %lld %zu", 1, "two", 3u, 'c', 255u, -4LL,
           (size_t)5);
    EXPECT("[   ab|12   |-0042]", "[%*s|%-*d|%0*d]", 5, "ab", 5, 12, 5, -42);
}

Test(format, integer_extremes)
{
    EXPECT("-2147483648", "%d", INT_MIN);
    EXPECT("2147483647", "%i", INT_MAX);
    EXPECT("4294967295", "%u", UINT_MAX);
    EXPECT("-9223372036854775808", "%lld", LLONG_MIN);
    EXPECT("9223372036854775807", "%lld", LLONG_MAX);
    EXPECT("18446744073709551615", "%llu", ULLONG_MAX);
    EXPECT("ffffffffffffffff", "%llx", ULLONG_MAX);
    EXPECT("1777777777777777777777", "%llo", ULLONG_MAX);
    EXPECT("-9223372036854775808", "%jd", INTMAX_MIN);
    EXPECT("10000000000000000000", "%ju", (uintmax_t)10000000000000000000u);
    EXPECT("4294967296", "%llu", 4294967296ULL); /* just above 32 bits */
}

Test(format, length_modifiers_narrow_the_value)
{
    EXPECT("-1", "%hhd", 255);
    EXPECT("255", "%hhu", -1);
    EXPECT("-128", "%hhd", 128);
    EXPECT("-1", "%hd", 65535);
    EXPECT("65535", "%hu", -1);
    EXPECT("ff", "%hhx", 0x1ff);
    EXPECT("-3", "%td", (ptrdiff_t)-3);
    EXPECT("-1", "%zd", (size_t)-1);
}

Test(format, pointers_are_0x_hex_even_null)
{
    EXPECT("0x0", "%p", (void *)0);
    EXPECT("0x1234", "%p", (void *)0x1234);
    EXPECT("0xdeadbeef", "%p", (void *)(uintptr_t)0xdeadbeefu);
    EXPECT("     0x0", "%8p", (void *)0);
    EXPECT("0x0     |", "%-8p|", (void *)0);
    EXPECT("0x000000ab", "%010p", (void *)0xab);
    EXPECT("0x00ab", "%.4p", (void *)0xab);
}

Test(format, null_string)
{
    EXPECT("(null)", "%s", (char *)NULL);
    EXPECT("  (null)", "%8s", (char *)NULL);
    EXPECT("(nu", "%.3s", (char *)NULL);
}

Test(format, string_precision_reads_no_further)
{
    /* No NUL anywhere: ASan would report a read past the array. */
    const char letters[3] = {'a', 'b', 'c'};

    EXPECT("ab", "%.2s", letters);
    EXPECT("abc", "%.3s", letters);
    EXPECT("  abc", "%5.*s", 3, letters);
}

Test(format, char_nul_is_output_and_counted)
{
    char buf[8];

    memset(buf, 'x', sizeof buf);
    cr_assert_eq(libk_snprintf(buf, sizeof buf, "a%cb", 0), 3);
    cr_assert(memcmp(buf, "a\0b\0xxxx", 8) == 0);
}

Test(format, star_width_negative_and_precision_negative)
{
    EXPECT("7    |", "%*d|", -5, 7);
    EXPECT("0", "%.*d", -3, 0);          /* negative precision = none */
    EXPECT("", "%.*d", 0, 0);            /* (a zero precision prints no 0) */
    EXPECT("00007", "%0*.*d", 5, -1, 7); /* ... so '0' applies */
    EXPECT("  007", "%0*.*d", 5, 3, 7);  /* precision beats '0' */
}

Test(format, huge_numbers_in_format_saturate)
{
    char buf[4];

    /* A precision that does not fit in an int must not overflow
     * (UBSan would stop the test) or wrap to a negative "none". */
    EXPECT("ab", "%.99999999999999s", "ab");
    EXPECT("ab", "%.2147483648s", "ab");
    /* Output cut to the buffer; the return value counts it all. */
    cr_assert_eq(libk_snprintf(buf, sizeof buf, "%100000d", 1), 100000);
    cr_assert_str_eq(buf, "   ");
}

Test(format, truncation_and_return_value)
{
    char buf[8];

    memset(buf, 'x', sizeof buf);
    cr_assert_eq(libk_snprintf(buf, 4, "%d", 123456), 6);
    cr_assert(memcmp(buf, "123\0xxxx", 8) == 0);

    memset(buf, 'x', sizeof buf);
    cr_assert_eq(libk_snprintf(buf, 1, "abc"), 3);
    cr_assert(memcmp(buf, "\0xxxxxxx", 8) == 0);

    memset(buf, 'x', sizeof buf);
    cr_assert_eq(libk_snprintf(buf, 0, "abc"), 3);
    cr_assert(memcmp(buf, "xxxxxxxx", 8) == 0);

    cr_assert_eq(libk_snprintf(NULL, 0, "%s-%d", "abc", 42), 6);

    memset(buf, 'x', sizeof buf);
    cr_assert_eq(libk_snprintf(buf, 4, "abc"), 3); /* exactly fits */
    cr_assert(memcmp(buf, "abc\0xxxx", 8) == 0);
}

/* vformat with a sink of our own: every character arrives, in order. */
struct sink {
    char text[64];
    size_t len;
};

static void sink_emit(char c, void *ctx)
{
    struct sink *s = ctx;

    cr_assert_lt(s->len, sizeof s->text);
    s->text[s->len++] = c;
}

static int sink_format(struct sink *s, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    int n = vformat(sink_emit, s, fmt, ap);
    va_end(ap);
    return n;
}

Test(format, vformat_emits_through_callback)
{
    struct sink s = {.len = 0};

    cr_assert_eq(sink_format(&s, "<%5s|%-3c|%#x>", "ab", 'z', 0xbeefu), 18);
    cr_assert_eq(s.len, 18);
    cr_assert(memcmp(s.text, "<   ab|z  |0xbeef>", 18) == 0);
}

/* vsnprintf must leave the caller's va_list usable for va_end only, but
 * must read the arguments from the position it was handed. */
static int twice(char *buf, size_t n, const char *fmt, ...)
{
    va_list ap, copy;

    va_start(ap, fmt);
    va_copy(copy, ap);
    int first = libk_vsnprintf(buf, n, fmt, ap);
    int second = libk_vsnprintf(buf, n, fmt, copy);
    va_end(copy);
    va_end(ap);
    return first == second ? first : -2;
}

Test(format, vsnprintf_reads_from_given_va_list)
{
    char buf[32];

    cr_assert_eq(twice(buf, sizeof buf, "%d:%s", 12, "ab"), 5);
    cr_assert_str_eq(buf, "12:ab");
}
