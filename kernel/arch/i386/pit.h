/* pit.h -- the 8253/8254 programmable interval timer: the clock tick. */
#ifndef ARCH_I386_PIT_H
#define ARCH_I386_PIT_H

#if LAB >= 2
#include <stdint.h>

#define PIT_INPUT_HZ   1193182u     /* the PIT's crystal: 14.31818 MHz / 12 */
#define PIT_DEFAULT_HZ 100

/* Ticks since pit_init(); advanced by the timer interrupt.
 * SAFETY: volatile: see pit.c (one writer, the IRQ 0 handler). */
extern volatile uint32_t pit_ticks;
extern uint32_t pit_hz;

/* The divisor that makes channel 0 fire `hz` times a second. */
uint16_t pit_divisor(uint32_t hz);
void pit_init(uint32_t hz);
/* Wait for n ticks, halted (not spinning) between them. Interrupts must be
 * on, or no tick would ever come. */
void sleep_ticks(uint32_t n);
#endif /* LAB >= 2 */

#endif
