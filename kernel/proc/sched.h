/*
 * sched.h -- who runs next: a preemptive round-robin scheduler.
 *
 * Runnable threads wait in one FIFO run queue. The running thread keeps
 * the CPU until it blocks, yields, or has used up its time slice of
 * sched_slice timer ticks; then it goes to the back of the queue and the
 * front one runs. All CPUs share the one queue (sched.c says why); a CPU
 * that finds it empty runs its own idle thread, which halts the CPU until
 * the next interrupt (or a wake-up's IPI).
 *
 * The scheduler's lock, `sched_lock`, protects the run queue, every
 * thread's state (and its queue_node, waiting_on and sleep_timer), every
 * wait queue, the timer queue and all_threads. Rules:
 *   - It is the innermost lock: subsystem locks are taken before it, and
 *     nothing is taken while it is held (except by the scheduler itself).
 *   - Take it with sched_lock_irqsave(), always with interrupts off: the
 *     timer interrupt takes it too.
 *   - A CPU that holds it may take it again (sched_lock_irqsave() just
 *     notes that it was held): wake-ups are called from outside the
 *     scheduler and from inside it (thread_exit() wakes its joiners).
 *   - It is held across the context switch: the thread that switches out
 *     takes it, the thread that switches in releases it (sched.c says why).
 *   - A condition on thread states (thread_join: "t is a ZOMBIE") is
 *     waited for holding it, with waitqueue_sleep(); a condition another
 *     lock protects, with waitqueue_sleep_on(wq, lock) (waitqueue.h).
 *   - On one CPU it is "interrupts off", nothing more (labs 1-4, and
 *     -smp 1): sched_lock_irqsave() is irq_save() plus one test.
 */
#ifndef PROC_SCHED_H
#define PROC_SCHED_H

#if LAB >= 4
#include "arch/i386/irq.h"
#include "arch/i386/percpu.h"
#include "arch/i386/trapframe.h"
#include "sync/spinlock.h"
#include <stdbool.h>
#include <stdint.h>

#define SCHED_SLICE_DEFAULT 3   /* ticks: 30 ms at 100 Hz */

struct thread;

/* The thread running on this CPU, and this CPU's idle thread (struct
 * cpu, percpu.h). They read like the two globals they were on one CPU;
 * each CPU has its own. Only the scheduler assigns them (this_cpu()->
 * thread, ->idle), holding sched_lock. A thread reading current_thread
 * always finds itself, on whichever CPU it runs: CPUs change under a
 * thread, its identity does not (the read is one instruction, see
 * this_cpu_thread()). idle_thread is this CPU's: compare with it only
 * with interrupts off, where the thread cannot move. */
#define current_thread (this_cpu_thread())
#define idle_thread (this_cpu()->idle)

extern struct spinlock sched_lock;
extern uint32_t sched_slice;            /* ticks per time slice (cmdline sched_slice=N) */
extern uint32_t sched_switches;         /* context switches so far */
extern uint32_t sched_idle_halted_ticks;    /* ticks that found the idle CPU halted */

/* Several CPUs share the scheduler: sched_lock is a real spinlock then.
 * ncpus (the CPUs the MADT lists) is set on the boot CPU before the
 * first AP starts, outside any sched_lock section, and never changes
 * after; with one CPU, the lock is interrupts off. */
static inline bool sched_smp(void)
{
#if LAB >= 5
    return ncpus > 1;
#else
    return false;
#endif
}

/* Interrupts off, then sched_lock, unless this CPU holds it already.
 * Returns what sched_unlock_irqrestore() needs: the interrupt flag and
 * whether the lock was already held here. */
#define SCHED_LOCK_NESTED 0x80000000u   /* eflags bit 31: reserved, always 0 */
/* With several CPUs: acquisitions of sched_lock, and how many found it
 * held by another CPU (the contention of the one run queue; the
 * sched_smp tests print them). Protected by sched_lock. */
extern uint32_t sched_lock_taken, sched_lock_contended;
static inline uint32_t sched_lock_irqsave(void)
{
    uint32_t s = irq_save();
    if (sched_smp()) {
        if (spin_held(&sched_lock)) {
            s |= SCHED_LOCK_NESTED;
        } else {
            /* A peek at the ticket counters (spinlock.h): held now? */
            bool busy = __atomic_load_n(&sched_lock.owner, __ATOMIC_RELAXED) !=
                        __atomic_load_n(&sched_lock.next, __ATOMIC_RELAXED);
            spin_lock(&sched_lock);
            sched_lock_taken++;
            sched_lock_contended += busy;
        }
    }
    return s;
}

/* Undo sched_lock_irqsave(): release the lock unless it was held before,
 * then restore interrupts. After schedule() this releases the lock that
 * the CPU holds now, which the thread that switched to us took. */
static inline void sched_unlock_irqrestore(uint32_t s)
{
    if (sched_smp() && !(s & SCHED_LOCK_NESTED))
        spin_unlock(&sched_lock);
    irq_restore(s);
}

/* For assertions: this CPU may touch the scheduler's state. */
static inline bool sched_lock_held(void)
{
    return !irq_enabled() && (!sched_smp() || spin_held(&sched_lock));
}

/* Adopt the boot flow as thread "main" and start the idle thread; false
 * (threads stay off, the kernel runs on as in lab 3) if that fails. */
bool sched_init(void);
bool sched_started(void);

/* Give the CPU to the next runnable thread. The caller has already set
 * current_thread's new state (and queued it where it belongs); call
 * holding sched_lock (on one CPU: with interrupts off). Returns when
 * this thread is chosen again, maybe on another CPU, with sched_lock
 * held there. */
void schedule(void);
/* BLOCKED or new -> RUNNABLE, at the back of the run queue. Call holding
 * sched_lock (on one CPU: interrupts off). If some CPU is idle, it is
 * told to look at the queue (an IPI with several CPUs). */
void sched_wakeup(struct thread *t);
/* A BLOCKED thread is woken early, off its wait queue or timer (its
 * process is being killed; it checks proc_killed()). Takes sched_lock. */
void sched_interrupt(struct thread *t);
/* Let the other runnable threads run first. */
void thread_yield(void);
/* Block for `ticks` timer ticks (0: just yield; at most 2^31 - 1: more
 * is that many). Wakes on the tick `now + ticks`, not before; the CPU is
 * free meanwhile. A thread whose process is being killed returns at once
 * (it checks proc_killed()). */
void thread_sleep(uint32_t ticks);

/* From the timer interrupt: charge the tick, wake the sleepers that are
 * due, end the time slice when it is used up. */
void sched_tick(const struct trapframe *tf);
/* Wake the sleepers due at pit_ticks (sched_tick() on CPU 0 does; so
 * does the PIT's handler when the LAPIC timers drive sched_tick()). */
void sched_wake_sleepers(void);
/* From trap(), leaving the outermost interrupt: switch if sched_tick()
 * or a wake-up asked for it. Never inside a nested interrupt. */
void sched_preempt(void);
/* A new thread's first step after its first switch (thread_start(), and
 * user_entry in trapentry.S): release the sched_lock that the switching
 * CPU holds for it. Interrupts stay off. */
void sched_first_run(void);

#if LAB >= 5
/* Each AP, once its LAPIC, GDT, %fs, TSS and IDT are up (smp.c): its
 * boot flow becomes this CPU's idle thread, which schedules forever. */
__attribute__((noreturn)) void sched_ap_main(void);
#endif
#endif /* LAB >= 4 */

#endif
