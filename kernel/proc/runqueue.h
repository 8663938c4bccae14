/*
 * runqueue.h -- the threads that are ready to run, in the order they run.
 *
 * Round robin is a FIFO: a thread that becomes runnable (created, woken,
 * or preempted at the end of its time slice) goes to the back, and the
 * scheduler takes the front. Pure logic on libk's intrusive lists, so the
 * host tests can check it against a model (kernel/tests/host/).
 */
#ifndef PROC_RUNQUEUE_H
#define PROC_RUNQUEUE_H

#if LAB >= 4
#include "list.h"
#include <stddef.h>

struct runqueue {
    struct list_node head;
    size_t length;
};

void runqueue_init(struct runqueue *rq);

/* Push and pop are inline: every yield and every switch runs them
 * (docs/bench.md counts its instructions). */

/* Append `node` (not on any list) at the back. */
static inline void runqueue_push(struct runqueue *rq, struct list_node *node)
{
    list_push_back(&rq->head, node);
    rq->length++;
}

/* Remove and return the front node, or NULL if the queue is empty. */
static inline struct list_node *runqueue_pop(struct runqueue *rq)
{
    struct list_node *node = list_pop_front(&rq->head);
    if (node != NULL)
        rq->length--;
    return node;
}

/* Take `node`, which is on this queue, out of it wherever it stands. */
void runqueue_remove(struct runqueue *rq, struct list_node *node);
size_t runqueue_length(const struct runqueue *rq);
#endif /* LAB >= 4 */

#endif
