/*
 * format_test.c -- lab 1: vsnprintf inside the kernel.
 *
 * The host tests check libk's formatter thoroughly against glibc; these
 * cases check what only the 32-bit kernel build can get wrong: 64-bit
 * values on a 32-bit CPU (libgcc's division helpers), `long` being 32 bits,
 * and the formatter working without a libc underneath.
 */
#include "ktest.h"
#include <stdio.h>
#include <string.h>
#include <limits.h>

static void expect_format(int line, const char *expected, const char *fmt, ...)
{
    char buf[64];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (strcmp(buf, expected) != 0 || n != (int)strlen(expected))
        ktest_fail(__FILE__, line, "format \"%s\": expected \"%s\" (%d), got \"%s\" (%d)",
                   fmt, expected, (int)strlen(expected), buf, n);
}

#define EXPECT_FORMAT(expected, ...) expect_format(__LINE__, expected, __VA_ARGS__)

KTEST(format, vsnprintf)
{
    EXPECT_FORMAT("42", "%d", 42);
    EXPECT_FORMAT("-2147483648", "%d", INT_MIN);
    EXPECT_FORMAT("4294967295", "%u", UINT_MAX);
    EXPECT_FORMAT("deadbeef DEADBEEF", "%x %X", 0xdeadbeefu, 0xdeadbeefu);
    EXPECT_FORMAT("[   42]", "[%5d]", 42);
    EXPECT_FORMAT("[42   ]", "[%-5d]", 42);
    EXPECT_FORMAT("[00042]", "[%05d]", 42);
    EXPECT_FORMAT("[-0042]", "[%05d]", -42);
    EXPECT_FORMAT("[  042]", "[%5.3d]", 42);
    EXPECT_FORMAT("[0000beef]", "[%08x]", 0xbeef);
    EXPECT_FORMAT("[ab]", "[%.2s]", "abc");
    EXPECT_FORMAT("[  abc]", "[%*s]", 5, "abc");
    EXPECT_FORMAT("[x] 100%", "[%c] 100%%", 'x');
    EXPECT_FORMAT("-9223372036854775808", "%lld", LLONG_MIN);
    EXPECT_FORMAT("18446744073709551615", "%llu", ULLONG_MAX);
    EXPECT_FORMAT("123456789abcdef0", "%llx", 0x123456789abcdef0ull);
    EXPECT_FORMAT("4294967295", "%lu", ULONG_MAX);   /* long is 32-bit here */
    EXPECT_FORMAT("4096", "%zu", (size_t)4096);
    /* SAFETY: integer -> pointer only to be printed, never dereferenced. */
    EXPECT_FORMAT("0x101000", "%p", (void *)0x101000);   /* libk: like %#x */
}

KTEST(format, truncation)
{
    char buf[8];
    memset(buf, 'Z', sizeof buf);
    /* C99: write at most size-1 chars, always terminate, return the full
     * length that would have been written. */
    KEXPECT_EQ(snprintf(buf, 5, "%s-%d", "abc", 12345), 9);
    KEXPECT_STREQ(buf, "abc-");
    KEXPECT_EQ(buf[5], 'Z');
    KEXPECT_EQ(snprintf(buf, 0, "%d", 7), 1);
    KEXPECT_EQ(buf[0], 'a');
}
