/*
 * kasan_layout.h -- how KASAN lays out a kmalloc block (pure: host-tested).
 *
 *   p - 16     p                p + size   meta_offset          total
 *   | header  | payload         | redzone  | struct kasan_meta  |
 *     (heap's)  addressable       (>= 16 B, poisoned, like the meta)
 *
 * kmalloc(size) asks the heap for `total` bytes. The heap's own header
 * (at least 16 bytes, heap.c) sits right before p: its last 16 bytes are
 * the left redzone. The metadata -- the allocation's and the free's call
 * sites, the quarantine link -- sits after a redzone of at least 16
 * bytes, so a small overrun is reported before it can reach the
 * metadata (Linux's generic KASAN keeps its alloc/free "tracks" in the
 * object's redzone the same way).
 */
#ifndef SANITIZERS_KASAN_LAYOUT_H
#define SANITIZERS_KASAN_LAYOUT_H

#include <stddef.h>
#include <stdint.h>
#include "sanitizers/kasan_quarantine.h"

#define KASAN_LEFT_REDZONE   16
#define KASAN_RIGHT_REDZONE  16     /* at least, between payload and meta */
#define KASAN_STACK_DEPTH    6      /* call sites kept per allocation/free */

#define KASAN_META_LIVE   0x4B41534Cu   /* "KASL": allocated */
#define KASAN_META_FREED  0x4B415346u   /* "KASF": freed, in quarantine */

struct kasan_meta {
    uint32_t magic;
    uint32_t size;                          /* bytes the caller asked for */
    uintptr_t alloc_stack[KASAN_STACK_DEPTH];   /* return addresses, 0-ended */
    uintptr_t free_stack[KASAN_STACK_DEPTH];
    struct kasan_qnode qnode;               /* while in quarantine */
};

/* Where the metadata starts, from the payload's start. */
size_t kasan_layout_meta_offset(size_t size);
/* What to ask the heap for; 0 if size is too large to add to. */
size_t kasan_layout_total(size_t size);
/* Back from the heap's record of the total to the metadata's offset. */
size_t kasan_layout_meta_offset_from_total(size_t total);

#endif
