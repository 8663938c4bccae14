/* futex.c -- wait on a user word, wake its waiters (see futex.h). */
#if LAB >= 5
#include "sync/futex.h"
#include "sync/futex_queue.h"
#include "sync/spinlock.h"
#include "proc/process.h"
#include "proc/syscall.h"
#include "proc/waitqueue.h"
#include "mm/usercopy.h"
#include "abi/errno.h"
#include "abi/futex.h"

#define FUTEX_BUCKETS 64        /* a power of two (futex_hash) */

/* One bucket: the waiters of every word that hashes here. */
struct futex_bucket {
    struct spinlock lock;
    struct futex_queue queue;   /* protected by lock */
};

static struct futex_bucket buckets[FUTEX_BUCKETS];
static struct spinlock buckets_init_lock = SPINLOCK_INIT("futex init");
static bool buckets_ready;      /* set once, under buckets_init_lock */

/* A sleeping waiter: its queue entry and a wait queue of its own. The
 * bucket's queue holds many words' waiters, and a wake-up must pick only
 * the word's, so each waiter sleeps on its private queue (both live on
 * its kernel stack: it leaves only after taking the bucket lock again,
 * and a waker touches them only while holding it). */
struct futex_sleeper {
    struct futex_waiter waiter;
    struct waitqueue wq;
};

/* The buckets are set up on first use (a list head cannot be a static
 * initializer of 64 elements at once), by whichever CPU gets there
 * first; the others wait on buckets_init_lock. */
static void buckets_init_once(void)
{
    /* ACQUIRE: pairs with the RELEASE below, so a CPU that sees the flag
     * also sees initialized buckets. */
    if (__atomic_load_n(&buckets_ready, __ATOMIC_ACQUIRE))
        return;
    uint32_t s = spin_lock_irqsave(&buckets_init_lock);
    if (!buckets_ready) {
        for (int i = 0; i < FUTEX_BUCKETS; i++) {
            spin_init(&buckets[i].lock, "futex bucket");
            futex_queue_init(&buckets[i].queue);
        }
        __atomic_store_n(&buckets_ready, true, __ATOMIC_RELEASE);
    }
    spin_unlock_irqrestore(&buckets_init_lock, s);
}

static struct futex_bucket *bucket_of(struct futex_key key)
{
    buckets_init_once();
    return &buckets[futex_hash(key, FUTEX_BUCKETS)];
}

/* The key of the caller's word, or -EINVAL / -EFAULT. */
static int futex_key_of(uintptr_t uaddr, struct futex_key *key)
{
    if (uaddr % sizeof(uint32_t) != 0)
        return -EINVAL;
    if (!user_range_ok(uaddr, sizeof(uint32_t)))
        return -EFAULT;
    struct process *p = proc_current();
    if (p == NULL)
        return -EINVAL;         /* a kernel thread has no user words */
    key->space = p->as;
    key->addr = uaddr;
    return 0;
}

int futex_wait(uintptr_t uaddr, uint32_t expected)
{
    struct futex_key key;
    int err = futex_key_of(uaddr, &key);
    uint32_t value;
    /* Touch the word before taking the lock: a first touch of a heap page
     * (or a bad pointer) is handled here, by the page-fault path, rather
     * than with the bucket lock held. */
    if (err == 0 && copyin_word(&value, uaddr) != 0)
        err = -EFAULT;
    if (err != 0)
        return err;
    struct futex_bucket *b = bucket_of(key);
    struct futex_sleeper me;
    me.waiter.key = key;
    list_init(&me.waiter.node);
    waitqueue_init(&me.wq, "futex");
    uint32_t s = spin_lock_irqsave(&b->lock);
    /* The comparison that makes the futex: under the bucket lock, so no
     * futex_wake() of this word runs between it and the queueing. */
    if (copyin_word(&value, uaddr) != 0)
        err = -EFAULT;          /* unmapped meanwhile by another thread */
    else if (value != expected)
        err = -EAGAIN;
    else {
        futex_queue_add(&b->queue, &me.waiter);
        while (!me.waiter.woken && !proc_killed())
            waitqueue_sleep_on_killable(&me.wq, &b->lock);
        if (!me.waiter.woken) {
            futex_queue_remove(&me.waiter);
            err = -EINTR;
        }
    }
    spin_unlock_irqrestore(&b->lock, s);
    return err;
}

int futex_wake(uintptr_t uaddr, int n)
{
    struct futex_key key;
    int err = futex_key_of(uaddr, &key);
    if (err != 0)
        return err;
    if (n < 0)
        return -EINVAL;
    struct futex_bucket *b = bucket_of(key);
    struct list_node taken;
    list_init(&taken);
    uint32_t s = spin_lock_irqsave(&b->lock);
    int woken = futex_queue_take(&b->queue, key, n, &taken);
    struct list_node *node;
    while ((node = list_pop_front(&taken)) != NULL) {
        struct futex_waiter *w = list_entry(node, struct futex_waiter, node);
        waitqueue_wake_one(&container_of(w, struct futex_sleeper, waiter)->wq);
    }
    spin_unlock_irqrestore(&b->lock, s);
    return woken;
}

int32_t sys_futex(uint32_t uaddr, uint32_t op, uint32_t val, uint32_t a4, uint32_t a5)
{
    (void)a4; (void)a5;
    switch (op) {
    case FUTEX_WAIT:
        return futex_wait(uaddr, val);
    case FUTEX_WAKE:
        return futex_wake(uaddr, (int)val);
    default:
        return -ENOSYS;
    }
}
#endif /* LAB >= 5 */
