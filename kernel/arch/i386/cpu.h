/*
 * cpu.h -- single instructions the kernel needs that C has no word for.
 */
#ifndef ARCH_I386_CPU_H
#define ARCH_I386_CPU_H

#include <stdint.h>

/* The time-stamp counter. Under QEMU's -icount shift=0 it counts guest
 * instructions exactly (the benchmarks' path lengths rely on that). */
static inline uint64_t cpu_read_tsc(void)
{
    uint32_t lo, hi;
    /* SAFETY: reads the time-stamp counter; no side effects. */
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

static inline void cpu_halt(void)
{
    /* SAFETY: hlt only waits for the next interrupt; with interrupts off
     * (cli) it stops this CPU until NMI or reset. */
    __asm__ volatile("hlt");
}

/* One turn of a spin-wait loop. */
static inline void cpu_pause(void)
{
    /* SAFETY: `pause` only hints a spin-wait loop; "memory" makes the
     * loop reread what it waits for. */
    __asm__ volatile("pause" : : : "memory");
}

/* A full barrier: every load and store before it is done (visible to
 * the other CPUs) before any after it. x86 reorders only a later load
 * before an earlier store (the store buffer); a locked instruction
 * drains it. (C11's atomic_thread_fence(seq_cst) says the same, but
 * ThreadSanitizer, which KCSAN builds use, cannot take it.) */
static inline void cpu_full_barrier(void)
{
    /* SAFETY: `lock or` of 0 into the word at the top of our own stack:
     * it changes nothing, and the lock prefix orders memory both ways;
     * "memory" keeps the compiler from moving accesses across it. */
    __asm__ volatile("lock orl $0, (%%esp)" : : : "memory", "cc");
}

static inline void cpu_disable_interrupts(void)
{
    /* SAFETY: cli only clears EFLAGS.IF; "memory" keeps the compiler from
     * moving memory accesses out of the interrupts-off region. */
    __asm__ volatile("cli" : : : "memory");
}

/* Stop this CPU for good: interrupts off, then hlt forever. */
static inline __attribute__((noreturn)) void cpu_stop(void)
{
    for (;;) {
        cpu_disable_interrupts();
        cpu_halt();
    }
}

/* The current frame pointer: the start of the chain backtrace() walks. */
static inline uintptr_t cpu_read_ebp(void)
{
    uintptr_t ebp;
    /* SAFETY: reads a register, touches no memory. Valid as a frame
     * pointer only because the kernel is built with -fno-omit-frame-pointer. */
    __asm__ volatile("movl %%ebp, %0" : "=r"(ebp));
    return ebp;
}

/* Bochs' "magic breakpoint": drops into its debugger (or quits, when the
 * debugger's rc file says so). A no-op on real CPUs and in QEMU. */
static inline void cpu_bochs_break(void)
{
    /* SAFETY: xchg of a register with itself changes nothing. */
    __asm__ volatile("xchgw %bx, %bx");
}

/*
 * Zero one 4 KiB page with `rep stosl`: 1,024 stores of 4 bytes, which
 * -icount counts as 1,024 instructions -- a quarter of what memset's
 * word loop (store, add, subtract, branch per word) costs. Used for the
 * frames the kernel hands out zeroed: first-touch faults, page tables.
 */
static inline void page_zero(void *page)
{
    void *dst = page;
    uint32_t words = 4096 / 4;
    /* SAFETY: writes exactly 4096 bytes at `page`, which the caller owns
     * (a frame through the direct map, or a page table it just got);
     * the kernel runs with DF clear (every entry path does cld), so
     * stosl walks upwards. "memory" because the asm writes memory the
     * compiler cannot see. */
    __asm__ volatile("rep stosl" : "+D"(dst), "+c"(words) : "a"(0) : "memory");
}

#endif
