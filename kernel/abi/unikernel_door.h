/*
 * unikernel_door.h -- what a unikernel build's kernel hands the program's
 * libc (docs/unikernel.md): the address of one of these, in ecx at
 * _start (crt0.S keeps it).
 *
 * The program runs in ring 0 in the kernel's address space, so its libc
 * calls the system-call handlers itself, from the kernel's own table:
 * the same handlers int $0x80 and sysenter reach, called with the same
 * five arguments, the result (or -errno) as they return it. After each
 * call it checks whether its process is ending (exit, a fault, kill),
 * as the kernel does on its way back to ring 3, and if so calls stop(),
 * which ends the calling thread and never returns.
 */
#ifndef ABI_UNIKERNEL_DOOR_H
#define ABI_UNIKERNEL_DOOR_H

#include <stdbool.h>
#include <stdint.h>

typedef int32_t (*unikernel_handler)(uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4,
                                     uint32_t a5);

struct unikernel_door {
    const unikernel_handler *table;     /* SYS_MAX entries; NULL: no such call */
    /* SAFETY: volatile: another thread (exit, a fault) sets the flag
     * while this one runs; each check must read it again. */
    const volatile bool *exiting;       /* the program's process is ending */
    void (*stop)(void);                 /* then: this thread leaves (no return) */
};

#endif
