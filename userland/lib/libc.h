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

#endif
