/* once.c -- run a function exactly once, the others wait (see once.h). */
#if LAB >= 5
#include "sync/once.h"
#include "sync/check.h"
#include "proc/sched.h"
#include "proc/thread.h"

bool once_done(const struct once *o)
{
    /* ACQUIRE: pairs with the RELEASE store in once_call, so what fn
     * wrote is visible to whoever sees ONCE_DONE. */
    return __atomic_load_n(&o->state, __ATOMIC_ACQUIRE) == ONCE_DONE;
}

void once_call(struct once *o, void (*fn)(void *), void *arg)
{
    if (once_done(o))
        return;                         /* the fast path: one load */
    sync_might_sleep("once_call", "once", NULL);
    uint32_t s = spin_lock_irqsave(&o->lock);
    if (o->state == ONCE_NEW) {
        o->state = ONCE_RUNNING;
        o->runner = current_thread;
        spin_unlock_irqrestore(&o->lock, s);
        fn(arg);                        /* outside the lock: fn may sleep */
        s = spin_lock_irqsave(&o->lock);
        __atomic_store_n(&o->state, ONCE_DONE, __ATOMIC_RELEASE);
        o->runner = NULL;
        waitqueue_wake_all(&o->done);
    } else if (o->runner == current_thread && current_thread != NULL) {
        spin_unlock_irqrestore(&o->lock, s);
        sync_report(SYNC_RECURSION, "once_call() from inside its own function (thread %d "
                    "'%s'): it would wait for itself forever.", sync_thread_id(),
                    sync_thread_name());
        return;
    } else {
        while (o->state != ONCE_DONE)
            waitqueue_sleep_on(&o->done, &o->lock);
    }
    spin_unlock_irqrestore(&o->lock, s);
}
#endif /* LAB >= 5 */
