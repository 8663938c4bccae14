/* spin_halt.c -- halting a long spinlock wait (see spin_halt.h). */
#if LAB >= 5
#include "sync/spin_halt.h"
#include "sync/spinlock.h"
#include "arch/i386/cpu.h"
#include "arch/i386/idle.h"
#include "arch/i386/irq.h"
#include "arch/i386/percpu.h"
#include "arch/i386/smp.h"
#include "proc/sched.h"
#include <stddef.h>

/* What each CPU halted in a lock waits for. Written by its own CPU only,
 * read by the releasing CPU: atomics, relaxed (the barriers that matter
 * are named where they are). */
struct halted_waiter {
    struct spinlock *lock;      /* NULL: not halted in a lock */
    uint16_t ticket;
};
static struct halted_waiter halted[MAX_CPUS];
uint32_t spin_halted_cpus;      /* CPUs with a lock in halted[]: atomic */

uint32_t spin_halts, spin_kicks;    /* atomic: statistics */

void spin_halt_wait(struct spinlock *lock, uint16_t ticket)
{
    /* With one CPU nobody else holds a lock for long; a CPU still
     * starting is sent no wake-ups (smp_send_wake). Spin on. */
    if (!sched_smp() || !this_cpu()->online) {
        cpu_pause();
        return;
    }
    /* Interrupts off from telling to halting: a handler here could wait
     * for a lock of its own and take over our entry in halted[]. */
    uint32_t s = irq_save();
    struct halted_waiter *w = &halted[cpu_id()];
    __atomic_store_n(&w->ticket, ticket, __ATOMIC_RELAXED);
    __atomic_store_n(&w->lock, lock, __ATOMIC_RELAXED);
    /* A locked instruction: also the full barrier between our stores
     * above and the load of owner in cpu_halt_unless(). Without it x86
     * may do the load first (the store buffer), and a release in between
     * would find no one to wake while we halt (spin_halt_kick() has the
     * barrier of the other side). */
    __atomic_fetch_add(&spin_halted_cpus, 1, __ATOMIC_SEQ_CST);
    __atomic_fetch_add(&spin_halts, 1, __ATOMIC_RELAXED);
    /* Interrupts as our caller had them while halted: a thread that
     * waits with them on still takes its ticks (and a lost wake-up then
     * costs one tick at most). The wake-up itself is an NMI. */
    cpu_halt_unless(&lock->owner, ticket, (s & EFLAGS_IF) != 0);
    irq_disable();
    __atomic_store_n(&w->lock, NULL, __ATOMIC_RELAXED);
    __atomic_fetch_sub(&spin_halted_cpus, 1, __ATOMIC_RELAXED);
    irq_restore(s);
}

void spin_halt_wake(struct spinlock *lock)
{
    uint16_t turn = __atomic_load_n(&lock->owner, __ATOMIC_RELAXED);
    for (int i = 0; i < ncpus && i < MAX_CPUS; i++) {
        struct halted_waiter *w = &halted[i];
        if (__atomic_load_n(&w->lock, __ATOMIC_RELAXED) == lock &&
            __atomic_load_n(&w->ticket, __ATOMIC_RELAXED) == turn) {
            __atomic_fetch_add(&spin_kicks, 1, __ATOMIC_RELAXED);
            smp_send_wake(i);
            return;             /* one ticket, one waiter */
        }
    }
}

bool spin_halt_waiting(const struct spinlock *lock)
{
    for (int i = 0; i < ncpus && i < MAX_CPUS; i++)
        if (__atomic_load_n(&halted[i].lock, __ATOMIC_RELAXED) == lock)
            return true;
    return false;
}
#endif /* LAB >= 5 */
