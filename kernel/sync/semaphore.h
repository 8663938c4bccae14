/*
 * semaphore.h -- a counting semaphore on a wait queue (Dijkstra's P and V).
 *
 * Contract:
 *   - sem_down() takes one unit, sleeping (no CPU used) while there is
 *     none; sem_up() gives one back and wakes the longest waiter.
 *   - count and the queue are protected by the semaphore's own spinlock,
 *     taken with interrupts off: sem_up() may be called from any CPU and
 *     from interrupt handlers; the test of count and the sleep are one
 *     step (waitqueue_sleep_on), so no wake-up is lost.
 *   - sem_down() may sleep: never with a spinlock held or in an interrupt
 *     handler (lab 5 reports it, kernel/sync/check.h).
 *
 * Lab 4's producer/consumer test passes 100,000 items through a bounded
 * buffer with two of them.
 */
#ifndef SYNC_SEMAPHORE_H
#define SYNC_SEMAPHORE_H

#if LAB >= 4
#include "proc/waitqueue.h"
#include "sync/spinlock.h"

struct semaphore {
    struct spinlock lock;
    int count;                  /* protected by lock */
    struct waitqueue waiters;   /* protected by lock */
};

void sem_init(struct semaphore *sem, int count, const char *name);
void sem_down(struct semaphore *sem);
void sem_up(struct semaphore *sem);
#endif /* LAB >= 4 */

#endif
