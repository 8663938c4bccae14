/*
 * futex.h -- the futex system call's operations (SYS_futex; docs/abi.md).
 *
 *   futex(uaddr, FUTEX_WAIT, expected): sleep if *uaddr == expected, until
 *     a FUTEX_WAKE on that word: 0; -EAGAIN at once if *uaddr != expected;
 *     -EINTR if the process is being killed.
 *   futex(uaddr, FUTEX_WAKE, n): wake up to n waiters of that word,
 *     longest waiting first; returns how many.
 * uaddr must be 4-aligned (-EINVAL) and a user address (-EFAULT); a wait
 * reads the word, so an unmapped one is -EFAULT too (a wake reads nothing).
 * A word is that of the caller's address space: the threads of a process
 * share it; two processes never do. The numbers are Linux's.
 */
#ifndef ABI_FUTEX_H
#define ABI_FUTEX_H

#if LAB >= 5
#define FUTEX_WAIT      0
#define FUTEX_WAKE      1
#endif

#endif
