/* semaphore.c -- P and V on a wait queue (see semaphore.h). */
#if LAB >= 4
#include "sync/semaphore.h"
#include "arch/i386/irq.h"
#include "lab.h"
#if LAB >= 5
#include "sync/check.h"
#endif

void sem_init(struct semaphore *sem, int count, const char *name)
{
    /* The lock's name is the kind, not the semaphore's: a leaf lock,
     * one lockdep class for all semaphores (kernel/sync/README.md). */
    spin_init(&sem->lock, "semaphore internals");
    sem->count = count;
    waitqueue_init(&sem->waiters, name);
}

void sem_down(struct semaphore *sem)
{
#if LAB >= 5
    sync_might_sleep("sem_down", sem->waiters.name, NULL);
#endif
    /* Lab 4, exercise 3 (labs/04-threads/README.md): */
#if SOLVED >= 4
    /* Check and sleep as one step, under the semaphore's lock with
     * interrupts off: a sem_up() from a thread that preempts us, from an
     * interrupt or from another CPU cannot fall between the test of count
     * and the sleep. waitqueue_sleep_on() queues us before it lets go of
     * the lock, and holds it again when we wake. */
    uint32_t s = spin_lock_irqsave(&sem->lock);
    while (sem->count == 0)
        waitqueue_sleep_on(&sem->waiters, &sem->lock);
    sem->count--;
    spin_unlock_irqrestore(&sem->lock, s);
#else
    /* LAB 4 exercise 3: wait until count > 0, then take one. Take
     * sem->lock with spin_lock_irqsave(), test count and go to sleep with
     * waitqueue_sleep_on(&sem->waiters, &sem->lock) while it is 0 (see the
     * rule in kernel/proc/waitqueue.h), or a wake-up can be lost. */
    (void)sem;
    LAB_TODO_ONCE(4, 3, "sem_down()");
#endif
}

void sem_up(struct semaphore *sem)
{
    uint32_t s = spin_lock_irqsave(&sem->lock);
    sem->count++;
    waitqueue_wake_one(&sem->waiters);
    spin_unlock_irqrestore(&sem->lock, s);
}
#endif /* LAB >= 4 */
