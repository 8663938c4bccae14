/*
 * futex_queue.h -- who waits on which futex word: the pure part of futex.c.
 *
 * A futex is identified by a key: the address space the word lives in and
 * its user address. (Not the physical frame: fork shares frames
 * copy-on-write, and a waker's first store would then move the word to a
 * new frame and lose every waiter keyed by the old one. Tidepool has no
 * shared memory between processes, so (space, address) names each word
 * exactly: the threads of a process share its address space.)
 *
 * Waiters are hashed by key into buckets; a bucket's queue holds the
 * waiters of every key that hashes there, oldest first, and a wake-up
 * takes the oldest waiters of one key. Each waiter is a struct on its
 * sleeping thread's kernel stack. No locking here: futex.c holds the
 * bucket's spinlock around every call. Pure logic: host-tested.
 */
#ifndef SYNC_FUTEX_QUEUE_H
#define SYNC_FUTEX_QUEUE_H

#if LAB >= 5
#include "list.h"
#include <stdbool.h>
#include <stdint.h>

struct futex_key {
    const void *space;          /* the address space (struct addr_space *) */
    uintptr_t addr;             /* the word's user address (4-aligned) */
};

struct futex_waiter {
    struct futex_key key;
    struct list_node node;      /* on its bucket's queue while it waits */
    bool woken;                 /* set by the wake-up that took it off */
};

struct futex_queue {
    struct list_node waiters;   /* struct futex_waiter.node, oldest first */
};

void futex_queue_init(struct futex_queue *q);
/* Which of `nbuckets` buckets (a power of two) holds key's waiters. */
unsigned futex_hash(struct futex_key key, unsigned nbuckets);
bool futex_key_equal(struct futex_key a, struct futex_key b);
/* Queue w (key set, not queued) at the back, not woken. */
void futex_queue_add(struct futex_queue *q, struct futex_waiter *w);
/* Take w off its queue if it is still on it (a waiter that gives up:
 * its process is being killed). True if it was queued. */
bool futex_queue_remove(struct futex_waiter *w);
/* Take up to `max` waiters of `key`, oldest first, off q: each is marked
 * woken and moved to the back of `taken` (a list head). Returns how many. */
int futex_queue_take(struct futex_queue *q, struct futex_key key, int max,
                     struct list_node *taken);
#endif /* LAB >= 5 */

#endif
