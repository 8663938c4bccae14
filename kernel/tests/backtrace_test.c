/*
 * backtrace_test.c -- lab 1: backtraces and the symbol table.
 */
#include "ktest.h"
#include "backtrace.h"
#include "symbols.h"
#include "arch/i386/cpu.h"
#include <string.h>

static uintptr_t captured[BACKTRACE_MAX];
static int ncaptured;

/* noinline plus work after each call, so every function keeps a frame
 * and a return address of its own. */
__attribute__((noinline)) void ktest_bt_c(void)
{
    ncaptured = backtrace_walk(cpu_read_ebp(), captured, BACKTRACE_MAX);
    __asm__ volatile("" ::: "memory");   /* SAFETY: empty; keeps a frame */
}

__attribute__((noinline)) void ktest_bt_b(void)
{
    ktest_bt_c();
    __asm__ volatile("" ::: "memory");   /* SAFETY: empty; keeps a frame */
}

__attribute__((noinline)) void ktest_bt_a(void)
{
    ktest_bt_b();
    __asm__ volatile("" ::: "memory");   /* SAFETY: empty; keeps a frame */
}

static const char *frame_name(int i)
{
    uintptr_t offset;
    const char *name = ksym_lookup(captured[i] - 1, &offset);
    return name ? name : "??";
}

KTEST(backtrace, nested)
{
    ncaptured = 0;
    ktest_bt_a();
    /* c's first return address is in b, then a, then this test, then the
     * ktest runner, ..., kmain. */
    KASSERT(ncaptured >= 4);
    KEXPECT_STREQ(frame_name(0), "ktest_bt_b");
    KEXPECT_STREQ(frame_name(1), "ktest_bt_a");
    KEXPECT_STREQ(frame_name(2), "ktest_fn_backtrace_nested");
    bool reaches_kmain = false;
    for (int i = 3; i < ncaptured; i++)
        reaches_kmain |= strcmp(frame_name(i), "kmain") == 0;
    KEXPECT(reaches_kmain);
}

KTEST(backtrace, stops_at_end)
{
    /* The chain ends at _start's zero frame, well before the limit. */
    ncaptured = 0;
    ktest_bt_a();
    KEXPECT(ncaptured > 0 && ncaptured < BACKTRACE_MAX);
    KEXPECT_STREQ(frame_name(ncaptured - 1), "_start");
}

KTEST(backtrace, stops_below_user_space)
{
    /* A chain that ends in a user frame pointer, as a system call through
     * sysenter's fast path leaves it: two kernel frames, then an ebp above
     * BACKTRACE_END. The walk takes both return addresses and stops there
     * without reading the user frame (unmapped here: a read would fault). */
    static uintptr_t chain[4];      /* the outer frame above the inner one */
    uintptr_t *inner = &chain[0], *outer = &chain[2];
    /* SAFETY: pointer -> integer: frame pointers into our own array, as
     * the chain stores them. */
    inner[0] = (uintptr_t)outer;
    inner[1] = 0x1111;
    outer[0] = BACKTRACE_END + 0x1000;
    outer[1] = 0x2222;
    ncaptured = backtrace_walk((uintptr_t)inner, captured, BACKTRACE_MAX);
    KEXPECT_EQ(ncaptured, 2);
    KEXPECT_EQ(captured[0], 0x1111);
    KEXPECT_EQ(captured[1], 0x2222);
}

KTEST(symbols, lookup)
{
    /* SAFETY: function pointer -> integer, to compare code addresses. */
    uintptr_t fn_addr = (uintptr_t)&ktest_bt_a;
    uintptr_t offset = 99;
    KEXPECT_EQ(ksym_address("ktest_bt_a"), fn_addr);
    KEXPECT_STREQ(ksym_lookup(fn_addr, &offset), "ktest_bt_a");
    KEXPECT_EQ(offset, 0);
    KEXPECT_STREQ(ksym_lookup(fn_addr + 3, &offset), "ktest_bt_a");
    KEXPECT_EQ(offset, 3);
    KEXPECT(ksym_lookup(0x1000, &offset) == NULL);   /* not kernel code */
    for (uint32_t i = 1; i < ksyms_count; i++)
        KEXPECT(ksyms_table[i - 1].addr < ksyms_table[i].addr);
}
