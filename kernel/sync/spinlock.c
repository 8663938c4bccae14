/* spinlock.c -- the ticket spinlock (see spinlock.h for the contract). */
#if LAB >= 4
#include "sync/spinlock.h"
#include "arch/i386/cpu.h"
#include "arch/i386/irq.h"
#include "arch/i386/percpu.h"
#include "lab.h"
#include "panic.h"
#include <stddef.h>
#if LAB >= 5
#include "sync/check.h"
#include "sync/held.h"
#include "sync/lockdep.h"
#include "sync/spin_halt.h"
#include "arch/i386/smp.h"
#include <stdio.h>
#endif

void spin_init(struct spinlock *lock, const char *name)
{
    *lock = (struct spinlock)SPINLOCK_INIT(name);
}

/* The name the handout and OSTEP use for cpu_pause() (arch/i386/cpu.h),
 * which spin_halt.c also relaxes with: one `pause` for the whole kernel. */
static inline void cpu_relax(void)
{
    cpu_pause();
}

/* One turn of the wait for `ticket`. Once every 64 turns: a waiter
 * usually has interrupts off (spin_lock_irqsave), and the holder may be
 * shooting down a TLB entry (kstack_free, a COW break under an address
 * space's lock) and wait for every CPU to answer: answer while we wait,
 * or both CPUs wait until tlb_shootdown() gives up. Not on every turn:
 * the handover is the hot path of a contended lock. After a long wait
 * (lab 5), halt until the release that serves our ticket wakes us
 * (spin_halt.h says why: a CPU that is really a host thread). */
static inline void spin_wait_turn(struct spinlock *lock, uint16_t ticket, uint32_t turn)
{
#if LAB >= 5
    if ((turn & 63) == 63)
        tlb_shootdown_handle();
    if (turn >= SPIN_TURNS_BEFORE_HALT) {
        spin_halt_wait(lock, ticket);
        return;
    }
#else
    (void)lock;
    (void)ticket;
    (void)turn;
#endif
    cpu_relax();
}

#if LAB >= 5
/* This CPU's count of held spinlocks (struct cpu.spinlocks_held): one
 * instruction, so no preemption can split it (percpu.h). While it is
 * above 0 the scheduler does not preempt this CPU's thread. */
static inline void count_held(int delta)
{
    this_cpu_count_spinlocks(delta);
}

/* Does this CPU hold the lock? For a caller that cannot move to another
 * CPU while it looks: one that holds a spinlock (counted: no preemption),
 * or runs with interrupts off. spin_held() is the one for anyone. */
static inline bool held_pinned(const struct spinlock *lock)
{
    return __atomic_load_n(&lock->holder, __ATOMIC_RELAXED) == this_cpu() &&
           __atomic_load_n(&lock->owner, __ATOMIC_RELAXED) !=
           __atomic_load_n(&lock->next, __ATOMIC_RELAXED);
}
#endif

/* The stubs of lab 5's exercise 1 are a lock for one CPU only: there,
 * nobody else can hold a lock we are about to take (holders are not
 * preempted, handlers take theirs with interrupts off, recursion is
 * checked), so taking it needs no waiting. Once a second CPU runs they
 * stop the kernel, naming the exercise. (Once: panic() itself prints,
 * and printing takes locks.) */
static inline void one_cpu_only(const char *what)
{
    static int told;
    for (int i = 1; i < ncpus && i < MAX_CPUS; i++)
        if (cpus[i].online && !told++) {
            /* Stop the machine, not just this CPU: the others would go
             * on with a lock that does not lock. */
            panic_exits = true;
            panic("LAB 5 exercise 1: %s is not written yet (see labs/05-sync/README.md): "
                  "the stub is a lock for one CPU only, and CPU %d is online", what, i);
        }
}

#if LAB >= 5
/* The reports, out of line: the checks below stay a few instructions. */
static __attribute__((noinline)) bool report_recursion(struct spinlock *lock)
{
    /* Expected by a test: do not take it again (that would hang). */
    return sync_report(SYNC_RECURSION,
                       "spin_lock(%s) on CPU %d, which already holds it (taken at %s): "
                       "a spinlock is not recursive, this CPU would spin forever. Either "
                       "the code takes it twice, or an interrupt handler takes a lock that "
                       "the code it interrupted holds (take that lock with "
                       "spin_lock_irqsave()).",
                       lock->name, this_cpu()->id, sync_where(lock->held_at));
}

static __attribute__((noinline)) bool report_not_held(struct spinlock *lock)
{
    struct cpu *h = __atomic_load_n(&lock->holder, __ATOMIC_RELAXED);
    char holder[24] = "nobody holds it";
    if (h != NULL)
        snprintf(holder, sizeof holder, "CPU %d holds it", h->id);
    return sync_report(SYNC_NOT_HELD,
                       "spin_unlock(%s) on CPU %d, which does not hold it (%s): only the "
                       "holder may release a lock; releasing someone else's lets two CPUs "
                       "into the critical section.",
                       lock->name, this_cpu()->id, holder);
}
#endif

/* The recursion check. True: go on and take the lock. From lab 5 the
 * caller has counted the lock already, so it stays on this CPU while it
 * looks. */
static inline bool not_recursive(struct spinlock *lock)
{
#if LAB >= 5
    if (!held_pinned(lock))
        return true;
    return !report_recursion(lock);
#else
    if (!spin_held(lock))
        return true;
    panic("spin_lock(%s): this CPU already holds it (recursion)", lock->name);
#endif
}

/* Take the lock; `where` is our caller's caller, for reports. */
static inline void ticket_lock(struct spinlock *lock, uintptr_t where)
{
#if LAB >= 5
    count_held(+1);         /* no preemption from here to the release */
    if (!not_recursive(lock)) {
        count_held(-1);
        return;
    }
    int cls = sync_checks ? lockdep_before(lock, lock->name, &lock->lockdep_class, where) : -1;
#else
    if (!not_recursive(lock))
        return;
#endif
#if SOLVED >= 5
    /* Take a ticket: one atomic fetch-and-add, so no two CPUs get the same. */
    uint16_t ticket = __atomic_fetch_add(&lock->next, 1, __ATOMIC_RELAXED);
    /* Wait for our turn. ACQUIRE: nothing we read under the lock may be
     * read before we see that it is ours. */
    for (uint32_t turn = 0; __atomic_load_n(&lock->owner, __ATOMIC_ACQUIRE) != ticket; turn++)
        spin_wait_turn(lock, ticket, turn);
#else
    /* LAB 5 exercise 1: take a ticket -- one atomic fetch-and-add on
     * lock->next (__atomic_fetch_add), so that no two CPUs draw the same
     * number -- then spin until lock->owner shows it (__atomic_load_n with
     * __ATOMIC_ACQUIRE; call spin_wait_turn(lock, ticket, turn) in the
     * loop, with turn counting the tries: it relaxes the CPU, and halts
     * it after a long wait). Until then this is a lock for one CPU,
     * which never waits. */
    one_cpu_only("spin_lock()");
    lock->next++;
#endif
    /* Atomic (relaxed): spin_held() reads holder without the lock (KCSAN
     * found the plain store racing with it); the value it needs is only
     * ever its own CPU, which no other CPU can store. */
    __atomic_store_n(&lock->holder, this_cpu(), __ATOMIC_RELAXED);
    lock->held_at = where;
#if LAB >= 5
    if (sync_checks)
        held_push(lock, lock->name, LOCK_SPIN, cls, where);
#endif
}

/* The not-held check. True: go on and release. From lab 5: a CPU that
 * counts no spinlock holds none; one that counts some cannot preempt the
 * thread that runs there (or the handler that interrupted it), so the
 * look stays on this CPU. One instruction reads the count (percpu.h). */
static inline bool held_here(struct spinlock *lock)
{
#if LAB >= 5
    if (this_cpu_spinlocks() > 0 && held_pinned(lock))
        return true;
    return !report_not_held(lock);
#else
    if (spin_held(lock))
        return true;
    panic("spin_unlock(%s): this CPU does not hold it", lock->name);
#endif
}

static inline void ticket_unlock(struct spinlock *lock)
{
    if (!held_here(lock))
        return;
#if LAB >= 5
    if (sync_checks)
        held_pop(lock, LOCK_SPIN);
#endif
    __atomic_store_n(&lock->holder, NULL, __ATOMIC_RELAXED);    /* see ticket_lock() */
    lock->held_at = 0;
#if SOLVED >= 5
    /* RELEASE: every write made under the lock is visible before the next
     * ticket holder sees that it is its turn. Only the holder writes owner. */
    __atomic_store_n(&lock->owner, (uint16_t)(lock->owner + 1), __ATOMIC_RELEASE);
#else
    /* LAB 5 exercise 1: serve the next ticket -- advance lock->owner by
     * one with a release store (__atomic_store_n, __ATOMIC_RELEASE), so
     * that the compiler emits every store of the critical section before
     * it (labs/05-sync/README.md, "Memory ordering"). */
    one_cpu_only("spin_unlock()");
    lock->owner++;
#endif
#if LAB >= 5
    spin_halt_kick(lock);       /* the next ticket's waiter may be halted */
    count_held(-1);
#endif
}

void spin_lock(struct spinlock *lock)
{
    ticket_lock(lock, SYNC_CALLER());
}

void spin_unlock(struct spinlock *lock)
{
    ticket_unlock(lock);
}

uint32_t spin_lock_irqsave(struct spinlock *lock)
{
    /* Interrupts off first: a handler must find the lock either free or
     * held by another CPU, never held by the code it interrupted. */
    uint32_t saved = irq_save();
    ticket_lock(lock, SYNC_CALLER());
    return saved;
}

void spin_unlock_irqrestore(struct spinlock *lock, uint32_t saved)
{
#if LAB >= 5
    if (sync_checks && irq_enabled())
        sync_report(SYNC_IRQ_ON_IN_LOCK,
                    "spin_unlock_irqrestore(%s) with interrupts on: something turned them on "
                    "while the irq-saving lock was held, so a handler on this CPU could have "
                    "spun on it forever.", lock->name);
#endif
    /* Release first, interrupts back on after: until the lock is free no
     * handler may run on this CPU (spinlock.h). */
    ticket_unlock(lock);
    irq_restore(saved);
}

bool spin_held(const struct spinlock *lock)
{
    /* Interrupts off while it looks: from a preemptible caller (spin_lock()
     * before it takes the lock) the thread could otherwise read holder ==
     * CPU 1 (another thread holding it there), move to CPU 1, and then
     * find this_cpu() == CPU 1: a recursion that is not one (found under
     * KCSAN=1, whose slower accesses widened the window). A CPU that does
     * hold the lock cannot be preempted, so its answer needs no more. */
    uint32_t s = irq_save();
    bool held = __atomic_load_n(&lock->holder, __ATOMIC_RELAXED) == this_cpu() &&
                __atomic_load_n(&lock->owner, __ATOMIC_RELAXED) !=
                __atomic_load_n(&lock->next, __ATOMIC_RELAXED);
    irq_restore(s);
    return held;
}
#endif /* LAB >= 4 */
