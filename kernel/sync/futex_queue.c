/* futex_queue.c -- futex waiters by key (see futex_queue.h). */
#if LAB >= 5
#include "sync/futex_queue.h"

void futex_queue_init(struct futex_queue *q)
{
    list_init(&q->waiters);
}

unsigned futex_hash(struct futex_key key, unsigned nbuckets)
{
    /* Fibonacci hashing: words 4 bytes apart (a lock next to its
     * condition variable) land in different buckets, and the space
     * spreads the same address of two processes. */
    /* SAFETY: pointer -> integer, only mixed into the hash. */
    uint32_t x = (uint32_t)(key.addr >> 2) ^ (uint32_t)((uintptr_t)key.space >> 4);
    if (nbuckets <= 1)
        return 0;
    /* The product's top bits are the well-mixed ones: keep log2(nbuckets). */
    return (unsigned)((x * 2654435769u) >> (32 - __builtin_ctz(nbuckets)));
}

bool futex_key_equal(struct futex_key a, struct futex_key b)
{
    return a.space == b.space && a.addr == b.addr;
}

void futex_queue_add(struct futex_queue *q, struct futex_waiter *w)
{
    w->woken = false;
    list_push_back(&q->waiters, &w->node);
}

bool futex_queue_remove(struct futex_waiter *w)
{
    if (!list_linked(&w->node))
        return false;
    list_remove(&w->node);
    return true;
}

int futex_queue_take(struct futex_queue *q, struct futex_key key, int max,
                     struct list_node *taken)
{
    int n = 0;
    struct list_node *pos, *tmp;
    list_for_each_safe(pos, tmp, &q->waiters) {
        if (n >= max)
            break;
        struct futex_waiter *w = list_entry(pos, struct futex_waiter, node);
        if (!futex_key_equal(w->key, key))
            continue;
        list_remove(&w->node);
        w->woken = true;
        list_push_back(taken, &w->node);
        n++;
    }
    return n;
}
#endif /* LAB >= 5 */
