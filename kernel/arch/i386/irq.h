/* irq.h -- turning interrupts off and on, saving the previous state. */
#ifndef ARCH_I386_IRQ_H
#define ARCH_I386_IRQ_H

#if LAB >= 2
#include <stdbool.h>
#include <stdint.h>

#define EFLAGS_IF 0x200     /* interrupts enabled */

static inline uint32_t read_eflags(void)
{
    uint32_t eflags;
    /* SAFETY: pushes and pops eflags on our own stack; no other effect. */
    __asm__ volatile("pushfl\n\tpopl %0" : "=r"(eflags));
    return eflags;
}

static inline void irq_enable(void)
{
    /* SAFETY: sets IF; "memory" keeps accesses from moving across it. Only
     * called once the IDT and the PIC are set up (trap_init()). */
    __asm__ volatile("sti" : : : "memory");
}

static inline void irq_disable(void)
{
    /* SAFETY: clears IF; "memory" as above. */
    __asm__ volatile("cli" : : : "memory");
}

static inline bool irq_enabled(void)
{
    return (read_eflags() & EFLAGS_IF) != 0;
}

/* Turn interrupts off and return the previous state for irq_restore().
 * Nests: a function that must not be interrupted calls
 *     uint32_t s = irq_save(); ... irq_restore(s);
 * and works whether its caller had interrupts on or off. */
static inline uint32_t irq_save(void)
{
    uint32_t eflags = read_eflags();
    irq_disable();
    return eflags;
}

static inline void irq_restore(uint32_t saved)
{
    if (saved & EFLAGS_IF)
        irq_enable();
}

/* Sleep until the next interrupt. sti takes effect after the instruction
 * that follows it, so no interrupt can slip in between the caller's check
 * (made with interrupts off) and the hlt: the wake-up is never lost. */
static inline void irq_wait(void)
{
    /* SAFETY: sti;hlt as one sequence, see above. */
    __asm__ volatile("sti\n\thlt" : : : "memory");
}
#endif /* LAB >= 2 */

#endif
