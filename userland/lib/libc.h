/*
 * libc.h -- what the libc's own files share and programs do not see.
 */
#ifndef USER_LIBC_H
#define USER_LIBC_H

#include <stdbool.h>
#include <stdint.h>

/* syscall_path.c: set the path syscall_raw() takes (start.c, once). */
void syscall_choose_path(bool sysenter);

/* file.c: writes out every stdio stream's output (exit() calls it). */
void stdio_flush_all(void);

/* start.c: remembers the auxiliary vector for getauxval(). */
void auxv_remember(const uintptr_t *auxv);

/*
 * The system-call helpers of syscalls.c. A pointer argument travels to
 * the kernel as a 32-bit word; user_arg() is the one place that turns it
 * into one. sys_result() turns the kernel's -ENAME into errno and -1.
 */
static inline long user_arg(const void *p)
{
    /* SAFETY: pointer -> integer: on i386 a pointer and a long are both
     * 32 bits, and the kernel checks every address it is given (copyin,
     * copyout: a bad one gives -EFAULT), so no value here is unsafe. */
    return (long)(uintptr_t)p;
}

long sys_result(long r);

/*
 * libc_syscall(): how the libc's own wrappers enter the kernel.
 *
 * Normally syscall_raw(), which takes the door chosen at start. In a
 * unikernel build (docs/unikernel.md) the program runs in ring 0, and
 * this is the door itself, inlined into every wrapper: a plain call of
 * the kernel's handler from the kernel's table (crt0.S copied the table's
 * address, and what follows, from the struct unikernel_door the kernel
 * passed in ecx). No trap, no trap frame, no choice at run time.
 */
#ifdef UNIKERNEL
#include <errno.h>
#include <syscall.h>
#include <unikernel_door.h>
extern const unikernel_handler *unikernel_table;
/* SAFETY: volatile: the kernel sets the flag from another thread (exit,
 * a fault, kill) while this one runs: every check reads it again. */
extern const volatile bool *unikernel_exiting;
extern void (*unikernel_stop)(void);

static inline long libc_syscall(long nr, long a1, long a2, long a3, long a4, long a5)
{
    unikernel_handler fn = (unsigned long)nr < SYS_MAX ? unikernel_table[nr] : 0;
    if (fn == 0)
        return -ENOSYS;
    long r = fn((uint32_t)a1, (uint32_t)a2, (uint32_t)a3, (uint32_t)a4, (uint32_t)a5);
    /* As the kernel does on the way back to ring 3: a thread of a process
     * that is ending (exit, a fault, kill) goes no further. */
    if (__builtin_expect(*unikernel_exiting, 0))
        unikernel_stop();
    return r;
}
#else
#define libc_syscall syscall_raw
#endif

#endif
