/*
 * bitmap.h -- an array of bits in caller-provided uint32_t words.
 *
 * Bit i lives in words[i / 32] at position i % 32.  The caller owns the
 * storage (size it with BITMAP_WORDS), so a bitmap can sit in static
 * memory before any allocator exists -- e.g. the physical frame
 * allocator, one bit per 4 KiB frame, 1 = in use.
 *
 *     static uint32_t frame_words[BITMAP_WORDS(NFRAMES)];
 *     struct bitmap frames;
 *     bitmap_init(&frames, frame_words, NFRAMES);
 *     size_t first = bitmap_find_zero_run(&frames, 0, 16);
 *     if (first != BITMAP_NONE)
 *             bitmap_set_range(&frames, first, 16);
 *
 * Bit indices at or beyond nbits are a bug and trip an assert() in
 * set/clear/test; the searches simply never return them.
 */
#ifndef LIBK_BITMAP_H
#define LIBK_BITMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BITMAP_WORD_BITS 32
/* Words needed for nbits bits. */
#define BITMAP_WORDS(nbits) (((nbits) + BITMAP_WORD_BITS - 1) / BITMAP_WORD_BITS)
/* Returned by the searches when nothing is found. */
#define BITMAP_NONE ((size_t)-1)

struct bitmap {
    uint32_t *words; /* BITMAP_WORDS(nbits) words, caller's */
    size_t nbits;
};

/* Attaches the storage and clears all nbits bits. */
void bitmap_init(struct bitmap *bm, uint32_t *words, size_t nbits);

void bitmap_set(struct bitmap *bm, size_t bit);
void bitmap_clear(struct bitmap *bm, size_t bit);
bool bitmap_test(const struct bitmap *bm, size_t bit);

/* Bits [start, start + n), which must lie within the bitmap. */
void bitmap_set_range(struct bitmap *bm, size_t start, size_t n);
void bitmap_clear_range(struct bitmap *bm, size_t start, size_t n);

/* The lowest clear (set) bit at index >= start, or BITMAP_NONE. */
size_t bitmap_find_first_zero(const struct bitmap *bm, size_t start);
size_t bitmap_find_first_set(const struct bitmap *bm, size_t start);

/* The lowest index >= start that begins n (> 0) consecutive clear bits,
 * or BITMAP_NONE. */
size_t bitmap_find_zero_run(const struct bitmap *bm, size_t start, size_t n);

/* How many of the nbits bits are set. */
size_t bitmap_count_set(const struct bitmap *bm);

#endif /* LIBK_BITMAP_H */
