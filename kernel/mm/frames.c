/*
 * frames.c -- the physical frame allocator's bookkeeping.
 *
 * Two bitmaps over all frames: `managed` says which frames exist as usable
 * RAM and are not reserved, `used` which of those are handed out. Keeping
 * them apart lets frames_free() tell a double free (managed, not used)
 * from a wild free (not managed at all), which one bitmap could not.
 */
#if LAB >= 3
#include "mm/frames.h"
#include "lab.h"

void frames_init(struct frame_allocator *fa, uint32_t *managed_words, uint32_t *used_words,
                 size_t nframes)
{
    bitmap_init(&fa->managed, managed_words, nframes);
    bitmap_init(&fa->used, used_words, nframes);
    fa->nframes = nframes;
    fa->nfree = fa->nmanaged = 0;
    fa->hint = 0;
}

/* Clip [first, first+count) to the frames we have; false if empty. */
static bool clip(const struct frame_allocator *fa, size_t *first, size_t *count)
{
    if (*first >= fa->nframes || *count == 0)
        return false;
    if (*count > fa->nframes - *first)
        *count = fa->nframes - *first;
    return true;
}

void frames_add(struct frame_allocator *fa, size_t first, size_t count)
{
    if (!clip(fa, &first, &count))
        return;
    for (size_t f = first; f < first + count; f++) {
        if (!bitmap_test(&fa->managed, f)) {
            bitmap_set(&fa->managed, f);
            fa->nmanaged++;
            fa->nfree++;
        }
    }
}

void frames_reserve(struct frame_allocator *fa, size_t first, size_t count)
{
#if SOLVED >= 3
    if (!clip(fa, &first, &count))
        return;
    for (size_t f = first; f < first + count; f++) {
        if (bitmap_test(&fa->managed, f)) {
            bitmap_clear(&fa->managed, f);
            fa->nmanaged--;
            fa->nfree--;
        }
    }
#else
    /* LAB 3 exercise 1: take frames [first, first+count) out of `managed`
     * (clip() them to nframes first), keeping nmanaged and nfree right.
     * A frame may be reserved twice, or may never have been added. */
    (void)fa; (void)first; (void)count; (void)clip;
#endif
}

/* The first frame at or after `from` that is managed and not used, or
 * nframes if none: 32 frames at a time, one word of each bitmap. */
static size_t first_free_from(const struct frame_allocator *fa, size_t from)
{
    size_t nwords = BITMAP_WORDS(fa->nframes);
    for (size_t w = from / BITMAP_WORD_BITS; w < nwords; w++) {
        uint32_t avail = fa->managed.words[w] & ~fa->used.words[w];
        if (w == from / BITMAP_WORD_BITS)
            avail &= ~(uint32_t)0 << (from % BITMAP_WORD_BITS);     /* not the ones before `from` */
        if (avail != 0) {
            /* Bits past nframes are never managed (frames_add clips). */
            return w * BITMAP_WORD_BITS + (size_t)__builtin_ctz(avail);
        }
    }
    return fa->nframes;
}

/* One frame is the common case -- every first-touch fault, every page
 * table -- so it does not go through frames_alloc_run's frame-by-frame
 * search: the same order (from the hint on, then from the start), but
 * a word of each bitmap at a time. */
bool frames_alloc(struct frame_allocator *fa, size_t *frame)
{
    if (fa->nfree == 0)
        return false;
    size_t f = first_free_from(fa, fa->hint);
    if (f == fa->nframes)
        f = first_free_from(fa, 0);
    if (f == fa->nframes)
        return false;
    bitmap_set(&fa->used, f);
    fa->nfree--;
    fa->hint = f + 1;
    *frame = f;
    return true;
}

/* Is [first, first+n) managed and free? */
static bool run_is_free(const struct frame_allocator *fa, size_t first, size_t n)
{
    for (size_t f = first; f < first + n; f++)
        if (!bitmap_test(&fa->managed, f) || bitmap_test(&fa->used, f))
            return false;
    return true;
}

bool frames_alloc_run(struct frame_allocator *fa, size_t n, size_t align, size_t *first)
{
    if (n == 0 || align == 0 || (align & (align - 1)) != 0 || n > fa->nfree)
        return false;
    /* Two passes: from the hint to the end, then from the start, so that
     * allocation is quick in the common case and still finds everything. */
    for (int pass = 0; pass < 2; pass++) {
        size_t start = pass == 0 ? fa->hint : 0;
        size_t end = pass == 0 ? fa->nframes : fa->hint + n;
        for (size_t f = (start + align - 1) & ~(align - 1); f + n <= fa->nframes && f < end;
             f += align) {
            if (!run_is_free(fa, f, n))
                continue;
            bitmap_set_range(&fa->used, f, n);
            fa->nfree -= n;
            fa->hint = f + n;
            *first = f;
            return true;
        }
    }
    return false;
}

enum frame_error frames_free(struct frame_allocator *fa, size_t frame)
{
    if (frame >= fa->nframes || !bitmap_test(&fa->managed, frame))
        return FRAME_NOT_MANAGED;
    if (!bitmap_test(&fa->used, frame))
        return FRAME_NOT_USED;
    bitmap_clear(&fa->used, frame);
    fa->nfree++;
    if (frame < fa->hint)
        fa->hint = frame;
    return FRAME_OK;
}
#endif /* LAB >= 3 */
