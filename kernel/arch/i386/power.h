/* power.h -- leaving the machine: emulator exit and reboot. */
#ifndef ARCH_I386_POWER_H
#define ARCH_I386_POWER_H

/* Values for machine_exit(); QEMU turns v into exit status (v << 1) | 1.
 * docs/protocol.md: 33 means "done", 35 means "panic". */
#define EXIT_DONE   0x10
#define EXIT_PANIC  0x11

/* Leave the emulator with the given status; on a machine without an exit
 * device, stop the CPU. Never returns. */
__attribute__((noreturn)) void machine_exit(int code);
/* Reset through the keyboard controller (QEMU with -no-reboot then exits
 * with status 0). Never returns. */
__attribute__((noreturn)) void machine_reboot(void);

#endif
