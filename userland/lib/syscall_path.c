/*
 * syscall_path.c -- which way into the kernel this process takes.
 *
 * Chosen at start (start.c): every wrapper in syscalls.c goes through
 * syscall_raw(), which calls the chosen entry ("door"). The default, for
 * anything that might run before the choice, is int $0x80, which every
 * kernel offers. A program may pick another door later by name
 * (syscall_set_door): the benchmark runs the same code through each.
 * This file is the one place that knows the doors' names.
 */
#include <errno.h>
#include <string.h>
#include <tidepool.h>

#include "libc.h"

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
    errno = EINVAL;
    return -1;
}

long syscall_raw(long nr, long a1, long a2, long a3, long a4, long a5)
{
    return syscall_entry(nr, a1, a2, a3, a4, a5);
}
