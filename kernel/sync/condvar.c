/* condvar.c -- condition variables on a wait queue (see condvar.h). */
#if LAB >= 5
#include "sync/condvar.h"
#include "sync/check.h"

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
    uint32_t s = spin_lock_irqsave(&cv->lock);
    mutex_unlock(m);
    waitqueue_sleep_on(&cv->waiters, &cv->lock);
    spin_unlock_irqrestore(&cv->lock, s);
    mutex_lock(m);
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
