/*
 * rawlock.h -- the lock the lock checker itself uses.
 *
 * The checks (held.c, lockdep.c, check.c) run inside spin_lock(); if
 * they took a struct spinlock they would check themselves forever. A raw
 * lock is a test-and-set lock with this CPU's interrupts off while it is
 * held (an interrupt handler that takes a lock reaches the checker too),
 * never nested with another raw lock, held only for a few table updates.
 */
#ifndef SYNC_RAWLOCK_H
#define SYNC_RAWLOCK_H

#if LAB >= 5
#include "arch/i386/irq.h"
#include <stdint.h>

typedef int rawlock_t;          /* 0 free, 1 held */

static inline uint32_t rawlock_take(rawlock_t *l)
{
    uint32_t s = irq_save();
    while (__atomic_exchange_n(l, 1, __ATOMIC_ACQUIRE) != 0)
        /* SAFETY: `pause` only hints the CPU that this is a spin-wait loop. */
        __asm__ volatile("pause" : : : "memory");
    return s;
}

static inline void rawlock_give(rawlock_t *l, uint32_t saved)
{
    __atomic_store_n(l, 0, __ATOMIC_RELEASE);
    irq_restore(saved);
}
#endif /* LAB >= 5 */

#endif
