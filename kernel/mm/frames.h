/* frames.h -- bookkeeping of physical page frames (pure logic, host-tested). */
#ifndef FRAMES_H
#define FRAMES_H

#if LAB >= 3
#include "bitmap.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Which frames may be handed out (`managed`: usable RAM minus everything
 * reserved) and which of those are handed out now (`used`). Frames are
 * numbered 0..nframes-1 (frame n = physical address n * 4096); the caller
 * owns both bitmaps' storage. No hardware here: pmm.c feeds it the memory
 * map, the host tests feed it anything.
 */
struct frame_allocator {
    struct bitmap managed;
    struct bitmap used;
    size_t nframes;
    size_t nfree;           /* managed and not used */
    size_t nmanaged;
    size_t hint;            /* where the next search starts */
};

enum frame_error { FRAME_OK = 0, FRAME_NOT_MANAGED = -1, FRAME_NOT_USED = -2 };

/* Start with nothing managed. Each bitmap needs BITMAP_WORDS(nframes) words. */
void frames_init(struct frame_allocator *fa, uint32_t *managed_words, uint32_t *used_words,
                 size_t nframes);
/* Frames [first, first+count) are usable RAM (clipped to nframes). */
void frames_add(struct frame_allocator *fa, size_t first, size_t count);
/* Frames [first, first+count) must never be handed out (clipped; may
 * overlap what was added or reserved before). Call before any alloc. */
void frames_reserve(struct frame_allocator *fa, size_t first, size_t count);

/* One free frame: true and *frame set, or false when none is left. */
bool frames_alloc(struct frame_allocator *fa, size_t *frame);
/* n contiguous free frames, the first a multiple of `align` frames (a
 * power of two, >= 1): DMA buffers need runs. */
bool frames_alloc_run(struct frame_allocator *fa, size_t n, size_t align, size_t *first);
/* Give a frame back. FRAME_NOT_MANAGED: never could have been handed out
 * (reserved, or not RAM); FRAME_NOT_USED: already free (a double free). */
enum frame_error frames_free(struct frame_allocator *fa, size_t frame);

static inline size_t frames_free_count(const struct frame_allocator *fa) { return fa->nfree; }
static inline size_t frames_used_count(const struct frame_allocator *fa)
{
    return fa->nmanaged - fa->nfree;
}
#endif /* LAB >= 3 */

#endif
