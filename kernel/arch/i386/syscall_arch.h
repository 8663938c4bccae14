/* syscall_arch.h -- the int $0x80 gate and sysenter's MSRs (syscall_arch.c). */
#ifndef ARCH_I386_SYSCALL_ARCH_H
#define ARCH_I386_SYSCALL_ARCH_H

#if LAB >= 4
#include <stdbool.h>

#define T_SYSCALL 0x80

void syscall_arch_init(void);
#if LAB >= 5
/* This CPU's sysenter MSRs (an AP; the boot CPU's come from the above). */
void syscall_arch_init_cpu(int cpu);
#endif
/* True once sysenter's MSRs are set (the CPU has SEP). */
extern bool sysenter_enabled;
#endif

#endif
