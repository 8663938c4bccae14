/*
 * selftest_ubsan.c -- undefined behaviour committed on purpose, so the
 * tests (grading/safety/test_ubsan.py, test_stack_protector.py) can see
 * the checkers catch it. ubsan.mk compiles this file WITH the checker.
 *
 * Each bug sits in its own noipa function and takes its operands as
 * arguments: noipa keeps GCC from seeing the constants at the call site
 * (and folding the UB away or refusing to compile it), so the check runs
 * at run time, in the named function, on the marked line. The tests find
 * the line by its "UB here:" comment, never by number.
 */
#include "sanitizers/selftest_ubsan.h"
#include "console.h"
#include "arch/i386/power.h"
#include <limits.h>
#include <stddef.h>
#include <stdint.h>

static void selftest_done(const char *name)
{
    kprintf("selftest: %s done\n", name);
    machine_exit(EXIT_DONE);
}

__attribute__((noipa)) int selftest_ubsan_add(int a, int b)
{
    return a + b;               /* UB here: signed-integer-overflow */
}

void selftest_ubsan_overflow(void)
{
    kprintf("INT_MAX + 1 = %d\n", selftest_ubsan_add(INT_MAX, 1));
    selftest_done("ubsan-overflow");
}

__attribute__((noipa)) int selftest_ubsan_shl(int value, int bits)
{
    return value << bits;       /* UB here: shift-out-of-bounds */
}

void selftest_ubsan_shift(void)
{
    kprintf("1 << 33 = %d\n", selftest_ubsan_shl(1, 33));
    selftest_done("ubsan-shift");
}

/* The array sits in a struct with a neighbour, so the read past its end
 * lands on memory that exists: only the checker can tell. */
static struct {
    int table[4];
    int neighbour;
} selftest_oob_data = { { 1, 2, 3, 4 }, 5 };

__attribute__((noipa)) int selftest_ubsan_index(int i)
{
    return selftest_oob_data.table[i];      /* UB here: out-of-bounds */
}

void selftest_ubsan_oob(void)
{
    kprintf("table[4] = %d\n", selftest_ubsan_index(4));
    selftest_done("ubsan-oob");
}

__attribute__((noipa)) uint32_t selftest_ubsan_load32(const uint32_t *p)
{
    return *p;                  /* UB here: misaligned-access */
}

void selftest_ubsan_misaligned(void)
{
    static uint32_t words[2] = { 0x11223344, 0x55667788 };
    /* One byte into an aligned word: x86 loads it fine, C says a
     * uint32_t * must be 4-aligned. (A pointer -> pointer cast.) */
    const uint32_t *odd = (const uint32_t *)((const char *)words + 1);
    kprintf("misaligned load = 0x%08x\n", selftest_ubsan_load32(odd));
    selftest_done("ubsan-misaligned");
}

struct selftest_pair {
    int first;
    int second;
};

/* A member's address taken through a null pointer: the check reports it
 * and nothing is dereferenced, so the kernel goes on even where page 0
 * is unmapped (from lab 3; a real load would page-fault right after the
 * report). */
__attribute__((noipa)) int *selftest_ubsan_member(struct selftest_pair *p)
{
    return &p->second;          /* UB here: null-dereference */
}

void selftest_ubsan_null(void)
{
    /* SAFETY: pointer -> integer: only printed. */
    kprintf("&NULL->second = 0x%x\n", (unsigned)(uintptr_t)selftest_ubsan_member(NULL));
    selftest_done("ubsan-null");
}

/* Writes n bytes of 'A' from p on: n past the end of the caller's buffer
 * reaches its canary. Through a pointer, so neither the bounds check
 * nor GCC's -Wstringop-overflow (which knows the buffer's size when it
 * sees a memset on it) stands in the way: the canary is what must stop
 * this. */
__attribute__((noipa)) void selftest_fill(char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = 'A';
}

/* no_sanitize_address: under KASAN the buffer would get redzones and
 * KASAN would report the overrun first; here it is the canary's turn. */
__attribute__((noipa, no_sanitize_address)) int selftest_smash_frame(size_t n)
{
    char buf[16];
    selftest_fill(buf, n);      /* UB here: stack-smash */
    return buf[0];
}

void selftest_stack_smash(void)
{
    /* 16 bytes of buffer, then the canary within the next 16 (GCC puts
     * it right above the character arrays; padding may come between). */
    kprintf("selftest_smash_frame returned %d\n", selftest_smash_frame(16 + 16));
    kprintf("selftest: stack-smash was not caught (no stack protector?)\n");
}
