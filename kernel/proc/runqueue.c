/* runqueue.c -- the round-robin run queue (see runqueue.h). */
#if LAB >= 4
#include "proc/runqueue.h"

void runqueue_init(struct runqueue *rq)
{
    list_init(&rq->head);
    rq->length = 0;
}

void runqueue_remove(struct runqueue *rq, struct list_node *node)
{
    list_remove(node);
    rq->length--;
}

size_t runqueue_length(const struct runqueue *rq)
{
    return rq->length;
}
#endif /* LAB >= 4 */
