/*
 * test_string.c -- libk's string.h against reference results.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "prng.h"
#include "libk_test.h"

#define GUARD 0x5a

/* ---- memcpy / memset / memmove: every small length and alignment ---- */

Test(string, memcpy_all_alignments_and_lengths)
{
    unsigned char src[96], dst[96], want[96];

    for (size_t i = 0; i < sizeof src; i++)
        src[i] = (unsigned char)(i * 7 + 1);
    for (size_t so = 0; so < 8; so++) {
        for (size_t d_off = 0; d_off < 8; d_off++) {
            for (size_t n = 0; n <= 64; n++) {
                memset(dst, GUARD, sizeof dst);
                memset(want, GUARD, sizeof want);
                for (size_t i = 0; i < n; i++)
                    want[d_off + i] = src[so + i];
                void *r = libk_memcpy(dst + d_off, src + so, n);
                cr_assert_eq(r, dst + d_off);
                cr_assert(memcmp(dst, want, sizeof dst) == 0, "memcpy src+%zu dst+%zu n=%zu", so,
                          d_off, n);
            }
        }
    }
}

Test(string, memset_all_alignments_and_lengths)
{
    unsigned char buf[96], want[96];

    for (size_t off = 0; off < 8; off++) {
        for (size_t n = 0; n <= 64; n++) {
            memset(buf, GUARD, sizeof buf);
            memset(want, GUARD, sizeof want);
            for (size_t i = 0; i < n; i++)
                want[off + i] = 0xab;
            cr_assert_eq(libk_memset(buf + off, 0xab, n), buf + off);
            cr_assert(memcmp(buf, want, sizeof buf) == 0, "memset off=%zu n=%zu", off, n);
        }
    }
}

Test(string, memset_uses_only_low_byte_of_c)
{
    unsigned char buf[16];

    libk_memset(buf, 0x1ff, sizeof buf); /* (unsigned char)0x1ff = 0xff */
    for (size_t i = 0; i < sizeof buf; i++)
        cr_assert_eq(buf[i], 0xff);
    libk_memset(buf, -2, sizeof buf);
    for (size_t i = 0; i < sizeof buf; i++)
        cr_assert_eq(buf[i], 0xfe);
}

/* Overlap in both directions, all offsets and lengths in a 40-byte area:
 * the result must equal copying through a separate temporary. */
Test(string, memmove_overlapping_both_directions)
{
    unsigned char buf[40], want[40], tmp[40];

    for (size_t src = 0; src < 20; src++) {
        for (size_t dst = 0; dst < 20; dst++) {
            for (size_t n = 0; n <= 20; n++) {
                for (size_t i = 0; i < sizeof buf; i++)
                    buf[i] = want[i] = (unsigned char)i;
                memcpy(tmp, want + src, n);
                memcpy(want + dst, tmp, n);
                cr_assert_eq(libk_memmove(buf + dst, buf + src, n), buf + dst);
                cr_assert(memcmp(buf, want, sizeof buf) == 0, "memmove dst=%zu src=%zu n=%zu", dst,
                          src, n);
            }
        }
    }
}

/* ---- comparisons ---------------------------------------------------- */

static int sign(int x)
{
    return (x > 0) - (x < 0);
}

Test(string, memcmp_compares_bytes_as_unsigned)
{
    cr_assert_gt(libk_memcmp("\x80", "\x7f", 1), 0);
    cr_assert_lt(libk_memcmp("\x7f", "\x80", 1), 0);
    cr_assert_gt(libk_memcmp("a\xff", "a\x01", 2), 0);
    cr_assert_eq(libk_memcmp("abc", "abd", 2), 0);
    cr_assert_eq(libk_memcmp("abc", "xyz", 0), 0);
    /* Bytes past a NUL still count: memcmp is not strcmp. */
    cr_assert_lt(libk_memcmp("a\0b", "a\0c", 3), 0);
}

Test(string, memcmp_strcmp_strncmp_sign_like_glibc)
{
    struct prng r = {1};
    char a[12], b[12];

    for (int iter = 0; iter < 20000; iter++) {
        size_t n = prng_below(&r, sizeof a);

        /* Small alphabet, incl. high bytes: long common prefixes. */
        for (size_t i = 0; i < sizeof a; i++) {
            static const char alphabet[] = "ab\x7f\x80\xff";
            a[i] = alphabet[prng_below(&r, 5)];
            b[i] = prng_one_in(&r, 4) ? alphabet[prng_below(&r, 5)] : a[i];
        }
        a[prng_below(&r, sizeof a)] = '\0';
        b[prng_below(&r, sizeof b)] = '\0';
        cr_assert_eq(sign(libk_memcmp(a, b, n)), sign(memcmp(a, b, n)));
        cr_assert_eq(sign(libk_strcmp(a, b)), sign(strcmp(a, b)));
        cr_assert_eq(sign(libk_strncmp(a, b, n)), sign(strncmp(a, b, n)));
    }
}

Test(string, strcmp_and_strncmp)
{
    cr_assert_eq(libk_strcmp("", ""), 0);
    cr_assert_lt(libk_strcmp("", "a"), 0);
    cr_assert_gt(libk_strcmp("ab", "a"), 0);
    cr_assert_gt(libk_strcmp("\xe9", "z"), 0); /* unsigned compare */
    cr_assert_eq(libk_strncmp("abcX", "abcY", 3), 0);
    cr_assert_lt(libk_strncmp("abcX", "abcY", 4), 0);
    cr_assert_eq(libk_strncmp("ab", "ab", 100), 0); /* stops at NUL */
    cr_assert_eq(libk_strncmp("x", "y", 0), 0);
}

/* ---- searching ------------------------------------------------------ */

Test(string, memchr_finds_first_within_n)
{
    const char s[] = "abcabc";

    cr_assert_eq(libk_memchr(s, 'c', 6), s + 2);
    cr_assert_null(libk_memchr(s, 'c', 2));
    cr_assert_eq(libk_memchr(s, 0x100 + 'b', 6), s + 1); /* low byte */
    cr_assert_eq(libk_memchr(s, '\0', 7), s + 6);
    const unsigned char hi[] = {1, 0xff, 2};
    cr_assert_eq(libk_memchr(hi, 0xff, 3), hi + 1);
    cr_assert_eq(libk_memchr(hi, -1, 3), hi + 1);
}

Test(string, strlen_and_strnlen)
{
    cr_assert_eq(libk_strlen(""), 0);
    cr_assert_eq(libk_strlen("hello"), 5);
    cr_assert_eq(libk_strlen("a\0b"), 1);
    cr_assert_eq(libk_strnlen("hello", 3), 3);
    cr_assert_eq(libk_strnlen("hello", 5), 5);
    cr_assert_eq(libk_strnlen("hello", 99), 5);
    /* No terminator within maxlen: must not read past it (ASan). */
    char unterminated[4] = {'a', 'b', 'c', 'd'};
    cr_assert_eq(libk_strnlen(unterminated, sizeof unterminated), 4);
}

Test(string, strchr_and_strrchr)
{
    const char *s = "hello";

    cr_assert_eq(libk_strchr(s, 'l'), s + 2);
    cr_assert_eq(libk_strrchr(s, 'l'), s + 3);
    cr_assert_eq(libk_strchr(s, 'h'), s);
    cr_assert_eq(libk_strrchr(s, 'h'), s);
    cr_assert_null(libk_strchr(s, 'z'));
    cr_assert_null(libk_strrchr(s, 'z'));
    /* The terminator is part of the string. */
    cr_assert_eq(libk_strchr(s, '\0'), s + 5);
    cr_assert_eq(libk_strrchr(s, '\0'), s + 5);
    const char hi[] = "a\xe9z";
    cr_assert_eq(libk_strchr(hi, 0xe9), hi + 1);
    cr_assert_eq(libk_strchr(hi, (char)0xe9), hi + 1);
}

Test(string, strstr)
{
    const char *h = "aaaaab";

    cr_assert_eq(libk_strstr(h, ""), h);
    cr_assert_eq(libk_strstr(h, "aab"), h + 3); /* after false starts */
    cr_assert_eq(libk_strstr(h, "b"), h + 5);
    cr_assert_eq(libk_strstr(h, "aaaaab"), h);
    cr_assert_null(libk_strstr(h, "aaaaaab")); /* longer than h */
    cr_assert_null(libk_strstr(h, "ba"));
    cr_assert_null(libk_strstr("", "a"));
    const char *e = "";
    cr_assert_eq(libk_strstr(e, ""), e);
}

Test(string, strspn_and_strcspn_like_glibc)
{
    static const char *const strs[] = {"",
                                       "a",
                                       "abc",
                                       "a,b",
                                       ",a",
                                       "  x ",
                                       "\xe9"
                                       "a",
                                       "aaa",
                                       "cab"};
    static const char *const sets[] = {"", "a", ",", " ", "ab", "cba", "\xe9", "xyz"};

    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++) {
        for (size_t j = 0; j < sizeof sets / sizeof sets[0]; j++) {
            cr_assert_eq(libk_strspn(strs[i], sets[j]), strspn(strs[i], sets[j]),
                         "strspn(\"%s\", \"%s\")", strs[i], sets[j]);
            cr_assert_eq(libk_strcspn(strs[i], sets[j]), strcspn(strs[i], sets[j]),
                         "strcspn(\"%s\", \"%s\")", strs[i], sets[j]);
        }
    }
    /* The NUL ends s; it is never "in" the set. */
    cr_assert_eq(libk_strcspn("a,b", ","), 1);
    cr_assert_eq(libk_strspn("aab", "a"), 2);
}

/* ---- copying -------------------------------------------------------- */

Test(string, strcpy_and_strcat)
{
    char buf[16];

    memset(buf, GUARD, sizeof buf);
    cr_assert_eq(libk_strcpy(buf, "abc"), buf);
    cr_assert(memcmp(buf, "abc\0\x5a", 5) == 0);
    cr_assert_eq(libk_strcat(buf, "de"), buf);
    cr_assert(memcmp(buf, "abcde\0\x5a", 7) == 0);
    libk_strcat(buf, "");
    cr_assert_str_eq(buf, "abcde");
    libk_strcpy(buf, "");
    cr_assert_eq(buf[0], '\0');
    cr_assert_eq(buf[1], 'b'); /* nothing beyond the NUL written */
}

Test(string, strncpy_pads_with_nuls)
{
    char buf[8];

    memset(buf, GUARD, sizeof buf);
    cr_assert_eq(libk_strncpy(buf, "ab", 6), buf);
    cr_assert(memcmp(buf, "ab\0\0\0\0\x5a\x5a", 8) == 0);
}

Test(string, strncpy_does_not_terminate_when_src_is_long)
{
    char buf[8];

    memset(buf, GUARD, sizeof buf);
    libk_strncpy(buf, "abcdefgh", 4);
    cr_assert(memcmp(buf, "abcd\x5a\x5a\x5a\x5a", 8) == 0);
    libk_strncpy(buf, "wxyz", 4); /* exactly n: no NUL either */
    cr_assert(memcmp(buf, "wxyz\x5a", 5) == 0);
    libk_strncpy(buf, "q", 0);
    cr_assert_eq(buf[0], 'w');
}

Test(string, strlcpy_truncates_and_returns_source_length)
{
    char buf[8];

    memset(buf, GUARD, sizeof buf);
    cr_assert_eq(libk_strlcpy(buf, "abc", sizeof buf), 3);
    cr_assert(memcmp(buf, "abc\0\x5a", 5) == 0); /* no padding */

    cr_assert_eq(libk_strlcpy(buf, "0123456789", sizeof buf), 10);
    cr_assert_str_eq(buf, "0123456"); /* size-1 chars + NUL */

    memset(buf, GUARD, sizeof buf);
    cr_assert_eq(libk_strlcpy(buf, "xyz", 1), 3);
    cr_assert_eq(buf[0], '\0');
    cr_assert_eq(buf[1], GUARD);

    cr_assert_eq(libk_strlcpy(buf, "xyz", 0), 3); /* touches nothing */
    cr_assert_eq(buf[0], '\0');
    cr_assert_eq(buf[1], GUARD);

    cr_assert_eq(libk_strlcpy(NULL, "hello", 0), 5);
}
