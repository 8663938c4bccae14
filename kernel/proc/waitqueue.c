/* waitqueue.c -- blocking and waking (see waitqueue.h for the rule). */
#if LAB >= 4
#include "proc/waitqueue.h"
#include "proc/process.h"
#include "proc/sched.h"
#include "proc/thread.h"
#include "sync/spinlock.h"
#include "arch/i386/irq.h"
#include "arch/i386/percpu.h"
#include "lab.h"
#include "panic.h"
#if LAB >= 5
#include "sync/check.h"
#endif

void waitqueue_init(struct waitqueue *wq, const char *name)
{
    list_init(&wq->waiters);
    wq->name = name;
}

bool waitqueue_empty(const struct waitqueue *wq)
{
    return list_empty(&wq->waiters);
}

void waitqueue_sleep(struct waitqueue *wq)
{
#if LAB >= 5
    /* sched_lock is the one spinlock a sleeper may hold here (the
     * scheduler takes it to switch, waitqueue_sleep_on holds it). */
    sync_might_sleep("waitqueue_sleep", wq->name, &sched_lock);
#endif
    if (irq_enabled())
        panic("waitqueue_sleep(%s) with interrupts on: a wake-up between the caller's "
              "check and this sleep would be lost", wq->name);
    if (sched_smp() && !spin_held(&sched_lock))
        panic("waitqueue_sleep(%s) with %d CPUs and no lock: interrupts off keep out only "
              "this CPU, a wake-up from another one would be lost; use "
              "waitqueue_sleep_on(wq, lock)", wq->name, ncpus);
#if SOLVED >= 4
    struct thread *t = current_thread;
    t->state = THREAD_BLOCKED;
    t->waiting_on = wq;
    list_push_back(&wq->waiters, &t->queue_node);
    schedule();     /* back here after waitqueue_wake_*() made us runnable */
#else
    /* LAB 4 exercise 3: block the current thread on wq: mark it BLOCKED,
     * remember wq in t->waiting_on, queue it at the back of wq->waiters
     * (through t->queue_node) and call schedule(). Interrupts are off.
     * Until then: wait for the next interrupt and return, a "spurious
     * wake-up" that makes every caller poll. */
    LAB_TODO_ONCE(4, 3, "waitqueue_sleep()");
    irq_wait();
    irq_disable();
#endif
}

/* waitqueue_sleep_on(), and its killable form (waitqueue.h). */
static void sleep_on(struct waitqueue *wq, struct spinlock *lock, bool killable)
{
#if LAB >= 5
    sync_might_sleep("waitqueue_sleep_on", wq->name, lock);
#endif
    /* sched_lock first, then let go of `lock`: a waker that takes `lock`
     * now, makes the condition true and calls waitqueue_wake_*() needs
     * sched_lock to look at wq, and gets it only once we are on wq (and
     * switched out). No gap for the wake-up to fall into. Interrupts are
     * off already (spin_lock_irqsave), so s keeps them off. */
    uint32_t s = sched_lock_irqsave();
    if (killable && proc_killed()) {
        sched_unlock_irqrestore(s);
        return;                 /* the caller's loop sees proc_killed() */
    }
    spin_unlock(lock);
    waitqueue_sleep(wq);
    sched_unlock_irqrestore(s);
    spin_lock(lock);
}

void waitqueue_sleep_on(struct waitqueue *wq, struct spinlock *lock)
{
    sleep_on(wq, lock, false);
}

void waitqueue_sleep_on_killable(struct waitqueue *wq, struct spinlock *lock)
{
    sleep_on(wq, lock, true);
}

bool waitqueue_wake_one(struct waitqueue *wq)
{
#if SOLVED >= 4
    uint32_t s = sched_lock_irqsave();
    struct list_node *n = list_pop_front(&wq->waiters);
    if (n != NULL) {
        struct thread *t = list_entry(n, struct thread, queue_node);
        t->waiting_on = NULL;
        sched_wakeup(t);
    }
    sched_unlock_irqrestore(s);
    return n != NULL;
#else
    /* LAB 4 exercise 3: take the thread that has waited longest off
     * wq->waiters, clear its waiting_on and make it runnable with
     * sched_wakeup(). Hold the scheduler's lock while you do
     * (sched_lock_irqsave/sched_unlock_irqrestore: on one CPU, interrupts
     * off): wake-ups also come from interrupt handlers. True if one was
     * woken. */
    (void)wq;
    LAB_TODO_ONCE(4, 3, "waitqueue_wake_one()");
    return false;
#endif
}

int waitqueue_wake_all(struct waitqueue *wq)
{
    int n = 0;
    while (waitqueue_wake_one(wq))
        n++;
    return n;
}
#endif /* LAB >= 4 */
