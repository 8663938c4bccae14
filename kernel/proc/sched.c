/*
 * sched.c -- the scheduler: the run queue, the switch, the tick, the idle
 * thread, sleeping.
 *
 * Every function here runs with interrupts off (the scheduler's lock on
 * one CPU) or turns them off first: the timer interrupt changes the same
 * queues.
 */
#if LAB >= 4
#include "proc/sched.h"
#include "proc/process.h"
#include "proc/runqueue.h"
#include "proc/thread.h"
#include "proc/timerq.h"
#include "arch/i386/context.h"
#include "arch/i386/idle.h"
#include "arch/i386/irq.h"
#include "arch/i386/pit.h"
#include "console.h"
#include "lab.h"
#include "panic.h"
#include "trace.h"
#if LAB >= 5
#include "sync/check.h"
#include "arch/i386/percpu.h"
#endif

struct thread *current_thread;
struct thread *idle_thread;
uint32_t sched_slice = SCHED_SLICE_DEFAULT;
uint32_t sched_switches;
uint32_t sched_idle_halted_ticks;

static struct runqueue run_queue;
static struct timerq sleepers;
static uint32_t slice_left;     /* ticks left in the running thread's slice */
static bool need_resched;       /* switch at the end of this interrupt */

bool sched_started(void)
{
    return idle_thread != NULL;
}

/* Make `next` the running thread. The switch itself: save our registers
 * on our stack, load next's from its stack. */
static void switch_to(struct thread *next)
{
    struct thread *prev = current_thread;
    next->state = THREAD_RUNNING;
    slice_left = sched_slice;       /* a fresh slice for whoever runs now */
    need_resched = false;
    if (next == prev)
        return;
    trace_event(TR_SWITCH, (uint32_t)next->tid);
    current_thread = next;
    sched_switches++;
    proc_switch(prev, next);    /* address space, kernel stack, FPU */
    context_switch(&prev->context, next->context);
    /* Here again: some thread switched back to us. */
}

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
    if (current_thread == idle_thread)
        need_resched = true;    /* don't let the CPU idle while t waits */
}

void sched_interrupt(struct thread *t)
{
    if (t->state != THREAD_BLOCKED)
        return;
    timerq_cancel(&sleepers, &t->sleep_timer);
    if (t->waiting_on != NULL) {
        list_remove(&t->queue_node);
        t->waiting_on = NULL;
    }
    sched_wakeup(t);
}

void thread_yield(void)
{
    if (!sched_started())
        return;                 /* one flow of control: nobody to yield to */
    uint32_t s = irq_save();
    struct thread *t = current_thread;
    t->state = THREAD_RUNNABLE;
    if (t != idle_thread)
        runqueue_push(&run_queue, &t->queue_node);
    schedule();
    irq_restore(s);
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
    uint32_t s = irq_save();
    struct thread *t = current_thread;
    timerq_insert(&sleepers, &t->sleep_timer, pit_ticks + ticks);
    t->state = THREAD_BLOCKED;
    schedule();
    irq_restore(s);
}

void sched_tick(const struct trapframe *tf)
{
    struct thread *t = current_thread;
    if (t == NULL)
        return;                 /* threads not started yet */
    t->ticks++;
    if (t == idle_thread && cpu_was_halted(tf))
        sched_idle_halted_ticks++;
    struct timer_node *due;
    while ((due = timerq_pop_due(&sleepers, pit_ticks)) != NULL)
        sched_wakeup(list_entry(due, struct thread, sleep_timer));
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
    if (need_resched && current_thread != NULL)
        thread_yield();
}

/* The idle thread: the CPU's "nothing to do". It halts (sti; hlt) until
 * an interrupt; if that interrupt made a thread runnable, sched_wakeup()
 * asked for a switch and sched_preempt() does it on the way out. */
static int idle_main(void *arg)
{
    (void)arg;
    for (;;) {
        irq_disable();
        if (runqueue_length(&run_queue) > 0)
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
    idle->state = THREAD_RUNNABLE;
    slice_left = sched_slice;
    irq_disable();
    current_thread = main;
    idle_thread = idle;
    irq_enable();
    kprintf("sched: threads on, time slice %u ticks\n", sched_slice);
    return true;
}
#endif /* LAB >= 4 */
