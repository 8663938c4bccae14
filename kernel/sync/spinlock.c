/* spinlock.c -- the ticket spinlock (see spinlock.h for the contract). */
#if LAB >= 4
#include "sync/spinlock.h"
#include "arch/i386/irq.h"
#include "arch/i386/percpu.h"
#include "panic.h"
#include <stddef.h>

void spin_init(struct spinlock *lock, const char *name)
{
    lock->next = 0;
    lock->owner = 0;
    lock->name = name;
    lock->holder = NULL;
    lock->held_at = 0;
}

static inline void cpu_relax(void)
{
    /* SAFETY: `pause` only hints the CPU that this is a spin-wait loop. */
    __asm__ volatile("pause" : : : "memory");
}

void spin_lock(struct spinlock *lock)
{
    if (spin_held(lock))
        panic("spin_lock(%s): this CPU already holds it (recursion)", lock->name);
    /* Take a ticket: one atomic fetch-and-add, so no two CPUs get the same. */
    uint16_t ticket = __atomic_fetch_add(&lock->next, 1, __ATOMIC_RELAXED);
    /* Wait for our turn. ACQUIRE: nothing we read under the lock may be
     * read before we see that it is ours. */
    while (__atomic_load_n(&lock->owner, __ATOMIC_ACQUIRE) != ticket)
        cpu_relax();
    lock->holder = this_cpu();
    lock->held_at = (uintptr_t)__builtin_return_address(0);
}

void spin_unlock(struct spinlock *lock)
{
    if (!spin_held(lock))
        panic("spin_unlock(%s): this CPU does not hold it", lock->name);
    lock->holder = NULL;
    lock->held_at = 0;
    /* RELEASE: every write made under the lock is visible before the next
     * ticket holder sees that it is its turn. Only the holder writes owner. */
    __atomic_store_n(&lock->owner, (uint16_t)(lock->owner + 1), __ATOMIC_RELEASE);
}

uint32_t spin_lock_irqsave(struct spinlock *lock)
{
    uint32_t saved = irq_save();
    spin_lock(lock);
    return saved;
}

void spin_unlock_irqrestore(struct spinlock *lock, uint32_t saved)
{
    spin_unlock(lock);
    irq_restore(saved);
}

bool spin_held(const struct spinlock *lock)
{
    return lock->holder == this_cpu() &&
           __atomic_load_n(&lock->owner, __ATOMIC_RELAXED) !=
           __atomic_load_n(&lock->next, __ATOMIC_RELAXED);
}
#endif /* LAB >= 4 */
