/*
 * check.h -- the checks the kernel makes on its own locking.
 *
 * What is checked (when sync_checks is on: the default; the command line
 * sync_checks=0 turns it off, for benchmarks):
 *   - releasing a lock this CPU / thread does not hold;
 *   - recursion: taking again a non-recursive lock you hold;
 *   - taking a sleeping lock (mutex, semaphore, condition variable,
 *     rwlock, once) or sleeping on a wait queue while holding a spinlock,
 *     or inside an interrupt handler;
 *   - lock order (lockdep.h): an AB-BA inversion, the first time the
 *     second order appears;
 *   - spin_unlock_irqrestore() finding interrupts on (someone turned them
 *     on inside the critical section).
 * Recursion on a spinlock and unlocking a spinlock not held are checked
 * even with sync_checks=0: they cost one comparison.
 *
 * A report is one paragraph on the console naming the lock(s), the stacks
 * that matter, and this CPU's backtrace; then a panic (the kernel's state
 * is wrong: going on would hang or corrupt). A test that provokes a report
 * on purpose arms an expectation first (sync_expect): the report is then
 * printed and copied into the expectation, and the offending call returns
 * without doing harm (an unlock of a lock not held does nothing, a
 * recursive lock is not taken again, a sleep or an order inversion goes
 * ahead). This is the same idea as trap_expect() for exceptions.
 */
#ifndef SYNC_CHECK_H
#define SYNC_CHECK_H

#if LAB >= 5
#include <stdbool.h>
#include <stdint.h>

struct spinlock;

extern bool sync_checks;

enum sync_problem {
    SYNC_NOT_HELD,              /* released a lock it does not hold */
    SYNC_RECURSION,             /* took a non-recursive lock it holds */
    SYNC_SLEEP_WITH_SPINLOCK,   /* would sleep holding a spinlock */
    SYNC_SLEEP_IN_IRQ,          /* would sleep in an interrupt handler */
    SYNC_LOCK_ORDER,            /* AB-BA: lockdep found a cycle */
    SYNC_IRQ_ON_IN_LOCK,        /* interrupts on under an irqsave lock */
    SYNC_PROBLEMS
};

#define SYNC_REPORT_MAX 2048

struct sync_expect {
    enum sync_problem problem;  /* which report is expected */
    int hits;                   /* reports of that kind since armed */
    char text[SYNC_REPORT_MAX]; /* the last one, as printed */
};

/* Tests: reports of e->problem are expected until sync_expect(NULL). */
void sync_expect(struct sync_expect *e);

/* Write a report: begin (the paragraph), any number of stacks, end (this
 * CPU's backtrace, then a panic unless expected). sync_report_end()
 * returns true when the report was expected: the caller then goes on
 * harmlessly. One report at a time (a raw lock is held from begin to end). */
void sync_report_begin(enum sync_problem problem, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void sync_report_stack(const char *title, const uintptr_t *pcs, int n);
bool sync_report_end(void);
/* A one-paragraph report with this CPU's backtrace. */
bool sync_report(enum sync_problem problem, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Called before anything that may sleep (`what` on the lock or queue
 * `name`): reports sleeping in an interrupt handler, or with a spinlock
 * held other than `allowed` (waitqueue_sleep_on()'s own lock; NULL for
 * none). */
void sync_might_sleep(const char *what, const char *name, const struct spinlock *allowed);

/* "function+0xoff" for a code address, in a small static buffer per
 * call (four in rotation: enough for one report's arguments). */
const char *sync_where(uintptr_t pc);

/* The name of the running thread, for reports ("boot" before threads). */
const char *sync_thread_name(void);
int sync_thread_id(void);
#endif /* LAB >= 5 */

#endif
