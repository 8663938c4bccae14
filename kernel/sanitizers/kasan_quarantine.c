/* kasan_quarantine.c -- the FIFO of freed blocks (kasan_quarantine.h). */
#include "sanitizers/kasan_quarantine.h"

void kasan_quarantine_init(struct kasan_quarantine *q, size_t budget)
{
    q->head = q->tail = NULL;
    q->bytes = q->count = 0;
    q->budget = budget;
}

void kasan_quarantine_put(struct kasan_quarantine *q, struct kasan_qnode *n, size_t bytes)
{
    n->next = NULL;
    n->bytes = bytes;
    if (q->tail != NULL)
        q->tail->next = n;
    else
        q->head = n;
    q->tail = n;
    q->bytes += bytes;
    q->count++;
}

struct kasan_qnode *kasan_quarantine_evict(struct kasan_quarantine *q)
{
    if (q->bytes <= q->budget || q->head == NULL)
        return NULL;
    struct kasan_qnode *n = q->head;
    q->head = n->next;
    if (q->head == NULL)
        q->tail = NULL;
    q->bytes -= n->bytes;
    q->count--;
    n->next = NULL;
    return n;
}
