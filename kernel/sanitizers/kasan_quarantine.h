/*
 * kasan_quarantine.h -- freed blocks wait here before the heap gets them
 * back (pure: host-tested).
 *
 * A block freed at once could be handed out again by the next kmalloc,
 * and a use after free would then touch a live block with addressable
 * shadow: nothing to see. Linux's generic KASAN holds freed objects in a
 * FIFO quarantine (mm/kasan/quarantine.c) until a byte budget is
 * exceeded; the oldest leave first. Ours is one FIFO, the nodes living
 * inside the freed blocks themselves (their metadata, kasan_layout.h).
 */
#ifndef SANITIZERS_KASAN_QUARANTINE_H
#define SANITIZERS_KASAN_QUARANTINE_H

#include <stddef.h>

struct kasan_qnode {
    struct kasan_qnode *next;
    size_t bytes;               /* what the block costs the heap */
};

struct kasan_quarantine {
    struct kasan_qnode *head, *tail;    /* oldest first */
    size_t bytes, count;
    size_t budget;              /* bytes held before the oldest must go */
};

void kasan_quarantine_init(struct kasan_quarantine *q, size_t budget);
/* Add a freed block (newest). */
void kasan_quarantine_put(struct kasan_quarantine *q, struct kasan_qnode *n, size_t bytes);
/* The oldest block if the quarantine holds more than its budget (the
 * caller frees it for real and asks again), else NULL. */
struct kasan_qnode *kasan_quarantine_evict(struct kasan_quarantine *q);

#endif
