/*
 * spin_halt.h -- a spinlock waiter that has waited long halts its CPU,
 * and the release that serves its ticket wakes it (lab 5).
 *
 * Contract:
 *   - spin_halt_wait(lock, ticket) is called by a waiter that has spun
 *     SPIN_TURNS_BEFORE_HALT turns for `ticket`. With several CPUs it
 *     says which ticket of which lock it waits for and halts this CPU,
 *     unless its turn has come meanwhile; otherwise it only relaxes the
 *     CPU. It returns with interrupts as they were, and the caller looks
 *     at the lock again (it may still not be its turn).
 *   - spin_halt_kick(lock) is called by every release, after the store
 *     that served the next ticket: it wakes the CPU halted for that
 *     ticket, if any, with an NMI (which ends a hlt even with interrupts
 *     off, as spin_lock_irqsave() waits). When no CPU is halted in a
 *     lock it costs a fence and one load.
 *   - No wake-up is lost: the waiter's entry is visible before it looks
 *     at owner a last time, the release's new owner before it looks at
 *     the entries (a full barrier on each side), and an NMI that arrives
 *     between that last look and the hlt skips the hlt (idle.S).
 *
 * Why (measured on a 2-core host, idle): a ticket lock hands over to one
 * particular waiter. With four virtual CPUs on two host cores that
 * waiter is often descheduled by the host while the others spin, and
 * every hand-over waits for the host's scheduler: four threads counting
 * under one lock made 1,180 hand-overs a second at -smp 4, against more
 * than 100,000 at -smp 2. A halted virtual CPU sleeps in the host, which
 * leaves the cores to the holder and the next waiter. Paravirtualized
 * kernels do the same (Xen's PV ticket locks, Linux's pv_wait/pv_kick).
 */
#ifndef SYNC_SPIN_HALT_H
#define SYNC_SPIN_HALT_H

#if LAB >= 5
#include "arch/i386/cpu.h"
#include "arch/i386/percpu.h"
#include <stdbool.h>
#include <stdint.h>

struct spinlock;

/* Tuned under QEMU (docs/smp.md): of 4 to 1,024 turns, 16-32 handed
 * over fastest at -smp 4 on two host cores, and two running vCPUs rarely
 * wait that long. On hardware 32 turns of `pause` are a microsecond or
 * so, and a kernel for real machines would spin longer before halting. */
#define SPIN_TURNS_BEFORE_HALT 32

void spin_halt_wait(struct spinlock *lock, uint16_t ticket);

/* CPUs halted in spin_halt_wait() now (atomic), and the slow half of
 * spin_halt_kick(): find the one halted for lock's new owner, wake it. */
extern uint32_t spin_halted_cpus;
void spin_halt_wake(struct spinlock *lock);

/* Inline: every release of every spinlock runs it. With one CPU: one
 * compare; with several: a fence, one load, one compare. */
static inline void spin_halt_kick(struct spinlock *lock)
{
    if (ncpus <= 1)
        return;
    /* The other half of the barrier in spin_halt_wait(): the store to
     * owner is visible before we look for halted waiters. Either a
     * waiter sees its turn before it halts, or we see it halted. */
    cpu_full_barrier();
    if (__atomic_load_n(&spin_halted_cpus, __ATOMIC_RELAXED) != 0)
        spin_halt_wake(lock);
}
/* Some CPU has said it halts waiting for `lock` (tests, reports). */
bool spin_halt_waiting(const struct spinlock *lock);

/* Halts so far (all CPUs), and kicks sent: for `cpus`, tests, bench. */
extern uint32_t spin_halts, spin_kicks;
#endif /* LAB >= 5 */

#endif
