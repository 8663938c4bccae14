/* mutex.c -- the sleeping mutex with FIFO handover (see mutex.h). */
#if LAB >= 5
#include "sync/mutex.h"
#include "sync/check.h"
#include "sync/held.h"
#include "sync/lockdep.h"
#include "proc/sched.h"
#include "proc/thread.h"
#include "proc/waitqueue.h"
#include "lab.h"

/* One waiting thread, on its own stack while it waits. Each waiter has a
 * queue of its own, so unlock wakes exactly the thread it handed over to. */
struct mutex_waiter {
    struct thread *thread;
    bool granted;               /* the owner handed the mutex over to us */
    struct waitqueue wq;
    struct list_node node;      /* on mutex.waiters */
};

void mutex_init(struct mutex *m, const char *name)
{
    spin_init(&m->lock, "mutex internals");
    m->owner = NULL;            /* nobody else sees m yet */
    list_init(&m->waiters);
    m->name = name;
    m->held_at = 0;
    m->lockdep_class = 0;
}

bool mutex_held(const struct mutex *m)
{
    return current_thread != NULL && __atomic_load_n(&m->owner, __ATOMIC_RELAXED) == current_thread;
}

/* m->owner changes only under m->lock, but mutex_held() reads it without
 * the lock, from any CPU: both sides must be atomic, or it is a data race
 * (C11; KCSAN reported this store, in mutex_unlock's hand-over, against
 * mutex_held() in another thread's mutex_lock). Relaxed is enough: a
 * thread only asks whether the owner is itself, and only it can make
 * that true or false. */
static void set_owner(struct mutex *m, struct thread *t)
{
    __atomic_store_n(&m->owner, t, __ATOMIC_RELAXED);
}

/* Checks before taking m; false: a test expected a recursion report,
 * do not take it. Returns m's lockdep class in *cls. */
static bool lock_checks(struct mutex *m, const char *what, uintptr_t where, int *cls)
{
    *cls = -1;
    if (!sync_checks)
        return true;
    sync_might_sleep(what, m->name, NULL);
    if (mutex_held(m))
        return !sync_report(SYNC_RECURSION,
                            "%s(%s) by thread %d '%s', which already owns it (taken at %s): "
                            "a mutex is not recursive, the thread would wait for itself "
                            "forever.", what, m->name, sync_thread_id(), sync_thread_name(),
                            sync_where(m->held_at));
    *cls = lockdep_before(m, m->name, &m->lockdep_class, where);
    return true;
}

static void now_owned(struct mutex *m, uintptr_t where, int cls)
{
    m->held_at = where;
    if (sync_checks)
        held_push(m, m->name, LOCK_MUTEX, cls, where);
}

void mutex_lock(struct mutex *m)
{
    uintptr_t where = SYNC_CALLER();
    int cls;
    if (!lock_checks(m, "mutex_lock", where, &cls))
        return;
    uint32_t s = spin_lock_irqsave(&m->lock);
    if (m->owner == NULL) {
        set_owner(m, current_thread);   /* free (so nobody waits): ours */
    } else {
#if SOLVED >= 5
        struct mutex_waiter w = { .thread = current_thread, .granted = false };
        waitqueue_init(&w.wq, m->name);
        list_push_back(&m->waiters, &w.node);
        while (!w.granted)      /* a loop: a wake-up is a hint (waitqueue.h) */
            waitqueue_sleep_on(&w.wq, &m->lock);
        /* mutex_unlock() made us the owner and took w off the list. */
#else
        /* LAB 5 exercise 2: somebody owns m: wait for it, asleep. Put a
         * struct mutex_waiter for this thread (on your stack: you stay
         * here until it is done with) at the back of m->waiters, then
         * sleep on its own wait queue with waitqueue_sleep_on(&w.wq,
         * &m->lock) until mutex_unlock() has set w.granted: by then it has
         * made you the owner. Until you do, a held mutex is taken anyway:
         * no mutual exclusion at all. */
        LAB_TODO_ONCE(5, 2, "mutex_lock()");
        set_owner(m, current_thread);
#endif
    }
    spin_unlock_irqrestore(&m->lock, s);
    now_owned(m, where, cls);
}

bool mutex_trylock(struct mutex *m)
{
    uintptr_t where = SYNC_CALLER();
    if (mutex_held(m) && sync_checks) {
        sync_report(SYNC_RECURSION, "mutex_trylock(%s) by thread %d '%s', which already owns "
                    "it: a mutex is not recursive.", m->name, sync_thread_id(),
                    sync_thread_name());
        return false;
    }
    uint32_t s = spin_lock_irqsave(&m->lock);
    bool got = m->owner == NULL;
    if (got)
        set_owner(m, current_thread);
    spin_unlock_irqrestore(&m->lock, s);
    if (got) {
        /* No lockdep edge: a trylock never waits, so it cannot deadlock. */
        now_owned(m, where, sync_checks ? lockdep_class(m->name, &m->lockdep_class) : -1);
    }
    return got;
}

void mutex_unlock(struct mutex *m)
{
    if (!mutex_held(m)) {
        struct thread *o = __atomic_load_n(&m->owner, __ATOMIC_RELAXED);
        if (sync_report(SYNC_NOT_HELD,
                        "mutex_unlock(%s) by thread %d '%s', which does not own it (%s%s): "
                        "only the owner may unlock a mutex.", m->name, sync_thread_id(),
                        sync_thread_name(), o != NULL ? "the owner is " : "it is free",
                        o != NULL ? o->name : ""))
            return;
    }
    if (sync_checks)
        held_pop(m, LOCK_MUTEX);
    uint32_t s = spin_lock_irqsave(&m->lock);
#if SOLVED >= 5
    struct list_node *n = list_pop_front(&m->waiters);
    if (n == NULL) {
        set_owner(m, NULL);
    } else {
        /* Hand over: the longest waiter owns it before it even runs. */
        struct mutex_waiter *w = list_entry(n, struct mutex_waiter, node);
        set_owner(m, w->thread);
        w->granted = true;
        waitqueue_wake_one(&w->wq);
    }
#else
    /* LAB 5 exercise 2: hand m over to the longest waiter, the front of
     * m->waiters (list_pop_front, list_entry): make its thread the owner
     * (set_owner: mutex_held() reads the owner without the lock),
     * set its granted flag and wake its queue. Nobody waiting: m is
     * free. */
    LAB_TODO_ONCE(5, 2, "mutex_unlock()");
    set_owner(m, NULL);
#endif
    spin_unlock_irqrestore(&m->lock, s);
}
#endif /* LAB >= 5 */
