/*
 * string.c -- memory and C-string functions.
 *
 * Plain byte loops, written for clarity; only memcpy and memset, which
 * move whole pages, take a word at a time when they can (on i386 with
 * one `rep movsl` / `rep stosl`, elsewhere with a loop).
 *
 * This file must be compiled with -fno-tree-loop-distribute-patterns
 * (LIBK_CFLAGS in libk/libk.mk): GCC can recognise the byte loop in
 * memset as "a memset" and compile it into a call to memset -- itself.
 */
#include "string.h"

#include <stdint.h>

/*
 * Under KASAN (make KASAN=1) the three functions that move whole blocks
 * are split, as in Linux (mm/kasan/shadow.c): memcpy, memmove and memset
 * check the caller's whole range once with kasan_check_range() and then
 * call the raw __memcpy, __memmove, __memset, which are not instrumented
 * (a check per byte would say nothing new). Files KASAN does not check
 * -- its own runtime, the heap's bookkeeping -- call the raw ones
 * directly (string.h), since they work inside redzones on purpose.
 */
#ifdef CONFIG_KASAN
#include <stdbool.h>
#define RAW(name) __##name
#define RAW_ATTR __attribute__((no_sanitize_address))
void kasan_check_range(const void *p, size_t size, bool write, uintptr_t pc);
#else
#define RAW(name) name
#define RAW_ATTR
#endif

/*
 * A machine word that may alias any other type, so that copying words
 * out of, say, a struct of chars is not a strict-aliasing violation.
 */
typedef unsigned long __attribute__((may_alias)) word_t;

#define WORD_SIZE sizeof(word_t)

static int word_aligned(const void *p)
{
    /* SAFETY: pointer -> integer only to read the low address bits. */
    return ((uintptr_t)p % WORD_SIZE) == 0;
}

RAW_ATTR void *RAW(memcpy)(void *restrict dst, const void *restrict src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;

    /* Word copies only when both sides are aligned; x86 would cope
     * with misaligned words, but other CPUs fault on them. */
    if (word_aligned(d) && word_aligned(s)) {
#if defined(__i386__)
        /* On i386 one `rep movsl` moves all the words: the loop below
         * is four instructions a word, and a thread's creation copies
         * its 512-byte FPU state, a fork whole pages (issue 13). */
        size_t words = n / WORD_SIZE;
        n %= WORD_SIZE;
        /* SAFETY: copies `words` 4-byte words from s to d, both inside
         * the caller's buffers (n bytes each); DF is clear in the kernel
         * and by the C ABI, so it copies upwards; the "+" operands tell
         * the compiler how far d and s moved. */
        __asm__ volatile("rep movsl" : "+D"(d), "+S"(s), "+c"(words) : : "memory");
#else
        for (; n >= WORD_SIZE; n -= WORD_SIZE) {
            *(word_t *)d = *(const word_t *)s;
            d += WORD_SIZE;
            s += WORD_SIZE;
        }
#endif
    }
    while (n-- > 0)
        *d++ = *s++;
    return dst;
}

/* Like memcpy, but the two areas may overlap. */
RAW_ATTR void *RAW(memmove)(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;

    /*
     * If the destination starts below the source, a forward copy reads
     * every byte before overwriting it; otherwise copy backwards.
     * Compare as integers: < between unrelated pointers is undefined.
     * SAFETY: pointers -> integers only for this comparison; both stay
     * the caller's buffers, accessed through the pointers themselves.
     */
    if ((uintptr_t)d < (uintptr_t)s) {
        for (size_t i = 0; i < n; i++)
            d[i] = s[i];
    } else if ((uintptr_t)d > (uintptr_t)s) {
        for (size_t i = n; i > 0; i--)
            d[i - 1] = s[i - 1];
    }
    return dst;
}

RAW_ATTR void *RAW(memset)(void *dst, int c, size_t n)
{
    unsigned char *d = dst;
    unsigned char byte = (unsigned char)c;

    /* Byte-fill up to a word boundary, then fill whole words. */
    while (n > 0 && !word_aligned(d)) {
        *d++ = byte;
        n--;
    }
    if (n >= WORD_SIZE) {
        /* 0x0101...01 times the byte repeats it in every lane. */
        word_t pattern = ((word_t)-1 / 0xff) * byte;

#if defined(__i386__)
        /* One `rep stosl` for all the words, as in memcpy. */
        size_t words = n / WORD_SIZE;
        n %= WORD_SIZE;
        /* SAFETY: stores `words` 4-byte words from d on, inside the
         * caller's n bytes; DF is clear (kernel and C ABI), so upwards. */
        __asm__ volatile("rep stosl" : "+D"(d), "+c"(words) : "a"(pattern) : "memory");
#else
        for (; n >= WORD_SIZE; n -= WORD_SIZE) {
            *(word_t *)d = pattern;
            d += WORD_SIZE;
        }
#endif
    }
    while (n-- > 0)
        *d++ = byte;
    return dst;
}

#ifdef CONFIG_KASAN
/* The checked entry points: the pc reported is the caller's. */
void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
    /* SAFETY: pointer -> integer: the caller's address, for the report. */
    uintptr_t pc = (uintptr_t)__builtin_return_address(0);
    kasan_check_range(src, n, false, pc);
    kasan_check_range(dst, n, true, pc);
    return __memcpy(dst, src, n);
}

void *memmove(void *dst, const void *src, size_t n)
{
    /* SAFETY: as in memcpy. */
    uintptr_t pc = (uintptr_t)__builtin_return_address(0);
    kasan_check_range(src, n, false, pc);
    kasan_check_range(dst, n, true, pc);
    return __memmove(dst, src, n);
}

void *memset(void *dst, int c, size_t n)
{
    /* SAFETY: as in memcpy. */
    kasan_check_range(dst, n, true, (uintptr_t)__builtin_return_address(0));
    return __memset(dst, c, n);
}
#endif

/* The sign of the result is that of the first differing byte, compared
 * as unsigned char (so 0x80 > 0x7f), as the standard requires. */
int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *p = a;
    const unsigned char *q = b;

    for (size_t i = 0; i < n; i++) {
        if (p[i] != q[i])
            return p[i] < q[i] ? -1 : 1;
    }
    return 0;
}

void *memchr(const void *s, int c, size_t n)
{
    const unsigned char *p = s;

    for (size_t i = 0; i < n; i++) {
        if (p[i] == (unsigned char)c)
            return (void *)(p + i);
    }
    return NULL;
}

size_t strlen(const char *s)
{
    size_t n = 0;

    while (s[n] != '\0')
        n++;
    return n;
}

/* strlen that looks at no more than maxlen bytes (for buffers that may
 * lack a terminator, e.g. "%.*s" in the formatter). */
size_t strnlen(const char *s, size_t maxlen)
{
    size_t n = 0;

    while (n < maxlen && s[n] != '\0')
        n++;
    return n;
}

/* Like memcmp, the characters are compared as unsigned char. */
int strcmp(const char *a, const char *b)
{
    return strncmp(a, b, SIZE_MAX);
}

int strncmp(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char ca = (unsigned char)a[i];
        unsigned char cb = (unsigned char)b[i];

        if (ca != cb)
            return ca < cb ? -1 : 1;
        if (ca == '\0')
            break;
    }
    return 0;
}

/* The terminating NUL counts as part of the string: strchr(s, 0) finds it. */
char *strchr(const char *s, int c)
{
    for (;; s++) {
        if (*s == (char)c)
            return (char *)s;
        if (*s == '\0')
            return NULL;
    }
}

char *strrchr(const char *s, int c)
{
    const char *last = NULL;

    for (;; s++) {
        if (*s == (char)c)
            last = s;
        if (*s == '\0')
            return (char *)last;
    }
}

/* An empty needle matches at the start of the haystack. */
char *strstr(const char *haystack, const char *needle)
{
    size_t n = strlen(needle);

    if (n == 0)
        return (char *)haystack;
    for (; *haystack != '\0'; haystack++) {
        if (strncmp(haystack, needle, n) == 0)
            return (char *)haystack;
    }
    return NULL;
}

/* Length of the longest prefix of s made only of characters in accept. */
size_t strspn(const char *s, const char *accept)
{
    size_t n = 0;

    while (s[n] != '\0' && strchr(accept, s[n]) != NULL)
        n++;
    return n;
}

/* Length of the longest prefix of s with no character from reject: the
 * index of the first separator, e.g. strcspn("a,b", ",") == 1. */
size_t strcspn(const char *s, const char *reject)
{
    size_t n = 0;

    while (s[n] != '\0' && strchr(reject, s[n]) == NULL)
        n++;
    return n;
}

char *strcpy(char *restrict dst, const char *restrict src)
{
    char *d = dst;

    while ((*d++ = *src++) != '\0')
        ;
    return dst;
}

/*
 * Copies at most n bytes, and then pads with NULs up to n.  Beware: if
 * src has n or more characters, dst is NOT NUL-terminated.  Prefer
 * strlcpy; strncpy exists for fixed-width fields such as tar headers.
 */
char *strncpy(char *restrict dst, const char *restrict src, size_t n)
{
    size_t i = 0;

    for (; i < n && src[i] != '\0'; i++)
        dst[i] = src[i];
    for (; i < n; i++)
        dst[i] = '\0';
    return dst;
}

/*
 * Copies src into a buffer of `size` bytes, truncating if needed, and
 * always NUL-terminates when size > 0.  Returns strlen(src), so
 * `strlcpy(...) >= size` tells the caller the copy was truncated.
 */
size_t strlcpy(char *restrict dst, const char *restrict src, size_t size)
{
    size_t len = strlen(src);

    if (size > 0) {
        size_t copy = len < size ? len : size - 1;

        memcpy(dst, src, copy);
        dst[copy] = '\0';
    }
    return len;
}

char *strcat(char *restrict dst, const char *restrict src)
{
    strcpy(dst + strlen(dst), src);
    return dst;
}
