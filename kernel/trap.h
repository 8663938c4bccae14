/* trap.h -- interrupts and exceptions, as the rest of the kernel sees them. */
#ifndef TRAP_H
#define TRAP_H

#if LAB >= 2
#include "arch/i386/trapframe.h"
#include <stdbool.h>
#include <stdint.h>

/* Exception vectors (Intel SDM vol. 3A, table 6-1). */
#define T_DIVIDE  0
#define T_DEBUG   1
#define T_NMI     2
#define T_BRKPT   3
#define T_ILLOP   6
#define T_DBLFLT  8
#define T_GPFLT   13
#define T_PGFLT   14
#define T_NO_STUB 255   /* an exception without a stub yet (lab 2 exercise 1) */

/* Page-fault error code bits. */
#define PF_PRESENT 0x1  /* 0: page not present; 1: protection violation */
#define PF_WRITE   0x2  /* 0: read; 1: write */
#define PF_USER    0x4  /* 0: kernel mode; 1: user mode */

typedef void (*irq_handler_t)(struct trapframe *tf);

/* IDT, PICs and timer; then interrupts on. False if the IDT could not be
 * loaded: the kernel then goes on with interrupts off, as in lab 1. */
bool trap_init(void);
/* Call `handler` for IRQ `irq` (0..15) and unmask the line. */
void irq_register(int irq, irq_handler_t handler);
/* For a slow handler: acknowledge the interrupt now and let others (the
 * timer) in while the handler goes on; the dispatcher then sends no EOI. */
void irq_end_early(int irq);

/* How many times each vector arrived (the monitor's irqstat). */
extern uint32_t trap_counts[256];
/* IRQ 7/15 that the PIC did not really raise. */
extern uint32_t spurious_irqs;

/* Tests: the next trap with this vector is expected. Instead of a panic,
 * trap() records it in *e and resumes at `resume_eip`. NULL cancels. */
struct expected_trap {
    uint32_t vector;
    uint32_t resume_eip;
    int hit;
    struct trapframe frame;   /* as the trap found it */
    uint32_t cr2;
};
void trap_expect(struct expected_trap *e);

const char *trap_name(uint32_t vector);
#endif /* LAB >= 2 */

#endif
