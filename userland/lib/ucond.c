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
 */
#if LAB >= 5
#include <limits.h>
#include <tidepool.h>
#include <usync.h>

void ucond_init(struct ucond *c)
{
    __atomic_store_n(&c->seq, 0, __ATOMIC_RELAXED);
}

void ucond_wait(struct ucond *c, struct umutex *m)
{
    unsigned seq = __atomic_load_n(&c->seq, __ATOMIC_RELAXED);
    umutex_unlock(m);
    futex_wait(&c->seq, seq);   /* 0, -EAGAIN or -EINTR: all mean "look again" */
    umutex_lock(m);
}

void ucond_signal(struct ucond *c)
{
    /* SEQ_CST: the bump is ordered after the caller's change of the
     * condition, which a woken waiter will look at. */
    __atomic_fetch_add(&c->seq, 1, __ATOMIC_SEQ_CST);
    futex_wake(&c->seq, 1);
}

void ucond_broadcast(struct ucond *c)
{
    __atomic_fetch_add(&c->seq, 1, __ATOMIC_SEQ_CST);
    futex_wake(&c->seq, INT_MAX);
}
#endif /* LAB >= 5 */
