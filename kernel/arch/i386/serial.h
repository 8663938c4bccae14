/* serial.h -- the 16550 UART driver (polled; lab 2 adds receive interrupts). */
#ifndef ARCH_I386_SERIAL_H
#define ARCH_I386_SERIAL_H

#include <stdint.h>
#include <stdbool.h>

/* I/O base ports of the first two PC serial ports. COM1 is the human
 * console; COM2 carries only KTAP test results (docs/protocol.md). */
#define COM1 0x3F8
#define COM2 0x2F8

void serial_init(uint16_t port);
void serial_putc(uint16_t port, char c);
/* The next received byte, or -1 when none is waiting. */
int serial_getc_nowait(uint16_t port);
/* Wait until every byte written has left the UART (before power-off). */
void serial_flush(uint16_t port);
#if LAB >= 2
/* Raise an interrupt (COM1: IRQ 4) for each received byte, and hand the
 * bytes to the console's input. */
void serial_enable_rx_interrupt(uint16_t port, int irq);
#endif

#endif
