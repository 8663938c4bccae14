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
/* Append `node` (not on any list) at the back. */
void runqueue_push(struct runqueue *rq, struct list_node *node);
/* Remove and return the front node, or NULL if the queue is empty. */
struct list_node *runqueue_pop(struct runqueue *rq);
/* Take `node`, which is on this queue, out of it wherever it stands. */
void runqueue_remove(struct runqueue *rq, struct list_node *node);
size_t runqueue_length(const struct runqueue *rq);
#endif /* LAB >= 4 */

#endif
