/*
 * semaphore.h -- a counting semaphore on a wait queue (Dijkstra's P and V).
 *
 * sem_down() takes one unit, waiting while there is none; sem_up() gives
 * one back and wakes a waiter. Lab 4's producer/consumer test passes
 * 100,000 items through a bounded buffer with two of them.
 */
#ifndef SYNC_SEMAPHORE_H
#define SYNC_SEMAPHORE_H

#if LAB >= 4
#include "proc/waitqueue.h"

struct semaphore {
    int count;
    struct waitqueue waiters;
};

void sem_init(struct semaphore *sem, int count, const char *name);
void sem_down(struct semaphore *sem);
void sem_up(struct semaphore *sem);
#endif /* LAB >= 4 */

#endif
