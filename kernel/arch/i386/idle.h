/* idle.h -- halting a CPU that has nothing to run (idle.S). */
#ifndef ARCH_I386_IDLE_H
#define ARCH_I386_IDLE_H

#if LAB >= 4
#include "arch/i386/trapframe.h"
#include <stdbool.h>
#include <stdint.h>

/* sti; hlt: wait for the next interrupt. Call with interrupts off, after
 * checking that there is nothing to do; returns with interrupts on. */
void cpu_idle_halt(void);
extern char cpu_idle_halt_resume[];

#if LAB >= 5
/* Halt unless *word == value (idle.S): a spinlock waiter's halt, ended by
 * an NMI (spin_halt.c). Call with interrupts off; irqs_on: sti; hlt. */
void cpu_halt_unless(const uint16_t *word, uint16_t value, bool irqs_on);
extern char cpu_halt_unless_resume[];

/* From the NMI handler: an NMI that interrupted cpu_halt_unless() before
 * its hlt skips the hlt (the NMI may be the very wake-up it waits for). */
static inline void cpu_halt_window_skip(struct trapframe *tf)
{
    /* SAFETY: pointer -> integer, only compared with and stored as the
     * saved eip: both addresses are in cpu_halt_unless (idle.S), and
     * resume is its `ret`, a valid place to continue from anywhere in it. */
    uint32_t start = (uint32_t)(uintptr_t)cpu_halt_unless;
    uint32_t resume = (uint32_t)(uintptr_t)cpu_halt_unless_resume;
    if (tf->eip >= start && tf->eip < resume)
        tf->eip = resume;
}
#endif

/* Did this interrupt find the CPU halted in cpu_idle_halt()? */
static inline bool cpu_was_halted(const struct trapframe *tf)
{
    /* SAFETY: pointer -> integer, only compared with a saved eip. */
    return tf->eip == (uint32_t)(uintptr_t)cpu_idle_halt_resume;
}
#endif /* LAB >= 4 */

#endif
