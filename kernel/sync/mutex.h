/*
 * mutex.h -- a sleeping mutex with an owner (a lock for long critical
 * sections, in threads).
 *
 * Contract:
 *   - mutex_lock() returns once the calling thread owns the mutex. While
 *     another thread owns it, the caller sleeps on the mutex's queue and
 *     uses no CPU.
 *   - Handover is FIFO: mutex_unlock() with waiters makes the longest
 *     waiter the owner directly, before waking it, so a thread arriving
 *     later cannot barge in and nobody starves.
 *   - Only the owner may unlock (reported otherwise); taking a mutex you
 *     own is reported (not recursive); mutex_lock() may sleep, so never
 *     with a spinlock held or in an interrupt handler (reported).
 *   - mutex_trylock() never sleeps: true if it got the mutex.
 * Checks: kernel/sync/check.h. Order: lockdep.h, by the mutex's name.
 *
 * Data protected by a mutex is declared next to it:
 *
 *     static struct mutex table_mutex = MUTEX_INIT(table_mutex, "table");
 *     static struct entry table[64];      // protected by table_mutex
 */
#ifndef SYNC_MUTEX_H
#define SYNC_MUTEX_H

#if LAB >= 5
#include "sync/spinlock.h"
#include "list.h"
#include <stdbool.h>
#include <stdint.h>

struct thread;

struct mutex {
    struct spinlock lock;       /* protects owner and waiters */
    struct thread *owner;       /* NULL when free */
    struct list_node waiters;   /* struct mutex_waiter, first come first */
    const char *name;
    uintptr_t held_at;          /* where the owner took it */
    uint16_t lockdep_class;
};

#define MUTEX_INIT(m, what)                                                   \
    { .lock = SPINLOCK_INIT("mutex internals"), .owner = 0,                   \
      .waiters = LIST_INIT((m).waiters), .name = (what) }

void mutex_init(struct mutex *m, const char *name);
void mutex_lock(struct mutex *m);
bool mutex_trylock(struct mutex *m);
void mutex_unlock(struct mutex *m);
/* True if the calling thread owns m. */
bool mutex_held(const struct mutex *m);
#endif /* LAB >= 5 */

#endif
