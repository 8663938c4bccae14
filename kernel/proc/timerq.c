/* timerq.c -- the sleepers' queue, sorted by due tick (see timerq.h). */
#if LAB >= 4
#include "proc/timerq.h"

void timerq_init(struct timerq *q)
{
    list_init(&q->head);
}

void timerq_insert(struct timerq *q, struct timer_node *node, uint32_t due)
{
    node->due = due;
    /* Walk past every node due at or before `due`: equal dues keep the
     * order in which they were queued, so sleepers wake first-come. */
    struct list_node *pos = q->head.next;
    while (pos != &q->head && !tick_before(due, list_entry(pos, struct timer_node, link)->due))
        pos = pos->next;
    list_insert_before(pos, &node->link);
}

bool timerq_cancel(struct timerq *q, struct timer_node *node)
{
    (void)q;
    if (!list_linked(&node->link))
        return false;
    list_remove(&node->link);
    return true;
}

struct timer_node *timerq_pop_due(struct timerq *q, uint32_t now)
{
    struct list_node *first = list_front(&q->head);
    if (first == NULL)
        return NULL;
    struct timer_node *node = list_entry(first, struct timer_node, link);
    if (tick_before(now, node->due))
        return NULL;            /* not yet: and nothing behind it is earlier */
    list_remove(first);
    return node;
}

bool timerq_next_due(const struct timerq *q, uint32_t *due)
{
    struct list_node *first = list_front(&q->head);
    if (first == NULL)
        return false;
    *due = list_entry(first, struct timer_node, link)->due;
    return true;
}

bool timerq_queued(const struct timer_node *node)
{
    return list_linked(&node->link);
}
#endif /* LAB >= 4 */
