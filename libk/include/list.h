/*
 * list.h -- intrusive, circular, doubly-linked lists (as in Linux).
 *
 * "Intrusive": the list does not allocate.  Each object that can be on
 * a list embeds a struct list_node, and the list links those nodes:
 *
 *     struct thread {
 *             int tid;
 *             struct list_node run_node;   // links it into a run queue
 *     };
 *     struct list_node run_queue = LIST_INIT(run_queue);
 *
 *     list_push_back(&run_queue, &t->run_node);
 *     struct list_node *n = list_pop_front(&run_queue);
 *     struct thread *next = list_entry(n, struct thread, run_node);
 *
 * "Circular": the list is a head node (not part of any object) whose
 * next is the first element and whose prev is the last; an empty list's
 * head points to itself.  So insertion and removal never test for NULL.
 *
 * Argument order is always (list, node).  A node can be on one list per
 * embedded struct list_node.  list_remove() leaves the node pointing to
 * itself, so list_linked() tells whether a node is on a list -- provided
 * nodes are list_init()ed before their first use.
 */
#ifndef LIBK_LIST_H
#define LIBK_LIST_H

#include <stdbool.h>
#include <stddef.h>

#include "compiler.h"

struct list_node {
    struct list_node *prev;
    struct list_node *next;
};

/* Static initializer:  struct list_node q = LIST_INIT(q); */
#define LIST_INIT(name)                                                                            \
    {                                                                                              \
        &(name), &(name)                                                                           \
    }

/* Makes head an empty list (or node an unlinked node). */
static inline void list_init(struct list_node *head)
{
    head->prev = head;
    head->next = head;
}

static inline bool list_empty(const struct list_node *head)
{
    return head->next == head;
}

/* True if node is on some list (see the note at the top). */
static inline bool list_linked(const struct list_node *node)
{
    return node->next != node;
}

/* Links node in between two neighbours prev and next. */
static inline void list_insert_between(struct list_node *node, struct list_node *prev,
                                       struct list_node *next)
{
    node->prev = prev;
    node->next = next;
    prev->next = node;
    next->prev = node;
}

/* Inserts node right after pos (pos may be the head). */
static inline void list_insert_after(struct list_node *pos, struct list_node *node)
{
    list_insert_between(node, pos, pos->next);
}

/* Inserts node right before pos (before the head = at the back). */
static inline void list_insert_before(struct list_node *pos, struct list_node *node)
{
    list_insert_between(node, pos->prev, pos);
}

static inline void list_push_front(struct list_node *head, struct list_node *node)
{
    list_insert_after(head, node);
}

static inline void list_push_back(struct list_node *head, struct list_node *node)
{
    list_insert_before(head, node);
}

/* Unlinks node from whatever list it is on; node then points to itself. */
static inline void list_remove(struct list_node *node)
{
    node->prev->next = node->next;
    node->next->prev = node->prev;
    list_init(node);
}

/* The first / last node, or NULL if the list is empty. */
static inline struct list_node *list_front(const struct list_node *head)
{
    return list_empty(head) ? NULL : head->next;
}

static inline struct list_node *list_back(const struct list_node *head)
{
    return list_empty(head) ? NULL : head->prev;
}

/* Removes and returns the first / last node, or NULL if empty. */
static inline struct list_node *list_pop_front(struct list_node *head)
{
    struct list_node *node = list_front(head);

    if (node != NULL)
        list_remove(node);
    return node;
}

static inline struct list_node *list_pop_back(struct list_node *head)
{
    struct list_node *node = list_back(head);

    if (node != NULL)
        list_remove(node);
    return node;
}

/* Counts the nodes: O(n), for tests and assertions. */
static inline size_t list_length(const struct list_node *head)
{
    size_t n = 0;

    for (const struct list_node *p = head->next; p != head; p = p->next)
        n++;
    return n;
}

/* The object that embeds node as its field `member`. */
#define list_entry(node, type, member) container_of(node, type, member)

/* Visits each node; the loop body must not remove pos. */
#define list_for_each(pos, head) for ((pos) = (head)->next; (pos) != (head); (pos) = (pos)->next)

/* Visits each node; the body may remove pos (next is saved in tmp). */
#define list_for_each_safe(pos, tmp, head)                                                         \
    for ((pos) = (head)->next, (tmp) = (pos)->next; (pos) != (head);                               \
         (pos) = (tmp), (tmp) = (pos)->next)

/*
 * Visits each object: pos is a pointer to the object type, member the
 * name of its struct list_node field.  The body must not remove pos.
 *
 * The loop walks the nodes and turns only real ones into objects: the
 * head is no object's member, so list_entry(head) would point at a
 * "struct" that does not exist (inside the list's owner, misaligned for
 * the type), and testing &pos->member on it is a member access through
 * that non-object, undefined behaviour that make UBSAN=1 reports.
 */
#define list_for_each_entry(pos, head, member)                                                     \
    for (struct list_node *list_cursor_ = (head)->next;                                            \
         list_cursor_ != (head) && ((pos) = list_entry(list_cursor_, __typeof__(*(pos)), member), 1); \
         list_cursor_ = list_cursor_->next)

#endif /* LIBK_LIST_H */
