/*
 * serial.c -- 16550 UART, polled.
 *
 * Register map (offsets from the base port), from the National
 * Semiconductor PC16550D datasheet:
 *   +0 THR/RBR (DLAB=0): transmit / receive buffer; DLL (DLAB=1) divisor low
 *   +1 IER     (DLAB=0): interrupt enable;           DLM (DLAB=1) divisor high
 *   +2 FCR: FIFO control        +3 LCR: line control (bit 7 = DLAB)
 *   +4 MCR: modem control       +5 LSR: line status
 */
#include "arch/i386/serial.h"
#include "arch/i386/io.h"
#if LAB >= 2
#include "console.h"
#include "trap.h"
#endif

enum {
    UART_DATA = 0, UART_IER = 1, UART_FCR = 2, UART_LCR = 3,
    UART_MCR = 4, UART_LSR = 5,
};

enum {
    LCR_8N1 = 0x03,         /* 8 data bits, no parity, 1 stop bit */
    LCR_DLAB = 0x80,        /* next two registers are the baud divisor */
    FCR_ENABLE_CLEAR = 0x07,/* enable FIFOs, clear both */
    MCR_DTR_RTS_OUT2 = 0x0B,/* OUT2 gates the UART's IRQ line on PCs */
    LSR_DATA_READY = 0x01,
    LSR_THR_EMPTY = 0x20,   /* room for one more byte */
    LSR_TX_IDLE = 0x40,     /* transmitter completely empty (TEMT) */
};

/* SAFETY (every port access in this file): `port` is COM1 or COM2, whose
 * eight registers at port+0..7 belong to this driver alone; each access
 * below follows the register protocol of the 16550 datasheet. */

void serial_init(uint16_t port)
{
    outb(port + UART_IER, 0x00);            /* polled: no interrupts yet */
    outb(port + UART_LCR, LCR_DLAB);
    outb(port + UART_DATA, 1);              /* divisor 1: 115200 baud */
    outb(port + UART_IER, 0);
    /* Program the full line format, not just DLAB off: Bochs drops output
     * when LCR is left half-set (FIELD-NOTES). */
    outb(port + UART_LCR, LCR_8N1);
    outb(port + UART_FCR, FCR_ENABLE_CLEAR);
    outb(port + UART_MCR, MCR_DTR_RTS_OUT2);
}

void serial_putc(uint16_t port, char c)
{
    /* A missing UART reads as 0xFF, which has THR_EMPTY set: the loop ends
     * and the byte goes nowhere, so a machine with one port still boots. */
    while (!(inb(port + UART_LSR) & LSR_THR_EMPTY))
        ;
    outb(port + UART_DATA, (uint8_t)c);
}

int serial_getc_nowait(uint16_t port)
{
    uint8_t lsr = inb(port + UART_LSR);
    if (lsr == 0xFF || !(lsr & LSR_DATA_READY))
        return -1;
    return inb(port + UART_DATA);
}

void serial_flush(uint16_t port)
{
    while (!(inb(port + UART_LSR) & LSR_TX_IDLE))
        ;
}

#if LAB >= 2
enum { IER_RX_AVAILABLE = 0x01 };

/* Drain the receive FIFO: a burst of bytes raises one interrupt. */
static void serial_rx_irq(struct trapframe *tf)
{
    (void)tf;
    int c;
    while ((c = serial_getc_nowait(COM1)) >= 0)
        console_input(c == '\r' ? '\n' : (char)c);
}

void serial_enable_rx_interrupt(uint16_t port, int irq)
{
    irq_register(irq, serial_rx_irq);
    outb(port + UART_IER, IER_RX_AVAILABLE);
    serial_rx_irq(NULL);    /* bytes that arrived before: no edge for them */
}
#endif
