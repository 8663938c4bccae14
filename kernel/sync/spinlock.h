/*
 * spinlock.h -- a ticket spinlock: mutual exclusion between CPUs.
 *
 * Contract:
 *   - spin_lock() returns once this CPU holds the lock; waiters are served
 *     first come, first served (each takes a ticket, the lock serves them
 *     in ticket order), so nobody starves.
 *   - Only the CPU that holds a lock may release it. Taking a lock this
 *     CPU already holds (recursion) and releasing one it does not hold
 *     are reported (lab 5: kernel/sync/check.h; lab 4: a panic).
 *   - A spinlock holder must not sleep: it would keep the other CPUs
 *     spinning for a whole time slice, or forever. From lab 5 the CPU
 *     counts the spinlocks it holds (struct cpu.spinlocks_held): the
 *     scheduler does not preempt it meanwhile, and sleeping is reported.
 *   - A lock that an interrupt handler also takes must be taken with
 *     spin_lock_irqsave(): otherwise the handler can interrupt the holder
 *     on the same CPU and spin on a lock that will never be released.
 *
 * The irq-saving lock (Hermit's InterruptMutex): spin_lock_irqsave()
 * turns this CPU's interrupts off *before* it takes the lock, and
 * spin_unlock_irqrestore() releases the lock *before* it restores them.
 * So interrupts are off on this CPU during the whole time the lock is
 * held, from before the first ticket to after the release: no handler
 * can run here while it is held. (The other order in either place leaves
 * a window where a handler on this CPU spins on a lock its own CPU holds.)
 *
 * The data a lock protects is declared next to it, in the same struct or
 * just after it, with a comment "protected by <lock>":
 *
 *     static struct spinlock frames_lock = SPINLOCK_INIT("frames");
 *     static uint32_t frames_free;        // protected by frames_lock
 *
 * and guard.h's LOCK_GUARD(&frames_lock) releases it on every way out
 * of a scope.
 */
#ifndef SYNC_SPINLOCK_H
#define SYNC_SPINLOCK_H

#if LAB >= 4
#include <stdbool.h>
#include <stdint.h>

struct cpu;

struct spinlock {
    /* SAFETY: both counters are only read and written with __atomic
     * builtins (spinlock.c); `volatile` is not what makes them safe. */
    uint16_t next;          /* the next ticket to hand out */
    uint16_t owner;         /* the ticket being served (held while != next) */
    const char *name;       /* for reports, `locks`, lockdep */
    struct cpu *holder;     /* the CPU holding it, or NULL */
    uintptr_t held_at;      /* return address of the spin_lock() call */
#if LAB >= 5
    uint16_t lockdep_class; /* lockdep.c's cache: 0 unknown, else class + 1 */
#endif
};

#define SPINLOCK_INIT(what) { .next = 0, .owner = 0, .name = (what) }

/* The return address of the function that uses it: where a lock was
 * taken, for reports and `locks`.
 * SAFETY: pointer -> integer: a code address, only ever printed or
 * looked up in the symbol table, never called or dereferenced. */
#define SYNC_CALLER() ((uintptr_t)__builtin_return_address(0))

void spin_init(struct spinlock *lock, const char *name);
/* Take the lock, spinning while another CPU holds it. */
void spin_lock(struct spinlock *lock);
/* Release a lock this CPU holds. */
void spin_unlock(struct spinlock *lock);
/* Interrupts off on this CPU, then take the lock; returns the previous
 * interrupt state for spin_unlock_irqrestore(). */
uint32_t spin_lock_irqsave(struct spinlock *lock);
/* Release, then restore the interrupt state spin_lock_irqsave() saved.
 * Interrupts must still be off when it is called (lab 5 checks). */
void spin_unlock_irqrestore(struct spinlock *lock, uint32_t saved);
/* True if this CPU holds the lock (for assertions). */
bool spin_held(const struct spinlock *lock);
#endif /* LAB >= 4 */

#endif
