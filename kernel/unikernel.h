/*
 * unikernel.h -- one program linked into the kernel image, run in ring 0
 * (`make UNIKERNEL=1 PROG=NAME`, docs/unikernel.md).
 *
 * The program is an ordinary user ELF (user.ld, crt0, the libc), built
 * with -DUNIKERNEL and carried inside kernel.elf. At boot it is placed
 * in the root file system as /bin/NAME and started by the usual loader
 * (exec) in a process of its own; only its threads' first frames differ:
 * they enter ring 0 (unikernel_frame). Its libc calls the handlers of
 * the kernel's syscall_table itself (abi/unikernel_door.h).
 * Everything here exists only when UNIKERNEL is defined.
 */
#ifndef UNIKERNEL_H
#define UNIKERNEL_H

#if LAB >= 4
#ifdef UNIKERNEL
#include "arch/i386/trapframe.h"
#include <stdbool.h>

/* Put the carried program into the root file system as /bin/NAME. */
bool unikernel_install(void);
struct process;
/* Turn a thread's first frame (ring 3: eip = entry, esp = its stack) into
 * one that starts the same code on the same stack in ring 0; p is the
 * program's process. */
void unikernel_frame(struct trapframe *tf, struct process *p);
/* The program's thread leaves for good (its process exits, or it called
 * thread_exit): off the program's stack, which may be unmapped next,
 * onto the thread's kernel stack, into proc_thread_exit(status). */
__attribute__((noreturn)) void unikernel_thread_exit(int status);
#endif /* UNIKERNEL */
#endif /* LAB >= 4 */

#endif
