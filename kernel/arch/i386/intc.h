/*
 * intc.h -- the interrupt controller, whichever it is: where trap.c sends
 * its end-of-interrupt and unmasks a line.
 *
 *   labs 2-4, or one CPU, or no MADT:  the 8259 pair (pic.c) -- EOI by port
 *   lab 5 with several CPUs:           ISA IRQs through the I/O APIC to the
 *                                      boot CPU, EOI to the local APIC;
 *                                      every CPU's LAPIC timer and IPIs
 *   (no I/O APIC driver or none listed: the 8259 stays for the ISA IRQs,
 *    through the boot CPU's LINT0, and the LAPICs still do timers and IPIs)
 */
#ifndef ARCH_I386_INTC_H
#define ARCH_I386_INTC_H

#if LAB >= 5
#include <stdbool.h>

enum intc_mode { INTC_PIC, INTC_PIC_LAPIC, INTC_IOAPIC };
extern enum intc_mode intc_mode;

/* The 8259s, and from lab 5 the APICs if the machine has several CPUs. */
void intc_init(void);
void intc_unmask(int irq);
/* End of interrupt for ISA IRQ irq (0-15). */
void intc_eoi(int irq);
/* An IRQ 7 or 15 the 8259 did not really raise (never, with the I/O APIC). */
bool intc_is_spurious(int irq);
const char *intc_name(void);
#elif LAB >= 2
/* Labs 2-4: the 8259s, directly. */
#include "arch/i386/pic.h"
static inline void intc_init(void) { pic_init(); }
static inline void intc_unmask(int irq) { pic_unmask(irq); }
static inline void intc_eoi(int irq) { pic_send_eoi(irq); }
static inline bool intc_is_spurious(int irq) { return pic_is_spurious(irq); }
#endif

#endif
