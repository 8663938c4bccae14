/*
 * usem.c -- the futex counting semaphore (usync.h).
 *
 * value is the units available and the futex word. A post with nobody
 * waiting is one atomic add; waiters counts the threads that may sleep,
 * so a post knows when to make the system call. Both sides use
 * sequentially consistent atomics, Dekker-style: a waiter increments
 * waiters and then (in futex_wait, under the kernel's lock) reads value;
 * a poster increments value and then reads waiters. Either the waiter
 * sees the new unit (futex_wait: -EAGAIN) or the poster sees the waiter
 * (and wakes it); never neither.
 */
#if LAB >= 5
#include <tidepool.h>
#include <usync.h>

void usem_init(struct usem *s, unsigned value)
{
    __atomic_store_n(&s->value, value, __ATOMIC_RELAXED);
    __atomic_store_n(&s->waiters, 0, __ATOMIC_RELAXED);
}

bool usem_trywait(struct usem *s)
{
    unsigned v = __atomic_load_n(&s->value, __ATOMIC_RELAXED);
    while (v > 0)
        if (__atomic_compare_exchange_n(&s->value, &v, v - 1, false, __ATOMIC_ACQUIRE,
                                        __ATOMIC_RELAXED))
            return true;        /* on failure v is reloaded: try again */
    return false;
}

void usem_wait(struct usem *s)
{
    while (!usem_trywait(s)) {
        __atomic_fetch_add(&s->waiters, 1, __ATOMIC_SEQ_CST);
        futex_wait(&s->value, 0);
        __atomic_fetch_sub(&s->waiters, 1, __ATOMIC_SEQ_CST);
    }
}

void usem_post(struct usem *s)
{
    __atomic_fetch_add(&s->value, 1, __ATOMIC_SEQ_CST);
    if (__atomic_load_n(&s->waiters, __ATOMIC_SEQ_CST) > 0)
        futex_wake(&s->value, 1);
}
#endif /* LAB >= 5 */
