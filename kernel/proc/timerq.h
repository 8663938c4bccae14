/*
 * timerq.h -- who wakes up on which tick.
 *
 * A list kept sorted by due tick, so the timer interrupt only ever looks
 * at the front: waking the threads due at a tick costs O(woken), and a
 * tick on which nobody is due costs one comparison. Inserting walks the
 * list (O(sleepers)); a teaching kernel has few sleepers at once.
 *
 * Tick numbers wrap around after 2^32 ticks (497 days at 100 Hz), so
 * "a is before b" is (int32_t)(a - b) < 0, never a < b: that stays right
 * across the wrap as long as no sleep is longer than 2^31 ticks.
 * Pure logic: the host tests check it against a model.
 */
#ifndef PROC_TIMERQ_H
#define PROC_TIMERQ_H

#if LAB >= 4
#include "list.h"
#include <stdbool.h>
#include <stdint.h>

struct timer_node {
    struct list_node link;
    uint32_t due;               /* the tick to wake on */
};

struct timerq {
    struct list_node head;      /* sorted by due; equal dues in insertion order */
};

void timerq_init(struct timerq *q);
/* Queue `node` (not queued) to be due at tick `due`. */
void timerq_insert(struct timerq *q, struct timer_node *node, uint32_t due);
/* Take `node` out of the queue if it is queued; true if it was. */
bool timerq_cancel(struct timerq *q, struct timer_node *node);
/* Remove and return the first node due at or before tick `now`, or NULL. */
struct timer_node *timerq_pop_due(struct timerq *q, uint32_t now);
/* True and *due set if anything is queued: the earliest due tick. */
bool timerq_next_due(const struct timerq *q, uint32_t *due);
bool timerq_queued(const struct timer_node *node);

/* "Tick a comes before tick b", correct across the wrap-around. */
static inline bool tick_before(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b) < 0;
}
#endif /* LAB >= 4 */

#endif
