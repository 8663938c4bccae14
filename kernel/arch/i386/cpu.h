/*
 * cpu.h -- single instructions the kernel needs that C has no word for.
 */
#ifndef ARCH_I386_CPU_H
#define ARCH_I386_CPU_H

#include <stdint.h>

static inline void cpu_halt(void)
{
    /* SAFETY: hlt only waits for the next interrupt; with interrupts off
     * (cli) it stops this CPU until NMI or reset. */
    __asm__ volatile("hlt");
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

#endif
