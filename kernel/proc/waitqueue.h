/*
 * waitqueue.h -- threads that wait for something, and the wake-up.
 *
 * The one rule (lab 4's central lesson): test your condition and go to
 * sleep with interrupts off, in one piece:
 *
 *     uint32_t s = irq_save();
 *     while (!condition)
 *         waitqueue_sleep(&wq);       // interrupts stay off across the check
 *     ...use what the condition promised...
 *     irq_restore(s);
 *
 * Whoever makes the condition true (a thread, or an interrupt handler)
 * then calls waitqueue_wake_one() or waitqueue_wake_all(). If interrupts
 * were on between the check and the sleep, the wake-up could come in that
 * gap, find nobody on the queue, and be lost: the sleeper would then wait
 * for an event that has already happened. On one CPU, "interrupts off" is
 * the lock.
 *
 * With several CPUs (lab 5), interrupts off keep out only this CPU: the
 * condition is protected by a spinlock, and waitqueue_sleep_on(wq, lock)
 * queues the thread before it lets go of the lock:
 *
 *     uint32_t s = spin_lock_irqsave(&lock);
 *     while (!condition)
 *         waitqueue_sleep_on(&wq, &lock);
 *     ...
 *     spin_unlock_irqrestore(&lock, s);
 *
 * A wait queue itself (like every thread's state) is protected by the
 * scheduler's lock, sched_lock (sched.h), which the functions below take.
 */
#ifndef PROC_WAITQUEUE_H
#define PROC_WAITQUEUE_H

#if LAB >= 4
#include "list.h"
#include <stdbool.h>

struct waitqueue {
    struct list_node waiters;   /* struct thread.queue_node, first come first */
    const char *name;           /* what the sleepers wait for (ps, GDB) */
};

#define WAITQUEUE_INIT(wq, what) { LIST_INIT((wq).waiters), (what) }

void waitqueue_init(struct waitqueue *wq, const char *name);
/* Block the calling thread on wq until a wake-up. Call with interrupts
 * off (it panics otherwise); returns with them still off. A return is a
 * hint, not a promise: check the condition again (a loop, as above).
 * With several CPUs online, call it only holding sched_lock (a condition
 * on thread states, such as thread_join's); it panics otherwise. */
void waitqueue_sleep(struct waitqueue *wq);
/* The same for a condition protected by a spinlock (several CPUs): call
 * holding `lock`, taken with spin_lock_irqsave(). The thread is on wq
 * before `lock` is released, so a waker that takes `lock`, makes the
 * condition true and calls waitqueue_wake_*() cannot be missed; `lock` is
 * held again on return. */
struct spinlock;
void waitqueue_sleep_on(struct waitqueue *wq, struct spinlock *lock);
/* waitqueue_sleep_on() for a system call that gives up with -EINTR when
 * its process is killed (a loop that checks proc_killed()): it does not
 * sleep if the process is being killed. The kill sets `exiting`, then
 * wakes the process's blocked threads under sched_lock (sched_interrupt):
 * a thread that checked proc_killed() under `lock` alone and went to sleep
 * after that wake-up went by -- on another CPU -- would sleep until the
 * event it waits for, perhaps forever. Looked at again under sched_lock,
 * the kill is either seen here or finds the thread on wq. */
void waitqueue_sleep_on_killable(struct waitqueue *wq, struct spinlock *lock);
/* Wake the thread that has waited longest; false if nobody waits. Any
 * context, interrupts on or off. */
bool waitqueue_wake_one(struct waitqueue *wq);
/* Wake every waiting thread; returns how many. */
int waitqueue_wake_all(struct waitqueue *wq);
bool waitqueue_empty(const struct waitqueue *wq);
#endif /* LAB >= 4 */

#endif
