/*
 * futex.h -- "fast user-space mutex" support: wait on a user word, wake
 * its waiters. The kernel half of the libc's mutex and condition variable
 * (userland/include/usync.h).
 *
 * User space keeps its lock word itself and enters the kernel only to
 * sleep or to wake a sleeper. The whole trick is in futex_wait(): it
 * compares the word with `expected` and queues the thread in one step
 * under the word's bucket lock, and futex_wake() takes the same lock. So
 * a waker that changed the word and then calls futex_wake() either comes
 * before the comparison (which then fails: -EAGAIN, the waiter looks
 * again) or finds the waiter queued. No wake-up is lost in between.
 *
 * Contract (both: `uaddr` 4-aligned, -EINVAL if not; inside user space,
 * -EFAULT if not; futex_wait also reads it: -EFAULT if it is not mapped):
 *   futex_wait(uaddr, expected): if *uaddr == expected, sleep until a
 *     futex_wake() on the same word takes this thread (0), or the process
 *     is killed (-EINTR). If *uaddr != expected: -EAGAIN at once.
 *   futex_wake(uaddr, n): wake up to n (>= 0, else -EINVAL) of the
 *     word's waiters, longest waiting first; returns how many it woke.
 * A word is named by (address space, user address): the threads of one
 * process share it (futex_queue.h says why not the physical frame).
 */
#ifndef SYNC_FUTEX_H
#define SYNC_FUTEX_H

#if LAB >= 5
#include <stdint.h>

int futex_wait(uintptr_t uaddr, uint32_t expected);
int futex_wake(uintptr_t uaddr, int n);
#endif /* LAB >= 5 */

#endif
