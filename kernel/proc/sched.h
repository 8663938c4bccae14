/*
 * sched.h -- who runs next: a preemptive round-robin scheduler.
 *
 * Runnable threads wait in one FIFO run queue. The running thread keeps
 * the CPU until it blocks, yields, or has used up its time slice of
 * sched_slice timer ticks; then it goes to the back of the queue and the
 * front one runs. The idle thread runs when the queue is empty and
 * halts the CPU until the next interrupt.
 *
 * One CPU, so "interrupts off" is the scheduler's lock: everything that
 * touches the run queue, a wait queue or a thread's state runs with
 * interrupts off (lab 5 adds spinlocks for several CPUs).
 */
#ifndef PROC_SCHED_H
#define PROC_SCHED_H

#if LAB >= 4
#include "arch/i386/trapframe.h"
#include <stdbool.h>
#include <stdint.h>

#define SCHED_SLICE_DEFAULT 3   /* ticks: 30 ms at 100 Hz */

struct thread;

extern struct thread *current_thread;
extern struct thread *idle_thread;
extern uint32_t sched_slice;            /* ticks per time slice (cmdline sched_slice=N) */
extern uint32_t sched_switches;         /* context switches so far */
extern uint32_t sched_idle_halted_ticks;    /* ticks that found the idle CPU halted */

/* Adopt the boot flow as thread "main" and start the idle thread; false
 * (threads stay off, the kernel runs on as in lab 3) if that fails. */
bool sched_init(void);
bool sched_started(void);

/* Give the CPU to the next runnable thread. The caller has already set
 * current_thread's new state (and queued it where it belongs); call with
 * interrupts off. Returns when this thread is chosen again. */
void schedule(void);
/* BLOCKED or new -> RUNNABLE, at the back of the run queue (interrupts off). */
void sched_wakeup(struct thread *t);
/* A BLOCKED thread is woken early, off its wait queue or timer (its
 * process is being killed; it checks proc_killed()). Interrupts off. */
void sched_interrupt(struct thread *t);
/* Let the other runnable threads run first. */
void thread_yield(void);
/* Block for `ticks` timer ticks (0: just yield). Wakes on the tick
 * `now + ticks`, not before; the CPU is free meanwhile. */
void thread_sleep(uint32_t ticks);

/* From the timer interrupt: charge the tick, wake the sleepers that are
 * due, end the time slice when it is used up. */
void sched_tick(const struct trapframe *tf);
/* From trap(), leaving the outermost interrupt: switch if sched_tick()
 * or a wake-up asked for it. Never inside a nested interrupt. */
void sched_preempt(void);
#endif /* LAB >= 4 */

#endif
