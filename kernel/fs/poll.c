/* poll.c -- the kernel-wide readiness generation and poll() (poll.h). */
#if LAB >= 6
#include "fs/poll.h"
#include "fs/file.h"
#include "proc/process.h"
#include "proc/sched.h"
#include "proc/thread.h"
#include "proc/waitqueue.h"
#include "mm/usercopy.h"
#include "arch/i386/pit.h"
#include "sync/once.h"
#include "sync/spinlock.h"
#include "console.h"
#include "abi/errno.h"
#include "abi/poll.h"

/* A leaf lock (only sched_lock, inside the wait queue, comes after): it
 * is taken from interrupt handlers (console input) and under net_lock
 * and pipe locks. */
static struct spinlock poll_lock = SPINLOCK_INIT("poll");
static struct waitqueue poll_wq = WAITQUEUE_INIT(poll_wq, "poll");
static uint32_t generation;         /* protected by poll_lock; read atomically */
static uint32_t timed_waiters;      /* protected by poll_lock */

#define POLL_TICK_TICKS 5           /* 50 ms at 100 Hz: a timeout's granularity */

uint32_t poll_generation(void)
{
    return __atomic_load_n(&generation, __ATOMIC_ACQUIRE);
}

void poll_notify(void)
{
    uint32_t s = spin_lock_irqsave(&poll_lock);
    __atomic_store_n(&generation, generation + 1, __ATOMIC_RELEASE);
    waitqueue_wake_all(&poll_wq);
    spin_unlock_irqrestore(&poll_lock, s);
}

bool poll_deadline_passed(uint32_t deadline)
{
    return deadline != POLL_NO_DEADLINE && (int32_t)(pit_ticks - deadline) >= 0;
}

uint32_t poll_deadline_ms(uint32_t ms)
{
    uint32_t ticks = (uint32_t)(((uint64_t)ms * pit_hz + 999) / 1000);
    uint32_t d = pit_ticks + (ticks ? ticks : 1);
    return d == POLL_NO_DEADLINE ? d + 1 : d;
}

static int poll_ticker(void *arg);

static void start_ticker(void *arg)
{
    (void)arg;
    if (thread_create(poll_ticker, NULL, "pollticker") == NULL)
        kprintf("poll: no memory for the ticker thread: timeouts will not expire\n");
}

/* The ticker starts with the first wait that has a deadline: a kernel
 * that never waits with a timeout has no thread for it (and GDB's
 * `tasks` shows the same threads it did before lab 6). */
static struct once ticker_once = ONCE_INIT(ticker_once);

int poll_wait(uint32_t gen, uint32_t deadline)
{
    if (deadline != POLL_NO_DEADLINE)
        once_call(&ticker_once, start_ticker, NULL);
    uint32_t s = spin_lock_irqsave(&poll_lock);
    int err = 0;
    if (deadline != POLL_NO_DEADLINE)
        timed_waiters++;
    while (generation == gen) {
        if (proc_killed()) {
            err = -EINTR;
            break;
        }
        if (poll_deadline_passed(deadline)) {
            err = -ETIMEDOUT;
            break;
        }
        waitqueue_sleep_on_killable(&poll_wq, &poll_lock);
    }
    if (deadline != POLL_NO_DEADLINE)
        timed_waiters--;
    spin_unlock_irqrestore(&poll_lock, s);
    return err;
}

/* Wakes the timed waiters now and then so that they notice a deadline:
 * the wait queues have no timeouts of their own. Waking them all costs
 * a few context switches every POLL_TICK_TICKS, only while someone waits
 * with a timeout. */
static int poll_ticker(void *arg)
{
    (void)arg;
    for (;;) {
        thread_sleep(POLL_TICK_TICKS);
        uint32_t s = spin_lock_irqsave(&poll_lock);
        if (timed_waiters > 0)
            waitqueue_wake_all(&poll_wq);
        spin_unlock_irqrestore(&poll_lock, s);
    }
    return 0;
}


/* ---- poll(2) */

/* One descriptor's revents, never blocking. */
static short poll_one(struct process *p, const struct pollfd *pf)
{
    if (pf->fd < 0)
        return 0;               /* POSIX: ignored */
    struct file *f = file_acquire(p, pf->fd);
    if (f == NULL)
        return POLLNVAL;
    unsigned ready = f->ops->poll != NULL ? f->ops->poll(f) : POLLIN | POLLOUT;
    file_put(f);
    return (short)(ready & ((unsigned)pf->events | POLLERR | POLLHUP | POLLNVAL));
}

/* Fill every revents; how many are nonzero. */
static int poll_scan(struct process *p, struct pollfd *fds, uint32_t n)
{
    int ready = 0;
    for (uint32_t i = 0; i < n; i++) {
        fds[i].revents = poll_one(p, &fds[i]);
        if (fds[i].revents != 0)
            ready++;
    }
    return ready;
}

int32_t sys_poll(uint32_t ufds, uint32_t nfds, uint32_t timeout_ms, uint32_t a4, uint32_t a5)
{
    (void)a4; (void)a5;
    struct pollfd fds[POLL_MAX_FDS];
    if (nfds > POLL_MAX_FDS)
        return -EINVAL;
    if (nfds > 0 && copyin(fds, ufds, nfds * sizeof fds[0]) != 0)
        return -EFAULT;
    int32_t timeout = (int32_t)timeout_ms;
    uint32_t deadline = timeout > 0 ? poll_deadline_ms((uint32_t)timeout) : POLL_NO_DEADLINE;
    struct process *p = proc_current();
    int ready;
    for (;;) {
        uint32_t gen = poll_generation();
        ready = poll_scan(p, fds, nfds);
        if (ready > 0 || timeout == 0)
            break;
        int err = poll_wait(gen, deadline);
        if (err == -ETIMEDOUT) {
            ready = 0;
            break;
        }
        if (err != 0)
            return err;
    }
    if (nfds > 0 && copyout(ufds, fds, nfds * sizeof fds[0]) != 0)
        return -EFAULT;
    return ready;
}
#endif /* LAB >= 6 */
