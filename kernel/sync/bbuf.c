/* bbuf.c -- the bounded buffer (see bbuf.h): a mutex and two condvars. */
#if LAB >= 5
#include "sync/bbuf.h"
#include "lab.h"

void bbuf_init(struct bbuf *b, const char *name)
{
    mutex_init(&b->lock, name);
    cond_init(&b->not_full, "bbuf not full");
    cond_init(&b->not_empty, "bbuf not empty");
    b->head = b->tail = b->count = 0;
}

void bbuf_put(struct bbuf *b, int item)
{
#if SOLVED >= 5
    mutex_lock(&b->lock);
    /* A loop, not an if: another producer may fill the slot we were
     * woken for before we get the mutex back. */
    while (b->count == BBUF_SLOTS)
        cond_wait(&b->not_full, &b->lock);
    b->slot[b->tail] = item;
    b->tail = (b->tail + 1) % BBUF_SLOTS;
    b->count++;
    cond_signal(&b->not_empty);
    mutex_unlock(&b->lock);
#else
    /* LAB 5 exercise 4: under b->lock, wait on b->not_full while all
     * BBUF_SLOTS slots are taken (cond_wait, in a while loop), store the
     * item at tail, advance tail and count, signal b->not_empty. */
    (void)b;
    (void)item;
    LAB_TODO_ONCE(5, 4, "bbuf_put()");
#endif
}

int bbuf_get(struct bbuf *b)
{
#if SOLVED >= 5
    mutex_lock(&b->lock);
    while (b->count == 0)
        cond_wait(&b->not_empty, &b->lock);
    int item = b->slot[b->head];
    b->head = (b->head + 1) % BBUF_SLOTS;
    b->count--;
    cond_signal(&b->not_full);
    mutex_unlock(&b->lock);
    return item;
#else
    /* LAB 5 exercise 4: the mirror image of bbuf_put(): wait on
     * b->not_empty while there is nothing, take the item at head, signal
     * b->not_full. */
    (void)b;
    LAB_TODO_ONCE(5, 4, "bbuf_get()");
    return -1;
#endif
}
#endif /* LAB >= 5 */
