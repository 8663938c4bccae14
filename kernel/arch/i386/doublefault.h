/* doublefault.h -- surviving a kernel stack overflow long enough to say so. */
#ifndef ARCH_I386_DOUBLEFAULT_H
#define ARCH_I386_DOUBLEFAULT_H

#if LAB >= 3
#include "arch/i386/idt.h"

/* Install the double-fault tasks (after paging_init: they need CR3) and
 * the boot CPU's #DF gate. */
void doublefault_init(void);
/* CPU cpu's #DF gate: a task gate to its own double-fault task (lab 5:
 * one per CPU; before, one task, cpu 0). */
struct idt_gate doublefault_gate(int cpu);
#endif
#if LAB >= 5
/* How many CPUs are about to double-fault at once (selftest=
 * smp-stackoverflow sets 2): each one's task waits, a bounded while, for
 * the others, so that they are all in their tasks together. */
extern int doublefault_expected;
#endif

#endif
