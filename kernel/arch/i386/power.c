/*
 * power.c -- how the kernel leaves the machine.
 *
 * Tests need an exit status, and real PCs have no such thing, so each
 * emulator offers a device for it:
 *   QEMU:  -device isa-debug-exit,iobase=0xf4,iosize=0x04
 *          writing v to port 0xf4 exits QEMU with status (v << 1) | 1.
 *   Bochs: the "magic breakpoint" instruction xchg %bx,%bx enters its
 *          debugger, whose rc file then says `q` (tools/bochs.rc).
 */
#include "arch/i386/power.h"
#include "arch/i386/io.h"
#include "arch/i386/cpu.h"
#include "arch/i386/serial.h"

enum { ISA_DEBUG_EXIT_PORT = 0xF4, KBC_COMMAND = 0x64, KBC_PULSE_RESET = 0xFE };

void machine_exit(int code)
{
    /* The UARTs still hold bytes in their FIFOs: let them drain, or the
     * grader never sees the last lines (Bochs loses them otherwise). */
    serial_flush(COM1);
    serial_flush(COM2);
    /* SAFETY: port 0xf4 is QEMU's isa-debug-exit when configured (it ends
     * the emulator) and unused on the PC otherwise: the write is harmless. */
    outl(ISA_DEBUG_EXIT_PORT, (uint32_t)code);
    cpu_bochs_break();
    cpu_stop();
}

void machine_reboot(void)
{
    serial_flush(COM1);
    /* The 8042 keyboard controller's output port bit 0 is wired to the
     * CPU's reset line; command 0xFE pulses it. */
    /* SAFETY: resets the machine on purpose; nothing is left to protect. */
    outb(KBC_COMMAND, KBC_PULSE_RESET);
    cpu_stop();
}
