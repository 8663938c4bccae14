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

/* Did this interrupt find the CPU halted in cpu_idle_halt()? */
static inline bool cpu_was_halted(const struct trapframe *tf)
{
    /* SAFETY: pointer -> integer, only compared with a saved eip. */
    return tf->eip == (uint32_t)(uintptr_t)cpu_idle_halt_resume;
}
#endif /* LAB >= 4 */

#endif
