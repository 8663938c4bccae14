/*
 * bbuf.h -- a bounded buffer: a ring of BBUF_SLOTS items that producers
 * put into and consumers take from, on any number of CPUs.
 *
 * Contract:
 *   - bbuf_put() waits (sleeping) while the buffer is full, bbuf_get()
 *     while it is empty; neither ever spins or drops an item.
 *   - Every item put is got exactly once; items come out in the order
 *     they went in (one ring, one lock).
 *   - Both may sleep: never call them holding a spinlock or from an
 *     interrupt handler (the kernel reports it, kernel/sync/check.h).
 *
 * It is the textbook monitor: one mutex protects the ring, and two
 * condition variables say "there is room" and "there is an item".
 */
#ifndef SYNC_BBUF_H
#define SYNC_BBUF_H

#if LAB >= 5
#include "sync/condvar.h"
#include "sync/mutex.h"

#define BBUF_SLOTS 8

struct bbuf {
    struct mutex lock;
    struct condvar not_full;        /* signalled when a slot frees up */
    struct condvar not_empty;       /* signalled when an item arrives */
    int slot[BBUF_SLOTS];           /* protected by lock */
    unsigned head;                  /* next slot to take; protected by lock */
    unsigned tail;                  /* next slot to fill; protected by lock */
    unsigned count;                 /* items in the ring; protected by lock */
};

void bbuf_init(struct bbuf *b, const char *name);
/* Put item in, waiting while the buffer is full. */
void bbuf_put(struct bbuf *b, int item);
/* Take the oldest item out, waiting while the buffer is empty. */
int bbuf_get(struct bbuf *b);
#endif /* LAB >= 5 */

#endif
