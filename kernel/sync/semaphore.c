/* semaphore.c -- P and V on a wait queue (see semaphore.h). */
#if LAB >= 4
#include "sync/semaphore.h"
#include "arch/i386/irq.h"
#include "lab.h"

void sem_init(struct semaphore *sem, int count, const char *name)
{
    sem->count = count;
    waitqueue_init(&sem->waiters, name);
}

void sem_down(struct semaphore *sem)
{
#if SOLVED >= 4
    /* Check and sleep with interrupts off, as one step: a sem_up() from
     * a thread that preempts us, or from an interrupt, cannot fall
     * between the test of count and the sleep. */
    uint32_t s = irq_save();
    while (sem->count == 0)
        waitqueue_sleep(&sem->waiters);
    sem->count--;
    irq_restore(s);
#else
    /* LAB 4 exercise 3: wait until count > 0, then take one. Test count
     * and go to sleep on sem->waiters with interrupts off the whole time
     * (see the rule in kernel/proc/waitqueue.h), or a wake-up can be lost. */
    (void)sem;
    LAB_TODO_ONCE(4, 3, "sem_down()");
#endif
}

void sem_up(struct semaphore *sem)
{
    uint32_t s = irq_save();
    sem->count++;
    waitqueue_wake_one(&sem->waiters);
    irq_restore(s);
}
#endif /* LAB >= 4 */
