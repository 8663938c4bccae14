/*
 * condvar.h -- a condition variable: wait for a condition that a mutex
 * protects.
 *
 *     mutex_lock(&m);
 *     while (!condition)
 *         cond_wait(&cv, &m);     // releases m while asleep, holds it again after
 *     ...the condition holds, m is held...
 *     mutex_unlock(&m);
 *
 *     // elsewhere, making the condition true:
 *     mutex_lock(&m); condition = true; cond_signal(&cv); mutex_unlock(&m);
 *
 * Contract:
 *   - cond_wait(cv, m), called with m held, releases m and goes to sleep as
 *     one step: a cond_signal() after the release finds the waiter queued
 *     (no lost wake-up). It holds m again when it returns.
 *   - A return is not a promise: test the condition again (a loop).
 *   - cond_signal() wakes the longest waiter, if any (returns whether it
 *     woke one); cond_broadcast() wakes all of them (returns how many).
 *     Both may be called with or without m held, from any CPU.
 *   - cond_wait() sleeps: not with a spinlock held, not in an interrupt
 *     handler; m must be held (all reported, kernel/sync/check.h).
 */
#ifndef SYNC_CONDVAR_H
#define SYNC_CONDVAR_H

#if LAB >= 5
#include "proc/waitqueue.h"
#include "sync/mutex.h"
#include "sync/spinlock.h"
#include <stdbool.h>

struct condvar {
    struct spinlock lock;       /* protects waiters */
    struct waitqueue waiters;
};

#define CONDVAR_INIT(cv, what)                                                \
    { .lock = SPINLOCK_INIT("condvar internals"),                             \
      .waiters = WAITQUEUE_INIT((cv).waiters, what) }

void cond_init(struct condvar *cv, const char *name);
void cond_wait(struct condvar *cv, struct mutex *m);
bool cond_signal(struct condvar *cv);
int cond_broadcast(struct condvar *cv);
#endif /* LAB >= 5 */

#endif
