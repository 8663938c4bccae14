/*
 * syscall_path.c -- which way into the kernel this process takes.
 *
 * Chosen at start (start.c): every wrapper in syscalls.c goes through
 * syscall_raw() (libc.h: libc_syscall), which calls the chosen entry
 * ("door"). A unikernel build has no choice: its wrappers call the
 * kernel's handler directly (libc.h), and this file only answers the
 * door's name and keeps the table crt0 found. The default, for
 * anything that might run before the choice, is int $0x80, which every
 * kernel offers. A program may pick another door later by name
 * (syscall_set_door): the benchmark runs the same code through each.
 * This file is the one place that knows the doors' names.
 */
#include <errno.h>
#include <string.h>
#include <tidepool.h>

#include "libc.h"

#ifdef UNIKERNEL
/* A unikernel build (docs/unikernel.md) has one way in: a plain call of
 * the handler (libc.h: libc_syscall). crt0.S sets these three first
 * thing, from the kernel's struct unikernel_door. */
const unikernel_handler *unikernel_table;
/* SAFETY: volatile as declared in libc.h: the kernel's flag, set by
 * other threads. */
const volatile bool *unikernel_exiting;
void (*unikernel_stop)(void);

void syscall_choose_path(bool sysenter)
{
    (void)sysenter;
}

bool syscall_uses_sysenter(void)
{
    return false;
}

long syscall_direct(long nr, long a1, long a2, long a3, long a4, long a5)
{
    return libc_syscall(nr, a1, a2, a3, a4, a5);
}

long syscall_raw(long nr, long a1, long a2, long a3, long a4, long a5)
{
    return libc_syscall(nr, a1, a2, a3, a4, a5);
}
#else
typedef long (*syscall_entry_fn)(long, long, long, long, long, long);

static syscall_entry_fn syscall_entry = syscall_int80;

void syscall_choose_path(bool sysenter)
{
    syscall_entry = sysenter ? syscall_sysenter : syscall_int80;
}

bool syscall_uses_sysenter(void)
{
    return syscall_entry == syscall_sysenter;
}

long syscall_raw(long nr, long a1, long a2, long a3, long a4, long a5)
{
    return syscall_entry(nr, a1, a2, a3, a4, a5);
}
#endif

#ifdef UNIKERNEL
const char *syscall_door(void)
{
    return "direct";
}

/* From ring 0, int $0x80 would enter the kernel without a stack switch
 * and sysenter would leave by sysexit to ring 3: only "direct" is. */
int syscall_set_door(const char *name)
{
    if (strcmp(name, "direct") == 0)
        return 0;
    errno = strcmp(name, "int80") == 0 || strcmp(name, "sysenter") == 0 ? ENOSYS : EINVAL;
    return -1;
}
#else
const char *syscall_door(void)
{
    return syscall_uses_sysenter() ? "sysenter" : "int80";
}

int syscall_set_door(const char *name)
{
    if (strcmp(name, "int80") == 0) {
        syscall_choose_path(false);
        return 0;
    }
    if (strcmp(name, "sysenter") == 0) {
        if (getauxval(AT_SYSENTER) != 1) {
            errno = ENOSYS;     /* this kernel has not set the MSRs */
            return -1;
        }
        syscall_choose_path(true);
        return 0;
    }
    errno = strcmp(name, "direct") == 0 ? ENOSYS : EINVAL;  /* direct: unikernel builds only */
    return -1;
}
#endif
