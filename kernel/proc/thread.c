/*
 * thread.c -- a thread's life: create, run, exit, be joined.
 *
 * Scheduling (who runs when) is sched.c; this file makes and unmakes
 * threads. A thread's struct and stack are freed by thread_join(), never
 * by the thread itself: a thread cannot free the stack it is running on.
 * thread_exit() leaves a ZOMBIE whose stack nobody uses any more, and
 * its joiner frees it.
 */
#if LAB >= 4
#include "proc/thread.h"
#include "proc/sched.h"
#include "mm/kmalloc.h"
#include "mm/pmm.h"
#include "arch/i386/context.h"
#include "arch/i386/irq.h"
#include "lab.h"
#include "panic.h"
#include "trace.h"
#include <string.h>

/* Both protected by sched_lock. */
struct list_node all_threads = LIST_INIT(all_threads);
static int next_tid = 2;        /* 0 is idle, 1 is main */

extern char boot_stack_bottom[], boot_stack_top[];

const char *thread_state_name(enum thread_state state)
{
    static const char *const names[] = {
        [THREAD_RUNNABLE] = "runnable", [THREAD_RUNNING] = "running",
        [THREAD_BLOCKED] = "blocked", [THREAD_ZOMBIE] = "zombie",
    };
    return state <= THREAD_ZOMBIE ? names[state] : "?";
}

struct thread *thread_current(void)
{
    return current_thread;
}

/* A zeroed struct thread with its lists and name set up; not yet on
 * all_threads. */
static struct thread *thread_alloc(const char *name)
{
    struct thread *t = kcalloc(1, sizeof *t);
    if (t == NULL)
        return NULL;
    strncpy(t->name, name, THREAD_NAME_MAX - 1);
    list_init(&t->queue_node);
    list_init(&t->all_node);
    list_init(&t->proc_node);
    list_init(&t->sleep_timer.link);
    waitqueue_init(&t->joiners, "join");
    return t;
}

static void thread_register(struct thread *t, int tid)
{
    uint32_t s = sched_lock_irqsave();
    t->tid = tid >= 0 ? tid : next_tid++;
    list_push_back(&all_threads, &t->all_node);
    sched_unlock_irqrestore(s);
    trace_thread_named(t);
}

/* A struct thread with a fresh stack whose first switch lands in entry()
 * with `reserve` bytes left free at the top of the stack; not registered
 * yet. NULL if memory is out (or lab 4's exercise 1 is not done). */
static struct thread *thread_with_stack(const char *name, size_t reserve, void (*entry)(void))
{
    struct thread *t = thread_alloc(name);
    if (t == NULL)
        return NULL;
    if (!kstack_alloc(&t->stack)) {
        kfree(t);
        return NULL;
    }
    t->context = context_init(t->stack.top - reserve, entry);
    if (t->context == NULL) {
        kstack_free(&t->stack);
        kfree(t);
        return NULL;
    }
    return t;
}

/* The first code every new thread runs (context_init() put its address
 * where context_switch() returns to). The thread that switched to us did
 * so holding sched_lock, with interrupts off; we release the lock, and
 * our own flow starts with interrupts on. */
static void thread_start(void)
{
    struct thread *t = current_thread;
    sched_first_run();
    irq_enable();
    thread_exit(t->fn(t->arg));
}

/* thread_create with a chosen id (-1: the next one); for the idle thread. */
struct thread *thread_create_tid(int (*fn)(void *), void *arg, const char *name, int tid)
{
    struct thread *t = thread_with_stack(name, 0, thread_start);
    if (t == NULL)
        return NULL;
    t->fn = fn;
    t->arg = arg;
    thread_register(t, tid);
    return t;
}

struct thread *thread_create_with_frame(const char *name, const void *frame, size_t size,
                                        void (*entry)(void))
{
    struct thread *t = thread_with_stack(name, size, entry);
    if (t == NULL)
        return NULL;
    /* SAFETY: integer -> pointer: the top `size` bytes of the fresh,
     * mapped stack, which thread_with_stack() left free for the frame. */
    memcpy((void *)(t->stack.top - size), frame, size);
    thread_register(t, -1);
    return t;
}

struct thread *thread_create(int (*fn)(void *), void *arg, const char *name)
{
    struct thread *t = thread_create_tid(fn, arg, name, -1);
    if (t != NULL) {
        uint32_t s = sched_lock_irqsave();
        sched_wakeup(t);
        sched_unlock_irqrestore(s);
    }
    return t;
}

struct thread *thread_adopt_boot_flow(void)
{
    struct thread *t = thread_alloc("main");
    if (t == NULL)
        return NULL;
    /* SAFETY: pointers -> integers: the boot stack's bounds (boot.S);
     * paging_init() unmapped the page below it. */
    t->stack.base = (uintptr_t)boot_stack_bottom;
    t->stack.top = (uintptr_t)boot_stack_top;
    t->stack.guard = PAGE_SIZE;
    t->state = THREAD_RUNNING;
    thread_register(t, 1);
    return t;
}

/* An AP's boot flow, as that CPU's idle thread (sched_ap_main), on the
 * stack the smp code booted it on (never freed: an idle thread does not
 * exit). */
struct thread *thread_adopt_ap_flow(int cpu, const struct kstack *stack)
{
    char name[THREAD_NAME_MAX] = "idle";
    name[4] = (char)('0' + cpu % 10);
    struct thread *t = thread_alloc(name);
    if (t == NULL)
        return NULL;
    if (stack != NULL)
        t->stack = *stack;
    t->state = THREAD_RUNNING;
    thread_register(t, -1);
    return t;
}

void thread_exit(int status)
{
    (void)sched_lock_irqsave();     /* held until the switch: see thread_join */
    struct thread *t = current_thread;
    if (t == idle_thread || t->tid == 1)
        panic("thread_exit: thread %d '%s' must not exit", t->tid, t->name);
#if SOLVED >= 4
    t->exit_status = status;
    t->state = THREAD_ZOMBIE;
    waitqueue_wake_all(&t->joiners);
    schedule();             /* a zombie is never chosen again */
    panic("thread_exit: zombie thread %d '%s' was scheduled", t->tid, t->name);
#else
    /* LAB 4 exercise 4: record the status, become a ZOMBIE, wake the
     * threads waiting in thread_join() (t->joiners) and give up the CPU
     * for good with schedule(). Do not free the stack: you are on it. */
    (void)status;
    panic("LAB 4 exercise 4: thread_exit() is not written yet (thread %d '%s' returned)",
          t->tid, t->name);
#endif
}

int thread_join(struct thread *t)
{
    if (t == current_thread)
        panic("thread_join: thread %d '%s' joins itself", t->tid, t->name);
#if SOLVED >= 4
    uint32_t s = sched_lock_irqsave();
    while (t->state != THREAD_ZOMBIE)
        waitqueue_sleep(&t->joiners);
    list_remove(&t->all_node);
    sched_unlock_irqrestore(s);
    /* A zombie has switched away for the last time: nothing runs on its
     * stack any more, so it can go. (With several CPUs: it became a
     * ZOMBIE under sched_lock, which its CPU held until it had left the
     * zombie's stack; we saw ZOMBIE under the same lock, so after.) */
    int status = t->exit_status;
    kstack_free(&t->stack);
    kfree(t);
    return status;
#else
    /* LAB 4 exercise 4: wait (on t->joiners, with the rule of
     * kernel/proc/waitqueue.h, under the scheduler's lock: a thread's
     * state is sched_lock's, see sched.h) until t is a ZOMBIE; then take it off
     * all_threads, free its stack and the struct, return its status. */
    (void)t;
    LAB_TODO(4, 4, "thread_join()");
    return -1;
#endif
}

struct thread *thread_find(int tid)
{
    struct thread *t, *found = NULL;
    uint32_t s = sched_lock_irqsave();
    list_for_each_entry(t, &all_threads, all_node)
        if (t->tid == tid)
            found = t;
    sched_unlock_irqrestore(s);
    return found;
}

struct thread *thread_overflowed_at(uintptr_t addr)
{
    struct thread *t;
    list_for_each_entry(t, &all_threads, all_node)
        if (t->stack.top != 0 &&
            addr >= t->stack.base - t->stack.guard && addr < t->stack.base + PAGE_SIZE)
            return t;
    return NULL;
}
#endif /* LAB >= 4 */
