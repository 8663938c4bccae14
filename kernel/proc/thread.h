/*
 * thread.h -- kernel threads: a flow of control with a stack of its own.
 *
 * A thread is what the scheduler switches between. Its registers, while
 * it is not running, sit on its own kernel stack (struct context); the
 * struct thread holds a pointer to them and the bookkeeping around it.
 *
 *   created --> RUNNABLE <--> RUNNING --> ZOMBIE --> (joined: freed)
 *                   ^            |
 *                   +- BLOCKED <-+   (waitqueue_sleep, thread_sleep)
 *
 * The boot flow becomes thread 1, "main" (it runs the monitor); thread 0
 * is the idle thread, which runs when nothing else can.
 */
#ifndef PROC_THREAD_H
#define PROC_THREAD_H

#if LAB >= 4
#include "mm/kstack.h"
#include "proc/timerq.h"
#include "proc/waitqueue.h"
#include "list.h"
#include <stddef.h>
#include <stdint.h>

#define THREAD_NAME_MAX 16

enum thread_state {
    THREAD_RUNNABLE,    /* on the run queue (or the idle thread, waiting) */
    THREAD_RUNNING,     /* on a CPU: that CPU's current_thread */
    THREAD_BLOCKED,     /* on a wait queue or the timer queue */
    THREAD_ZOMBIE,      /* exited; its status waits for thread_join() */
};

struct context;
struct process;
struct trapframe;

struct thread {
    int tid;
    char name[THREAD_NAME_MAX];
    enum thread_state state;
    struct context *context;        /* saved registers, while not running */
    struct kstack stack;
    int (*fn)(void *);              /* what it runs, and with what */
    void *arg;
    int exit_status;
    uint32_t ticks;                 /* timer ticks that found it running */
    struct list_node queue_node;    /* on the run queue or one wait queue */
    struct waitqueue *waiting_on;   /* that wait queue, while blocked on one */
    struct timer_node sleep_timer;  /* on the timer queue, while sleeping */
    struct waitqueue joiners;       /* who waits in thread_join() for it */
    struct list_node all_node;      /* on all_threads, from create to join */
    /* A thread of a user process (NULL: a kernel thread). */
    struct process *proc;
    struct list_node proc_node;     /* on proc->threads */
    struct trapframe *tf;           /* the user's registers, in a system call */
    /* The user's FPU/SSE registers while another thread has the FPU
     * (fxsave's 512-byte image; arch/i386/fpu.c). */
    uint8_t fpu_state[512] __attribute__((aligned(16)));
};

/* Every thread that exists (zombies too), oldest first: ps, GDB's tasks. */
extern struct list_node all_threads;

/* A new thread that runs fn(arg) and then exits with its return value;
 * RUNNABLE at once. NULL if no memory is left (or lab 4 is not done). */
struct thread *thread_create(int (*fn)(void *), void *arg, const char *name);
/* End the calling thread with `status` for its joiner. Never returns. */
__attribute__((noreturn)) void thread_exit(int status);
/* Wait until t has exited, free it (stack and struct), return its status.
 * Each thread is joined exactly once, by another thread. */
int thread_join(struct thread *t);
struct thread *thread_current(void);
/* The thread with this id, or NULL. */
struct thread *thread_find(int tid);
const char *thread_state_name(enum thread_state state);
/* The thread whose stack guard (or the page above it) holds addr: where
 * esp points after a stack overflow. NULL if none. */
struct thread *thread_overflowed_at(uintptr_t addr);
/* For sched_init(): the idle thread with id 0 (tid -1: the next id);
 * created, not yet runnable. */
struct thread *thread_create_tid(int (*fn)(void *), void *arg, const char *name, int tid);
/* A thread (not yet runnable) whose kernel stack starts with a copy of
 * frame[0..size) at its top, and whose first switch lands in entry()
 * with esp just below that copy (user_entry: the frame is a trapframe). */
struct thread *thread_create_with_frame(const char *name, const void *frame, size_t size,
                                        void (*entry)(void));
/* Make the boot flow the thread "main" on the boot stack (sched_init). */
struct thread *thread_adopt_boot_flow(void);
/* Make an AP's boot flow, on `stack`, the thread "idleN", RUNNING
 * (sched_ap_main). */
struct thread *thread_adopt_ap_flow(int cpu, const struct kstack *stack);
#endif /* LAB >= 4 */

#endif
