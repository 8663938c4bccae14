/*
 * syscall_path.c -- which way into the kernel this process takes.
 *
 * Chosen at start (start.c): every wrapper in syscalls.c, and
 * syscall_raw(), calls the chosen entry ("door", libc_door: libc.h's
 * libc_syscallN). A unikernel build has no choice: its wrappers call the
 * kernel's handler directly (libc.h), and this file only answers the
 * door's name and keeps its copy of the kernel's table. The default, for
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
 * the handler (libc.h), from this copy of the kernel's table. */
unikernel_handler unikernel_calls[SYS_MAX];
/* SAFETY: volatile as declared in libc.h: the kernel's flag, set by
 * other threads. */
const volatile bool *unikernel_exiting;
unikernel_stop_fn unikernel_stop;

/* A number the kernel has no handler for, as the kernel answers it. */
static int32_t unikernel_enosys(uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4, uint32_t a5)
{
    (void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
    return -ENOSYS;
}

/* crt0.S calls this before anything else, with the door the kernel
 * passed in ecx. The table is copied once, its holes filled, so that a
 * wrapper's call needs no NULL check: the kernel's table is const, so
 * the copy never goes stale. */
void unikernel_door_open(const struct unikernel_door *door)
{
    for (int nr = 0; nr < SYS_MAX; nr++)
        unikernel_calls[nr] = door->table[nr] ? door->table[nr] : unikernel_enosys;
    unikernel_exiting = door->exiting;
    unikernel_stop = (unikernel_stop_fn)door->stop;
}

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
/* The door every wrapper calls (libc.h), in the kernel's register
 * convention (syscall_entry.S). */
void (*libc_door)(void) = int80_door;

void syscall_choose_path(bool sysenter)
{
    libc_door = sysenter ? sysenter_door : int80_door;
}

bool syscall_uses_sysenter(void)
{
    return libc_door == sysenter_door;
}

long syscall_raw(long nr, long a1, long a2, long a3, long a4, long a5)
{
    return libc_syscall(nr, a1, a2, a3, a4, a5);
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
