/*
 * sched.c -- the scheduler: the run queue, the switch, the tick, the idle
 * threads, sleeping.
 *
 * Everything here runs holding sched_lock (sched.h: on one CPU that is
 * just interrupts off), or takes it first: the timer interrupt and the
 * other CPUs change the same queues.
 *
 * One run queue for all CPUs, under the one lock, rather than a queue per
 * CPU with work stealing. Measured at -smp 1 the lock is the same
 * "interrupts off" as before (one test of ncpus more); at -smp 4 a switch
 * is a few hundred instructions, the lock is held for a fraction of that,
 * and a teaching kernel runs a handful of threads: the contention stays
 * low, and one FIFO keeps lab 4's round robin exactly what it was (no
 * per-CPU orders, no balancing policy to explain). Per-CPU queues pay off
 * with many CPUs and many short switches, which this kernel does not have.
 */
#if LAB >= 4
#include "proc/sched.h"
#include "proc/process.h"
#include "proc/runqueue.h"
#include "proc/thread.h"
#include "proc/timerq.h"
#include "sanitizers/kcsan.h"
#include "arch/i386/context.h"
#include "arch/i386/idle.h"
#include "arch/i386/irq.h"
#include "arch/i386/pit.h"
#if LAB >= 5
#include "arch/i386/smp.h"
#endif
#include "console.h"
#include "ktest.h"
#include "lab.h"
#include "panic.h"
#include "trace.h"
#if LAB >= 5
#include "sync/check.h"
#include "arch/i386/percpu.h"
#endif

struct spinlock sched_lock = SPINLOCK_INIT("sched");
uint32_t sched_lock_taken, sched_lock_contended;
uint32_t sched_slice = SCHED_SLICE_DEFAULT;
uint32_t sched_switches;        /* protected by sched_lock */
uint32_t sched_idle_halted_ticks;   /* atomic: every CPU's tick adds */

static struct runqueue run_queue;   /* protected by sched_lock */
static struct timerq sleepers;      /* protected by sched_lock */

/* sched_init() has run: threads are on (an AP joins in sched_ap_main();
 * until then its current_thread is NULL). A plain global, not a per-CPU
 * read: it is the first test of thread_yield() and sched_tick(). */
static bool threads_on;

bool sched_started(void)
{
    return threads_on;
}

/* Make `next` the running thread. The switch itself: save our registers
 * on our stack, load next's from its stack.
 *
 * Across CPUs: the thread we leave is already on the run queue or a wait
 * queue, where another CPU could pick it up at once -- while its registers
 * are still being saved here. So sched_lock stays held across
 * context_switch() (as in xv6): no other CPU can pop `prev` until this
 * CPU has left prev's stack and the thread it switched to releases the
 * lock (on return from its own schedule(), or in sched_first_run()).
 * The FPU is saved eagerly in proc_switch(), before the lock is released,
 * so a thread that moves to another CPU finds its registers in memory. */
static void switch_to(struct thread *next)
{
    struct cpu *c = this_cpu();     /* ours until context_switch(): interrupts are off */
    struct thread *prev = c->thread;
    if (sched_smp() && !spin_held(&sched_lock))
        panic("schedule() without sched_lock (thread %d '%s')", prev->tid, prev->name);
    next->state = THREAD_RUNNING;
    c->slice_left = sched_slice;    /* a fresh slice for whoever runs now */
    c->need_resched = false;
    if (next == prev)
        return;
    trace_event(TR_SWITCH, (uint32_t)next->tid);
    c->thread = next;
    sched_switches++;
    proc_switch(prev, next);    /* address space, kernel stack, FPU */
    context_switch(&prev->context, next->context);
    /* Here again: some thread switched back to us, on this CPU or
     * another, holding sched_lock; our caller releases it. */
}

#if LAB >= 5
/* A thread became runnable: if this CPU idles, switch on the way out of
 * this interrupt; else wake one other idle CPU that is not already on
 * its way. Busy CPUs find the thread when their slice ends. */
static void kick_idle_cpu(void)
{
    struct cpu *self = this_cpu();
    if (self->thread == self->idle) {
        self->need_resched = true;
        return;
    }
    if (!sched_smp())
        return;
    for (int i = 0; i < ncpus; i++) {
        struct cpu *c = &cpus[i];
        /* need_resched of another CPU: that CPU reads it without
         * sched_lock on its way out of an interrupt (sched_preempt()),
         * so both sides are atomic (KCSAN found the plain pair racing). */
        if (c != self && c->online && c->idle != NULL && c->thread == c->idle &&
            !__atomic_load_n(&c->need_resched, __ATOMIC_RELAXED)) {
            __atomic_store_n(&c->need_resched, true, __ATOMIC_RELAXED);
            smp_send_resched(i);
            return;
        }
    }
}
#endif

/* This CPU's slice and switch request (struct cpu); the names read like
 * the globals they were on one CPU (lab 4's exercise 2 uses them). Below
 * this point only: switch_to() and kick_idle_cpu() above name the fields
 * themselves. Protected by sched_lock. */
#define slice_left (this_cpu()->slice_left)
#define need_resched (this_cpu()->need_resched)

void schedule(void)
{
#if SOLVED >= 4
    struct list_node *n = runqueue_pop(&run_queue);
    struct thread *next = n != NULL ? list_entry(n, struct thread, queue_node) : idle_thread;
    switch_to(next);
#else
    /* LAB 4 exercise 2: pick the next thread: the front of run_queue
     * (runqueue_pop(); list_entry() turns the node into its thread), or
     * idle_thread when the queue is empty; then switch_to() it. The
     * caller has already put current_thread where it belongs. */
    if (current_thread->state != THREAD_RUNNABLE)
        panic("LAB 4 exercise 2: schedule() is not written yet (thread %d '%s' blocks)",
              current_thread->tid, current_thread->name);
    LAB_TODO_ONCE(4, 2, "schedule()");
    (void)runqueue_pop;
    switch_to(current_thread);
#endif
}

void sched_wakeup(struct thread *t)
{
    trace_event(TR_WAKEUP, (uint32_t)t->tid);
    t->state = THREAD_RUNNABLE;
    runqueue_push(&run_queue, &t->queue_node);
#if LAB >= 5
    kick_idle_cpu();
#else
    if (current_thread == idle_thread)
        need_resched = true;    /* don't let the CPU idle while t waits */
#endif
}

void sched_interrupt(struct thread *t)
{
    uint32_t s = sched_lock_irqsave();
    if (t->state == THREAD_BLOCKED) {
        timerq_cancel(&sleepers, &t->sleep_timer);
        if (t->waiting_on != NULL) {
            list_remove(&t->queue_node);
            t->waiting_on = NULL;
        }
        sched_wakeup(t);
    }
    sched_unlock_irqrestore(s);
}

/* noinline: one place for `break thread_yield` (GDB demos and tests). */
__attribute__((noinline)) void thread_yield(void)
{
    if (!sched_started())
        return;                 /* one flow of control: nobody to yield to */
    uint32_t s = sched_lock_irqsave();
    struct cpu *c = this_cpu();     /* interrupts off: we stay here until schedule() */
    struct thread *t = c->thread;
    t->state = THREAD_RUNNABLE;
    if (t != c->idle)
        runqueue_push(&run_queue, &t->queue_node);
    schedule();
    sched_unlock_irqrestore(s);
}

void thread_sleep(uint32_t ticks)
{
#if LAB >= 5
    sync_might_sleep("thread_sleep", current_thread ? current_thread->name : "boot", NULL);
#endif
    if (ticks == 0) {
        thread_yield();
        return;
    }
    if (!sched_started()) {
        /* Threads are off: wait halted, as in lab 3 (which needs the
         * timer's interrupts, even if our caller had them off). */
        bool was_on = irq_enabled();
        irq_enable();
        sleep_ticks(ticks);
        if (!was_on)
            irq_disable();
        return;
    }
    /* The timer queue orders dues by their signed distance (tick_before):
     * one more than 2^31 - 1 ticks ahead would read as past, and sleep
     * (2^32 - 1) would end at the next tick. So the longest sleep is
     * 2^31 - 1 ticks (248 days at 100 Hz). */
    if (ticks > INT32_MAX)
        ticks = INT32_MAX;
    uint32_t s = sched_lock_irqsave();
    struct thread *t = current_thread;
    /* A thread of a process being killed does not start a sleep: the
     * kill's wake-up (sched_interrupt) may have come and gone already --
     * before this thread first ran, or while it ran on another CPU -- and
     * then nothing would end the sleep before its time (sleep(2^32 - 1):
     * never), nor the process. Looked at under the scheduler's lock,
     * which sched_interrupt takes after setting `exiting`. */
    if (!proc_killed()) {
        timerq_insert(&sleepers, &t->sleep_timer, pit_ticks + ticks);
        t->state = THREAD_BLOCKED;
        schedule();
    }
    sched_unlock_irqrestore(s);
}

/* The sleepers due by now go to the run queue: from the clock's own
 * interrupt (the PIT, on CPU 0), right after pit_ticks advanced. With one
 * CPU that is also sched_tick()'s; with the local APICs (lab 5) the PIT
 * calls it itself, since CPU 0's scheduler tick is its LAPIC timer, which
 * does not tick in step with pit_ticks. */
void sched_wake_sleepers(void)
{
    if (!sched_started())
        return;                 /* the clock ticks before sched_init() */
    uint32_t s = sched_lock_irqsave();
    struct timer_node *due;
    while ((due = timerq_pop_due(&sleepers, pit_ticks)) != NULL)
        sched_wakeup(list_entry(due, struct thread, sleep_timer));
    sched_unlock_irqrestore(s);
}

void sched_tick(const struct trapframe *tf)
{
    if (!sched_started())
        return;                 /* threads not started yet */
#if LAB >= 5
    void (*hook)(void) = ktest_timer_hook;  /* a test's timer handler (ktest.h) */
    if (hook != NULL)
        hook();
#endif
    struct thread *t = current_thread;
    if (t == NULL)
        return;                 /* an AP not yet in sched_ap_main() */
    t->ticks++;                 /* only this CPU runs t: no lock needed */
    if (t == idle_thread && cpu_was_halted(tf))
        __atomic_fetch_add(&sched_idle_halted_ticks, 1, __ATOMIC_RELAXED);
    if (cpu_id() == 0)
        sched_wake_sleepers();  /* other CPUs' ticks: no newer pit_ticks */
    /* slice_left and need_resched are this CPU's own, and interrupts are
     * off: no other CPU touches them but kick_idle_cpu(), which only
     * targets a CPU running its idle thread (no slice). */
#if SOLVED >= 4
    if (t != idle_thread && --slice_left == 0)
        need_resched = true;    /* slice used up: to the back of the queue */
#else
    /* LAB 4 exercise 2: preemption. Count the running thread's slice
     * down (slice_left); when it reaches 0, set need_resched, and
     * sched_preempt() will move the thread to the back of the queue on
     * the way out of this interrupt. The idle thread has no slice. */
    LAB_TODO_ONCE(4, 2, "sched_tick()");
#endif
}

void sched_preempt(void)
{
#if LAB >= 5
    /* A CPU holding a spinlock is not preempted (kernel/sync/spinlock.h):
     * the switch waits for the next interrupt after the release. */
    if (this_cpu()->spinlocks_held > 0)
        return;
#endif
    /* Without sched_lock: another CPU's kick_idle_cpu() may set it now. */
    if (__atomic_load_n(&need_resched, __ATOMIC_RELAXED) && current_thread != NULL)
        thread_yield();
}

void sched_first_run(void)
{
    /* What sched_unlock_irqrestore() does after schedule(), but without
     * turning interrupts on: the new thread's entry decides. */
    if (sched_smp())
        spin_unlock(&sched_lock);
}

/* The idle thread: the CPU's "nothing to do". It halts (sti; hlt) until
 * an interrupt; if that interrupt made a thread runnable, sched_wakeup()
 * asked for a switch and sched_preempt() does it on the way out. Another
 * CPU's wake-up sends an IPI, which ends the hlt the same way. Reading the
 * queue's length without the lock is a hint: a thread queued after it
 * finds this CPU idle and sends the IPI, which the sti; hlt cannot miss. */
static int idle_main(void *arg)
{
    (void)arg;
    for (;;) {
        irq_disable();
        /* data_race(): the unlocked hint this function's comment
         * describes, on purpose (KCSAN reports it otherwise). */
        if (data_race(runqueue_length(&run_queue)) > 0)
            thread_yield();     /* the idle thread is never queued itself */
        else
            cpu_idle_halt();
    }
    return 0;
}

bool sched_init(void)
{
    runqueue_init(&run_queue);
    timerq_init(&sleepers);
    struct thread *idle = thread_create_tid(idle_main, NULL, "idle", 0);
    struct thread *main = idle != NULL ? thread_adopt_boot_flow() : NULL;
    if (main == NULL) {
        kprintf("sched: no threads: the idle thread could not be created "
                "(LAB 4 exercise 1?); the kernel runs on as in lab 3\n");
        return false;
    }
    uint32_t s = sched_lock_irqsave();
    idle->state = THREAD_RUNNABLE;
    slice_left = sched_slice;
    this_cpu()->thread = main;
    idle_thread = idle;
    threads_on = true;
    sched_unlock_irqrestore(s);
    kprintf("sched: threads on, time slice %u ticks\n", sched_slice);
    return true;
}

#if LAB >= 5
void sched_ap_main(void)
{
    struct thread *idle = thread_adopt_ap_flow(cpu_id(), smp_boot_stack(cpu_id()));
    if (idle == NULL)
        panic("sched_ap_main: no memory for CPU %d's idle thread", cpu_id());
    uint32_t s = sched_lock_irqsave();
    slice_left = sched_slice;
    this_cpu()->thread = idle;
    idle_thread = idle;         /* from here on wake-ups may send us IPIs */
    sched_unlock_irqrestore(s);
    kprintf("sched: CPU %d schedules (idle thread %d)\n", cpu_id(), idle->tid);
    idle_main(NULL);
    panic("sched_ap_main: the idle loop returned");
}
#endif
#endif /* LAB >= 4 */
