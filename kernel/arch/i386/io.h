/*
 * io.h -- x86 port I/O.
 *
 * Devices on the ISA bus (serial ports, the PIC, the PIT, QEMU's
 * isa-debug-exit) live in a separate 64 KiB I/O address space reached only
 * through the in/out instructions. C cannot express those, hence inline asm.
 */
#ifndef ARCH_I386_IO_H
#define ARCH_I386_IO_H

#include <stdint.h>

static inline void outb(uint16_t port, uint8_t value)
{
    /* SAFETY: writes one byte to an I/O port. The caller owns the device
     * behind `port`; "memory" keeps earlier memory writes (e.g. a buffer
     * the device will read) from being moved after the write. */
    __asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(port) : "memory");
}

static inline uint8_t inb(uint16_t port)
{
    uint8_t value;
    /* SAFETY: reads one byte from an I/O port the caller owns. Reading a
     * port can have side effects (it pops a UART's receive FIFO), so it is
     * volatile and never merged or dropped. */
    __asm__ volatile("inb %1, %0" : "=a"(value) : "Nd"(port) : "memory");
    return value;
}

static inline void outw(uint16_t port, uint16_t value)
{
    /* SAFETY: as outb, 16 bits wide. */
    __asm__ volatile("outw %0, %1" : : "a"(value), "Nd"(port) : "memory");
}

static inline void outl(uint16_t port, uint32_t value)
{
    /* SAFETY: as outb, 32 bits wide. */
    __asm__ volatile("outl %0, %1" : : "a"(value), "Nd"(port) : "memory");
}

static inline uint16_t inw(uint16_t port)
{
    uint16_t value;
    /* SAFETY: as inb, 16 bits wide. */
    __asm__ volatile("inw %1, %0" : "=a"(value) : "Nd"(port) : "memory");
    return value;
}

static inline uint32_t inl(uint16_t port)
{
    uint32_t value;
    /* SAFETY: as inb, 32 bits wide (PCI configuration data, 0xCFC). */
    __asm__ volatile("inl %1, %0" : "=a"(value) : "Nd"(port) : "memory");
    return value;
}

#endif
