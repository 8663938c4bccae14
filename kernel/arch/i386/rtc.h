/* rtc.h -- the CMOS real-time clock's periodic interrupt (IRQ 8). */
#ifndef ARCH_I386_RTC_H
#define ARCH_I386_RTC_H

#if LAB >= 2
#include <stdint.h>
#include "trap.h"

/* Interrupts counted since rtc_start_periodic().
 * SAFETY: volatile: see rtc.c (one writer, the IRQ 8 handler). */
extern volatile uint32_t rtc_ticks;
/* Called on every RTC interrupt after counting (tests set it). */
extern irq_handler_t rtc_hook;

/* Interrupt 32768 >> (rate - 1) times a second (rate 3..15; 6 = 1024 Hz).
 * A second clock, independent of the PIT, on the slave PIC: tests use it
 * to measure the timer and to check EOIs to the slave. */
void rtc_start_periodic(int rate);
void rtc_stop_periodic(void);
#endif /* LAB >= 2 */

#endif
