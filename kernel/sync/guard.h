/*
 * guard.h -- scope guards: a lock released at the end of the scope, on
 * every way out of it (return, break, continue, goto out, falling off
 * the end). The closest C gets to Rust's MutexGuard.
 *
 *     static struct spinlock stats_lock = SPINLOCK_INIT("stats");
 *     static uint32_t stats_hits;         // protected by stats_lock
 *     static uint32_t stats_misses;       // protected by stats_lock
 *
 *     bool stats_note(bool hit)
 *     {
 *         LOCK_GUARD(&stats_lock);        // held from here to the closing brace
 *         if (hit) {
 *             stats_hits++;
 *             return true;                // released here
 *         }
 *         stats_misses++;
 *         return false;                   // and here
 *     }
 *
 * The data sits next to its lock with a comment naming it: that is the C
 * version of Rust's Mutex<T>, where the data is inside the lock and the
 * guard is the only way to reach it. C cannot forbid touching the data
 * without the guard; the comment, the lock's name in reports and
 * lockdep are what we have.
 *
 * Each macro declares a hidden variable whose cleanup function
 * (__attribute__((cleanup)), GCC and Clang) runs when it goes out of
 * scope. Guards in one scope are released in reverse order of their
 * declaration, like nested locks should be. Two rules: a guard is a
 * declaration (give it its own scope with braces when it must end early),
 * and never jump *into* a guard's scope from outside it (GCC rejects a
 * goto past it with an error).
 *
 *   LOCK_GUARD(&spinlock)      spin_lock ... spin_unlock
 *   SPIN_GUARD_IRQ(&spinlock)  spin_lock_irqsave ... spin_unlock_irqrestore
 *   MUTEX_GUARD(&mutex)        mutex_lock ... mutex_unlock
 */
#ifndef SYNC_GUARD_H
#define SYNC_GUARD_H

#if LAB >= 5
#include "sync/mutex.h"
#include "sync/spinlock.h"
#include <stdint.h>

struct spin_irq_guard {
    struct spinlock *lock;
    uint32_t saved;
};

static inline struct spinlock *guard_spin_take(struct spinlock *l)
{
    spin_lock(l);
    return l;
}

static inline void guard_spin_release(struct spinlock **l)
{
    spin_unlock(*l);
}

static inline struct spin_irq_guard guard_spin_irq_take(struct spinlock *l)
{
    uint32_t saved = spin_lock_irqsave(l);
    return (struct spin_irq_guard){ l, saved };
}

static inline void guard_spin_irq_release(struct spin_irq_guard *g)
{
    spin_unlock_irqrestore(g->lock, g->saved);
}

static inline struct mutex *guard_mutex_take(struct mutex *m)
{
    mutex_lock(m);
    return m;
}

static inline void guard_mutex_release(struct mutex **m)
{
    mutex_unlock(*m);
}

#define GUARD_CONCAT_(a, b) a##b
#define GUARD_CONCAT(a, b) GUARD_CONCAT_(a, b)
#define GUARD_VAR(kind) GUARD_CONCAT(kind, __COUNTER__)

#define LOCK_GUARD(lock)                                                      \
    struct spinlock *GUARD_VAR(spin_guard_)                                   \
        __attribute__((cleanup(guard_spin_release), unused)) = guard_spin_take(lock)

#define SPIN_GUARD_IRQ(lock)                                                  \
    struct spin_irq_guard GUARD_VAR(spin_irq_guard_)                          \
        __attribute__((cleanup(guard_spin_irq_release), unused)) = guard_spin_irq_take(lock)

#define MUTEX_GUARD(m)                                                        \
    struct mutex *GUARD_VAR(mutex_guard_)                                     \
        __attribute__((cleanup(guard_mutex_release), unused)) = guard_mutex_take(m)
#endif /* LAB >= 5 */

#endif
