/*
 * stack_protector.c -- the canary behind -fstack-protector-strong.
 *
 * With -fstack-protector-strong (Makefile CFLAGS) GCC gives every function
 * with a local array or a local whose address escapes a canary: its
 * prologue copies __stack_chk_guard into the frame, between the locals
 * and the saved ebp and return address; its epilogue compares the copy
 * with __stack_chk_guard and calls __stack_chk_fail() when they differ.
 * A linear overflow of a local buffer must run over the canary before it
 * reaches the return address, so it is caught before `ret` uses it.
 * -mstack-protector-guard=global makes GCC read the guard from this
 * global; its i386 default, %gs:0x14, is glibc's thread control block,
 * which a kernel does not have. One value serves all CPUs: it is chosen
 * once, before the APs start, and never changes.
 */
#include "sanitizers/stack_protector.h"
#include "panic.h"
#include "symbols.h"
#include "arch/i386/io.h"
#include <stdint.h>

/* This file sets the guard, so nothing in it may carry a canary: a
 * protected function here would copy the old guard in its prologue and
 * find the new one in its epilogue. stack_protector.mk compiles it with
 * -fno-stack-protector; this keeps anyone from dropping that line. */
#if defined(__SSP__) || defined(__SSP_STRONG__) || defined(__SSP_ALL__)
#error "stack_protector.c must be compiled with -fno-stack-protector (stack_protector.mk)"
#endif

/* In .data, not .bss: boot.S zeroes .bss before it calls us, and any
 * canary compared before stack_protector_init() (none should be) must at
 * least be the same value in the prologue and the epilogue. */
uintptr_t __stack_chk_guard __attribute__((section(".data"))) = STACK_GUARD_FALLBACK;

static uint64_t read_tsc(void)
{
    uint32_t lo, hi;
    /* SAFETY: rdtsc only reads the time-stamp counter (every i686 has
     * one; CR4.TSD is clear, and we are in ring 0 anyway). */
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

/* The wall-clock time as the CMOS RTC holds it (seconds .. year), packed.
 * Not a time to trust (it may be mid-update, BCD or binary): only bits
 * that differ from one boot to the next. */
static uint32_t read_rtc_bits(void)
{
    static const uint8_t regs[] = { 0x00, 0x02, 0x04, 0x07, 0x08, 0x09 };
    uint32_t bits = 0;
    for (unsigned i = 0; i < sizeof regs; i++) {
        /* SAFETY: 0x70/0x71 are the CMOS index and data ports. This runs
         * from _start, before kmain: one CPU, interrupts off, nobody else
         * (rtc.c's cmos_lock users come later) touches the CMOS yet.
         * 0x80 in the index keeps NMIs off while it is selected. */
        outb(0x70, (uint8_t)(0x80 | regs[i]));
        bits = (bits << 5) ^ (bits >> 27) ^ inb(0x71);
    }
    /* SAFETY: as above; NMIs back on, index at register D (harmless). */
    outb(0x70, 0x0d);
    return bits;
}

/* A 32-bit finalizer (murmur3's): every input bit flips about half the
 * output bits, so the low-entropy RTC and the TSC's low bits spread. */
static uint32_t mix32(uint32_t x)
{
    x ^= x >> 16;
    x *= 0x85ebca6bu;
    x ^= x >> 13;
    x *= 0xc2b2ae35u;
    x ^= x >> 16;
    return x;
}

/*
 * Called by _start (boot.S) before kmain. The guard must not change while
 * a protected function is on the stack: that function's epilogue would
 * compare the new guard with the old copy in its frame and report a smash
 * that never happened. At this point the only frame is _start's, which is
 * assembly without a canary, and this function has none (see the #error
 * above); every protected function that ever runs is called after this
 * returns, so each one's prologue and epilogue see the same value. The
 * APs start much later (lab 5) and only read it.
 */
void stack_protector_init(void)
{
    uint64_t tsc = read_tsc();
    uint32_t guard = mix32((uint32_t)tsc ^ mix32((uint32_t)(tsc >> 32) ^ read_rtc_bits()));
    /* The low byte is the canary's first byte in memory (little endian):
     * zero, like glibc's, so a runaway string copy (strcpy, a %s) that
     * reaches the canary must either write the terminator or stop there,
     * and it cannot read the canary out through a string either. */
    guard &= ~0xffu;
    if (guard == 0)
        guard = STACK_GUARD_FALLBACK;
    __stack_chk_guard = guard;
}

/*
 * A protected function's epilogue found its canary changed: something
 * wrote past the end of one of its local arrays. The frame's return
 * address may be overwritten too, so stop here, before it is used. Our
 * own return address is in the epilogue of the function whose frame was
 * smashed: name it (ksym_lookup) for the report.
 */
__attribute__((noreturn)) void __stack_chk_fail(void)
{
    /* SAFETY: pointer -> integer: a code address, only looked up in the
     * symbol table and printed. */
    uintptr_t ret = (uintptr_t)__builtin_return_address(0);
    uintptr_t offset = 0;
    const char *function = ksym_lookup(ret - 1, &offset);
    panic("stack-protector: stack smashed in %s (canary checked at %s+0x%x, 0x%08x)",
          function ? function : "??", function ? function : "??", (unsigned)(offset + 1),
          (unsigned)ret);
}
