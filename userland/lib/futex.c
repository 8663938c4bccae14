/* futex.c -- the futex and getcpu system calls (tidepool.h, lab 5). */
#if LAB >= 5
#include <futex.h>      /* kernel/abi: FUTEX_WAIT, FUTEX_WAKE */
#include <tidepool.h>

#include "libc.h"

long futex_wait(const unsigned *uaddr, unsigned expected)
{
    return syscall_raw(SYS_futex, user_arg(uaddr), FUTEX_WAIT, (long)expected, 0, 0);
}

long futex_wake(const unsigned *uaddr, int n)
{
    return syscall_raw(SYS_futex, user_arg(uaddr), FUTEX_WAKE, n, 0, 0);
}

int getcpu(unsigned *cpu, unsigned *ncpus)
{
    return (int)sys_result(syscall_raw(SYS_getcpu, user_arg(cpu), user_arg(ncpus), 0, 0, 0));
}
#endif /* LAB >= 5 */
