/* rwlock.c -- readers share, writers alone, writers first (see rwlock.h). */
#if LAB >= 5
#include "sync/rwlock.h"
#include "sync/check.h"
#include "sync/held.h"
#include "sync/lockdep.h"
#include "proc/sched.h"
#include "proc/thread.h"

void rwlock_init(struct rwlock *rw, const char *name)
{
    spin_init(&rw->lock, "rwlock internals");
    rw->readers = 0;
    rw->writer = NULL;
    rw->writers_waiting = 0;
    waitqueue_init(&rw->readq, name);
    waitqueue_init(&rw->writeq, name);
    rw->name = name;
    rw->lockdep_class = 0;
}

/* The checks every acquisition makes; returns the lockdep class. */
static int before_taking(struct rwlock *rw, const char *what, uintptr_t where)
{
    if (!sync_checks)
        return -1;
    sync_might_sleep(what, rw->name, NULL);
    return lockdep_before(rw, rw->name, &rw->lockdep_class, where);
}

void read_lock(struct rwlock *rw)
{
    uintptr_t where = SYNC_CALLER();
    int cls = before_taking(rw, "read_lock", where);
    uint32_t s = spin_lock_irqsave(&rw->lock);
    /* Behind a writer that holds it, and behind one that waits for it. */
    while (rw->writer != NULL || rw->writers_waiting > 0)
        waitqueue_sleep_on(&rw->readq, &rw->lock);
    rw->readers++;
    spin_unlock_irqrestore(&rw->lock, s);
    if (sync_checks)
        held_push(rw, rw->name, LOCK_READ, cls, where);
}

void read_unlock(struct rwlock *rw)
{
    if (sync_checks && !held_pop(rw, LOCK_READ) &&
        sync_report(SYNC_NOT_HELD, "read_unlock(%s) by thread %d '%s', which does not hold "
                    "it for reading.", rw->name, sync_thread_id(), sync_thread_name()))
        return;
    uint32_t s = spin_lock_irqsave(&rw->lock);
    if (--rw->readers == 0)
        waitqueue_wake_one(&rw->writeq);
    spin_unlock_irqrestore(&rw->lock, s);
}

void write_lock(struct rwlock *rw)
{
    uintptr_t where = SYNC_CALLER();
    if (sync_checks && rw->writer == current_thread && current_thread != NULL &&
        sync_report(SYNC_RECURSION, "write_lock(%s) by thread %d '%s', which already holds "
                    "it for writing: not recursive.", rw->name, sync_thread_id(),
                    sync_thread_name()))
        return;
    int cls = before_taking(rw, "write_lock", where);
    uint32_t s = spin_lock_irqsave(&rw->lock);
    rw->writers_waiting++;
    while (rw->writer != NULL || rw->readers > 0)
        waitqueue_sleep_on(&rw->writeq, &rw->lock);
    rw->writers_waiting--;
    rw->writer = current_thread;
    spin_unlock_irqrestore(&rw->lock, s);
    if (sync_checks)
        held_push(rw, rw->name, LOCK_WRITE, cls, where);
}

void write_unlock(struct rwlock *rw)
{
    if (rw->writer != current_thread &&
        sync_report(SYNC_NOT_HELD, "write_unlock(%s) by thread %d '%s', which does not hold "
                    "it for writing.", rw->name, sync_thread_id(), sync_thread_name()))
        return;
    if (sync_checks)
        held_pop(rw, LOCK_WRITE);
    uint32_t s = spin_lock_irqsave(&rw->lock);
    rw->writer = NULL;
    /* Writers first; when none waits, every queued reader at once. */
    if (rw->writers_waiting > 0)
        waitqueue_wake_one(&rw->writeq);
    else
        waitqueue_wake_all(&rw->readq);
    spin_unlock_irqrestore(&rw->lock, s);
}
#endif /* LAB >= 5 */
