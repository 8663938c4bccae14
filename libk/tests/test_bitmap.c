/*
 * test_bitmap.c -- bitmap.h: single bits, searches across word
 * boundaries and at the end, runs, counting; and a random sequence of
 * operations checked against a plain bool array.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "prng.h"
#include "libk_test.h"

#define NBITS 100 /* not a multiple of 32: the last word is partial */

static uint32_t words[BITMAP_WORDS(NBITS)];
static struct bitmap bm;

static void setup(void)
{
    bitmap_init(&bm, words, NBITS);
}

TestSuite(bitmap, .init = setup);

Test(bitmap, words_macro)
{
    cr_assert_eq(BITMAP_WORDS(0), 0);
    cr_assert_eq(BITMAP_WORDS(1), 1);
    cr_assert_eq(BITMAP_WORDS(32), 1);
    cr_assert_eq(BITMAP_WORDS(33), 2);
    cr_assert_eq(BITMAP_WORDS(NBITS), 4);
}

Test(bitmap, init_clears_everything)
{
    uint32_t w[3];

    memset(w, 0xff, sizeof w);
    struct bitmap b;
    bitmap_init(&b, w, 70);
    cr_assert_eq(bitmap_count_set(&b), 0);
    cr_assert_eq(bitmap_find_first_set(&b, 0), BITMAP_NONE);
    cr_assert_eq(bitmap_find_first_zero(&b, 0), 0);
}

Test(bitmap, set_clear_test_at_word_edges)
{
    const size_t bits[] = {0, 31, 32, 33, 63, 64, 99};

    for (size_t i = 0; i < sizeof bits / sizeof bits[0]; i++) {
        bitmap_set(&bm, bits[i]);
        cr_assert(bitmap_test(&bm, bits[i]));
    }
    cr_assert_eq(bitmap_count_set(&bm), 7);
    cr_assert_not(bitmap_test(&bm, 30));
    cr_assert_not(bitmap_test(&bm, 34));
    /* The storage layout is part of the contract: bit i in word i/32. */
    cr_assert_eq(words[0], 0x80000001u);
    cr_assert_eq(words[1], 0x80000003u);
    cr_assert_eq(words[2], 0x00000001u);
    cr_assert_eq(words[3], 0x00000008u);
    bitmap_clear(&bm, 32);
    cr_assert_not(bitmap_test(&bm, 32));
    cr_assert(bitmap_test(&bm, 33));
    cr_assert_eq(bitmap_count_set(&bm), 6);
}

Test(bitmap, find_first_from_start)
{
    bitmap_set(&bm, 5);
    bitmap_set(&bm, 40);
    cr_assert_eq(bitmap_find_first_set(&bm, 0), 5);
    cr_assert_eq(bitmap_find_first_set(&bm, 5), 5);
    cr_assert_eq(bitmap_find_first_set(&bm, 6), 40); /* next word */
    cr_assert_eq(bitmap_find_first_set(&bm, 41), BITMAP_NONE);
    cr_assert_eq(bitmap_find_first_set(&bm, NBITS), BITMAP_NONE);
    cr_assert_eq(bitmap_find_first_set(&bm, 1000), BITMAP_NONE);

    bitmap_set_range(&bm, 0, NBITS);
    bitmap_clear(&bm, 70);
    cr_assert_eq(bitmap_find_first_zero(&bm, 0), 70);
    cr_assert_eq(bitmap_find_first_zero(&bm, 70), 70);
    cr_assert_eq(bitmap_find_first_zero(&bm, 71), BITMAP_NONE);
}

/* Bits 100..127 of the storage are not part of the bitmap. */
Test(bitmap, padding_bits_are_ignored)
{
    bitmap_set_range(&bm, 0, NBITS);
    cr_assert_eq(words[3] >> 4, 0); /* set_range left them alone */
    cr_assert_eq(bitmap_find_first_zero(&bm, 0), BITMAP_NONE);
    cr_assert_eq(bitmap_find_zero_run(&bm, 0, 1), BITMAP_NONE);
    cr_assert_eq(bitmap_count_set(&bm), NBITS);

    /* Even garbage there must not be found or counted. */
    bitmap_init(&bm, words, NBITS);
    words[3] |= 0xfffffff0u;
    cr_assert_eq(bitmap_find_first_set(&bm, 0), BITMAP_NONE);
    cr_assert_eq(bitmap_count_set(&bm), 0);
}

Test(bitmap, zero_run_across_word_boundary)
{
    bitmap_set_range(&bm, 0, NBITS);
    bitmap_clear_range(&bm, 28, 10); /* 28..37 spans words 0-1 */
    cr_assert_eq(bitmap_find_zero_run(&bm, 0, 10), 28);
    cr_assert_eq(bitmap_find_zero_run(&bm, 0, 11), BITMAP_NONE);
    cr_assert_eq(bitmap_find_zero_run(&bm, 30, 5), 30);
    cr_assert_eq(bitmap_find_zero_run(&bm, 30, 9), BITMAP_NONE);
}

Test(bitmap, zero_run_at_the_end)
{
    bitmap_set_range(&bm, 0, 90); /* 90..99 free */
    cr_assert_eq(bitmap_find_zero_run(&bm, 0, 10), 90);
    cr_assert_eq(bitmap_find_zero_run(&bm, 0, 11), BITMAP_NONE);
}

Test(bitmap, zero_run_skips_short_runs)
{
    bitmap_set_range(&bm, 0, NBITS);
    bitmap_clear_range(&bm, 3, 2);  /* too short */
    bitmap_clear_range(&bm, 10, 3); /* too short */
    bitmap_clear_range(&bm, 60, 4); /* first that fits */
    bitmap_clear_range(&bm, 80, 8);
    cr_assert_eq(bitmap_find_zero_run(&bm, 0, 4), 60);
    cr_assert_eq(bitmap_find_zero_run(&bm, 61, 4), 80);
    cr_assert_eq(bitmap_find_zero_run(&bm, 0, 1), 3);
}

Test(bitmap, no_run_available)
{
    for (size_t i = 0; i < NBITS; i += 2) /* 1010...: runs of 1 */
        bitmap_set(&bm, i);
    cr_assert_eq(bitmap_find_zero_run(&bm, 0, 1), 1);
    cr_assert_eq(bitmap_find_zero_run(&bm, 0, 2), BITMAP_NONE);
    cr_assert_eq(bitmap_count_set(&bm), NBITS / 2);
}

Test(bitmap, whole_bitmap_is_one_run)
{
    cr_assert_eq(bitmap_find_zero_run(&bm, 0, NBITS), 0);
    cr_assert_eq(bitmap_find_zero_run(&bm, 0, NBITS + 1), BITMAP_NONE);
}

static void set_out_of_range(void *arg)
{
    bitmap_set(arg, NBITS);
}

static void zero_length_run(void *arg)
{
    bitmap_find_zero_run(arg, 0, 0);
}

Test(bitmap, misuse_trips_assert)
{
    cr_assert(assert_fails(set_out_of_range, &bm));
    cr_assert_str_eq(assert_caught_func, "bitmap_set");
    cr_assert(assert_fails(zero_length_run, &bm));
    cr_assert_eq(words[3], 0); /* the bad set wrote nothing */
}

/* Random operations on a bitmap and on a bool array must agree. */
Test(bitmap, random_operations_match_model)
{
    struct prng r = {7};
    bool model[NBITS] = {false};

    for (int iter = 0; iter < 20000; iter++) {
        size_t i = prng_below(&r, NBITS);
        size_t n = 1 + prng_below(&r, 12);

        switch (prng_below(&r, 4)) {
        case 0:
            bitmap_set(&bm, i);
            model[i] = true;
            break;
        case 1:
            bitmap_clear(&bm, i);
            model[i] = false;
            break;
        case 2:
            if (i + n <= NBITS) {
                bitmap_set_range(&bm, i, n);
                for (size_t k = i; k < i + n; k++)
                    model[k] = true;
            }
            break;
        default:
            if (i + n <= NBITS) {
                bitmap_clear_range(&bm, i, n);
                for (size_t k = i; k < i + n; k++)
                    model[k] = false;
            }
            break;
        }

        size_t want_zero = BITMAP_NONE, want_set = BITMAP_NONE;
        size_t want_run = BITMAP_NONE, count = 0;
        for (size_t k = NBITS; k-- > i;) {
            if (!model[k])
                want_zero = k;
            else
                want_set = k;
        }
        for (size_t k = i; k + n <= NBITS && want_run == BITMAP_NONE; k++) {
            size_t len = 0;
            while (len < n && !model[k + len])
                len++;
            if (len == n)
                want_run = k;
        }
        for (size_t k = 0; k < NBITS; k++)
            count += model[k];

        cr_assert_eq(bitmap_test(&bm, i), model[i]);
        cr_assert_eq(bitmap_find_first_zero(&bm, i), want_zero);
        cr_assert_eq(bitmap_find_first_set(&bm, i), want_set);
        cr_assert_eq(bitmap_find_zero_run(&bm, i, n), want_run, "iter %d: run of %zu from %zu",
                     iter, n, i);
        cr_assert_eq(bitmap_count_set(&bm), count);
    }
}
