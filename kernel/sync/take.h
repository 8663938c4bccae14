/*
 * take.h -- a take-once static (Hermit's TakeStatic): an object that
 * exactly one caller may take, once.
 *
 * For things there is one of and that one owner must have alone: the
 * boot CPU's stack for the first AP, a device's only handle, a buffer
 * handed to a subsystem at boot. Instead of a global anyone can touch,
 * the object sits behind a struct take_once:
 *
 *     static struct ring boot_ring;
 *     static struct take_once boot_ring_slot = TAKE_ONCE_INIT(&boot_ring, "boot ring");
 *     ...
 *     struct ring *r = TAKE_ONCE(&boot_ring_slot);   // the object, the first time
 *     struct ring *again = TAKE_ONCE(&boot_ring_slot); // NULL from then on
 *
 * Contract: the first take_once() (one atomic exchange, so two CPUs
 * racing cannot both win) returns the object; every later one returns
 * NULL. take_once_or_panic() panics instead of returning NULL, naming the
 * object: for code where a second taker is a bug.
 */
#ifndef SYNC_TAKE_H
#define SYNC_TAKE_H

#if LAB >= 5
#include <stdbool.h>

struct take_once {
    void *object;
    int taken;                  /* 0, then 1 forever (atomic) */
    const char *name;
};

#define TAKE_ONCE_INIT(ptr, what) { .object = (ptr), .taken = 0, .name = (what) }
#define TAKE_ONCE(t) take_once(t)

void *take_once(struct take_once *t);
void *take_once_or_panic(struct take_once *t);
bool take_once_taken(const struct take_once *t);
#endif /* LAB >= 5 */

#endif
