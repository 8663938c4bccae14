/*
 * lapic.h -- each CPU's local APIC: its id, end of interrupt, IPIs, and
 * its timer (the CPU's own preemption tick).
 *
 * Every CPU reaches its own local APIC at the same physical address
 * (0xFEE00000 unless the MSR or the MADT says otherwise): the registers
 * a CPU reads there are its own. Intel SDM vol. 3A, chapter 11.
 */
#ifndef ARCH_I386_LAPIC_H
#define ARCH_I386_LAPIC_H

#if LAB >= 5
#include <stdbool.h>
#include <stdint.h>

/* Map the registers (boot CPU, once); false if the CPU has no APIC. */
bool lapic_init(void);
bool lapic_present(void);
/* Enable this CPU's local APIC (spurious vector, TPR 0, LVTs masked;
 * `keep_lint0`: the boot CPU still takes the 8259's interrupts through
 * LINT0 in virtual-wire mode, when there is no I/O APIC). */
void lapic_init_cpu(bool keep_lint0);
uint8_t lapic_id(void);
void lapic_eoi(void);

/* IPIs. Each waits (bounded) until the APIC has sent the previous one;
 * false if it never did. */
bool lapic_send_ipi(uint8_t apic_id, uint8_t vector);
bool lapic_send_init(uint8_t apic_id);
/* STARTUP: the AP starts in real mode at page_pa (4 KiB aligned, < 1 MiB). */
bool lapic_send_startup(uint8_t apic_id, uint32_t page_pa);

/* The timer. The boot CPU starts a free-running count at boot; the PIT's
 * ticks (which come anyway) measure it -- no calibration loop. */
void lapic_timer_start_calibration(void);
/* From the PIT's interrupt on CPU 0. True once this CPU's LAPIC timer
 * gives the scheduler its ticks (then the PIT only keeps the clock). */
bool lapic_timer_on_pit_tick(uint32_t pit_hz);
/* Start this CPU's periodic timer at the scheduler's rate (an AP). */
void lapic_timer_start(void);
/* From this CPU's timer interrupt: reprogram if the calibrated period
 * changed since this CPU started its timer. */
void lapic_timer_tick(void);
/* LAPIC timer counts per PIT tick (0 until measured). */
extern uint32_t lapic_timer_per_tick;
#endif /* LAB >= 5 */

#endif
