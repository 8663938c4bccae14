/*
 * ucond.c -- the futex condition variable (usync.h).
 *
 * seq counts signals. A waiter reads it while it still holds the mutex,
 * lets the mutex go and sleeps only if seq still has that value: a signal
 * that came after the waiter's check of its condition (which needed the
 * mutex) has bumped seq, so futex_wait returns -EAGAIN at once instead of
 * sleeping through it. The lost wake-up of lab 4, avoided by the same
 * compare-and-sleep in one step, now in the kernel's futex_wait.
 * (seq wraps after 2^32 signals; a waiter would have to sleep through
 * exactly that many to miss one.)
 *
 * waiters spares a signal nobody waits for its system call. The waiter
 * counts itself in before it reads seq, the signaller bumps seq before
 * it reads waiters, all sequentially consistent: if the signaller saw
 * no waiter, the waiter's read of seq comes after the bump, and that
 * signal was never its to receive.
 */
#if LAB >= 5
#include <limits.h>
#include <tidepool.h>
#include <usync.h>

void ucond_init(struct ucond *c)
{
    __atomic_store_n(&c->seq, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&c->waiters, 0, __ATOMIC_RELAXED);
}

void ucond_wait(struct ucond *c, struct umutex *m)
{
    __atomic_fetch_add(&c->waiters, 1, __ATOMIC_SEQ_CST);
    unsigned seq = __atomic_load_n(&c->seq, __ATOMIC_SEQ_CST);
    umutex_unlock(m);
    futex_wait(&c->seq, seq);   /* 0, -EAGAIN or -EINTR: all mean "look again" */
    __atomic_fetch_sub(&c->waiters, 1, __ATOMIC_RELAXED);
    umutex_lock(m);
}

/* SEQ_CST: the bump is ordered after the caller's change of the
 * condition (which a woken waiter will look at) and before the read of
 * waiters (see the top). */
static void ucond_wake(struct ucond *c, int n)
{
    __atomic_fetch_add(&c->seq, 1, __ATOMIC_SEQ_CST);
    if (__atomic_load_n(&c->waiters, __ATOMIC_SEQ_CST) > 0)
        futex_wake(&c->seq, n);
}

void ucond_signal(struct ucond *c)
{
    ucond_wake(c, 1);
}

void ucond_broadcast(struct ucond *c)
{
    ucond_wake(c, INT_MAX);
}
#endif /* LAB >= 5 */
