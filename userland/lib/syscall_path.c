/*
 * syscall_path.c -- which way into the kernel this process takes.
 *
 * Chosen once, at start (start.c), and never again: every wrapper in
 * syscalls.c goes through syscall_raw(), which calls the chosen entry.
 * The default, for anything that might run before the choice, is
 * int $0x80, which every kernel offers.
 */
#include <tidepool.h>

#include "libc.h"

typedef long (*syscall_entry_fn)(long, long, long, long, long, long);

#ifdef UNIKERNEL
/* A unikernel build (docs/unikernel.md) has one way in: a plain call. */
static syscall_entry_fn syscall_entry = syscall_direct;

void syscall_choose_path(bool sysenter)
{
    (void)sysenter;
}
#else
static syscall_entry_fn syscall_entry = syscall_int80;

void syscall_choose_path(bool sysenter)
{
    syscall_entry = sysenter ? syscall_sysenter : syscall_int80;
}
#endif

bool syscall_uses_sysenter(void)
{
    return syscall_entry == syscall_sysenter;
}

long syscall_raw(long nr, long a1, long a2, long a3, long a4, long a5)
{
    return syscall_entry(nr, a1, a2, a3, a4, a5);
}
