/*
 * bitmap.c -- bit arrays; see include/bitmap.h.
 *
 * The searches look at a whole word at a time: a word that is all ones
 * has no zero to find, so a mostly-full frame bitmap is skipped 32
 * frames per step.
 */
#include "bitmap.h"

#include "assert.h"

static size_t word_index(size_t bit)
{
    return bit / BITMAP_WORD_BITS;
}

static uint32_t bit_mask(size_t bit)
{
    return (uint32_t)1 << (bit % BITMAP_WORD_BITS);
}

void bitmap_init(struct bitmap *bm, uint32_t *words, size_t nbits)
{
    bm->words = words;
    bm->nbits = nbits;
    for (size_t i = 0; i < BITMAP_WORDS(nbits); i++)
        words[i] = 0;
}

void bitmap_set(struct bitmap *bm, size_t bit)
{
    assert(bit < bm->nbits);
    bm->words[word_index(bit)] |= bit_mask(bit);
}

void bitmap_clear(struct bitmap *bm, size_t bit)
{
    assert(bit < bm->nbits);
    bm->words[word_index(bit)] &= ~bit_mask(bit);
}

bool bitmap_test(const struct bitmap *bm, size_t bit)
{
    assert(bit < bm->nbits);
    return (bm->words[word_index(bit)] & bit_mask(bit)) != 0;
}

/* Bit by bit; simple, and ranges are short next to the work done
 * with what they describe (e.g. zeroing the frames). */
void bitmap_set_range(struct bitmap *bm, size_t start, size_t n)
{
    assert(start <= bm->nbits && n <= bm->nbits - start);
    for (size_t i = start; i < start + n; i++)
        bitmap_set(bm, i);
}

void bitmap_clear_range(struct bitmap *bm, size_t start, size_t n)
{
    assert(start <= bm->nbits && n <= bm->nbits - start);
    for (size_t i = start; i < start + n; i++)
        bitmap_clear(bm, i);
}

/*
 * The lowest bit >= start that is set in (word ^ flip), i.e. the first
 * set bit for flip == 0 and the first clear bit for flip == ~0.
 */
static size_t find_bit(const struct bitmap *bm, size_t start, uint32_t flip)
{
    if (start >= bm->nbits)
        return BITMAP_NONE;

    size_t w = word_index(start);
    /* Ignore the bits below start in its word. */
    uint32_t word = (bm->words[w] ^ flip) & ~(bit_mask(start) - 1);

    for (;;) {
        if (word != 0) {
            size_t bit = w * BITMAP_WORD_BITS + (size_t)__builtin_ctz(word);

            /* The last word's bits past nbits are not ours. */
            return bit < bm->nbits ? bit : BITMAP_NONE;
        }
        if (++w >= BITMAP_WORDS(bm->nbits))
            return BITMAP_NONE;
        word = bm->words[w] ^ flip;
    }
}

size_t bitmap_find_first_zero(const struct bitmap *bm, size_t start)
{
    return find_bit(bm, start, ~(uint32_t)0);
}

size_t bitmap_find_first_set(const struct bitmap *bm, size_t start)
{
    return find_bit(bm, start, 0);
}

/*
 * Jump from one run of zeros to the next: each run starts at a zero and
 * ends at the next set bit (or at nbits).  The first long enough wins.
 */
size_t bitmap_find_zero_run(const struct bitmap *bm, size_t start, size_t n)
{
    assert(n > 0);
    for (;;) {
        size_t run_start = bitmap_find_first_zero(bm, start);

        if (run_start == BITMAP_NONE)
            return BITMAP_NONE;

        size_t run_end = bitmap_find_first_set(bm, run_start);

        if (run_end == BITMAP_NONE)
            run_end = bm->nbits;
        if (run_end - run_start >= n)
            return run_start;
        start = run_end;
    }
}

/* Counts the ones in a word by adding neighbouring bit counts in ever
 * wider fields.  (__builtin_popcount would call libgcc on i686, which
 * has no popcnt instruction.) */
static unsigned popcount32(uint32_t x)
{
    x = x - ((x >> 1) & 0x55555555);                /* 2-bit sums */
    x = (x & 0x33333333) + ((x >> 2) & 0x33333333); /* 4-bit */
    x = (x + (x >> 4)) & 0x0f0f0f0f;                /* 8-bit */
    return (x * 0x01010101) >> 24;                  /* total */
}

size_t bitmap_count_set(const struct bitmap *bm)
{
    size_t full_words = bm->nbits / BITMAP_WORD_BITS;
    size_t tail_bits = bm->nbits % BITMAP_WORD_BITS;
    size_t count = 0;

    for (size_t i = 0; i < full_words; i++)
        count += popcount32(bm->words[i]);
    /* Only the low tail_bits of the last, partial word belong to us. */
    if (tail_bits != 0)
        count += popcount32(bm->words[full_words] & (((uint32_t)1 << tail_bits) - 1));
    return count;
}
