/* condvar.c -- condition variables on a wait queue (see condvar.h). */
#if LAB >= 5
#include "sync/condvar.h"
#include "sync/check.h"
#include "proc/sched.h"
#include "lab.h"

void cond_init(struct condvar *cv, const char *name)
{
    spin_init(&cv->lock, "condvar internals");
    waitqueue_init(&cv->waiters, name);
}

void cond_wait(struct condvar *cv, struct mutex *m)
{
    sync_might_sleep("cond_wait", cv->waiters.name, NULL);
    if (sync_checks && !mutex_held(m) &&
        sync_report(SYNC_NOT_HELD, "cond_wait(%s) without holding its mutex %s: the "
                    "condition it waits for can change between the test and the sleep.",
                    cv->waiters.name, m->name))
        return;
    /* cv->lock is taken before m is released: a signaller takes cv->lock
     * too, so it cannot run between the release and the moment we are on
     * the queue (waitqueue_sleep_on queues us before dropping cv->lock). */
#if SOLVED >= 5
    uint32_t s = spin_lock_irqsave(&cv->lock);
    mutex_unlock(m);
    waitqueue_sleep_on(&cv->waiters, &cv->lock);
    spin_unlock_irqrestore(&cv->lock, s);
    mutex_lock(m);
#else
    /* LAB 5 exercise 3: release m and sleep on cv->waiters as one step
     * for cond_signal(): take cv->lock (spin_lock_irqsave) *before*
     * releasing m, sleep with waitqueue_sleep_on(&cv->waiters, &cv->lock),
     * release cv->lock when woken, and take m again. Until you do, a
     * "wait" only lets the others run: every return is a spurious
     * wake-up, and the caller's while loop spins. */
    LAB_TODO_ONCE(5, 3, "cond_wait()");
    mutex_unlock(m);
    thread_yield();
    mutex_lock(m);
#endif
}

bool cond_signal(struct condvar *cv)
{
    uint32_t s = spin_lock_irqsave(&cv->lock);
    bool woke = waitqueue_wake_one(&cv->waiters);
    spin_unlock_irqrestore(&cv->lock, s);
    return woke;
}

int cond_broadcast(struct condvar *cv)
{
    uint32_t s = spin_lock_irqsave(&cv->lock);
    int n = waitqueue_wake_all(&cv->waiters);
    spin_unlock_irqrestore(&cv->lock, s);
    return n;
}
#endif /* LAB >= 5 */
