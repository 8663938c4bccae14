/*
 * diff_strtol.h -- strtol/strtoul of libk against the C library's:
 * same value, same end pointer, and out-of-range reported alike
 * (errno == ERANGE there, *overflow in libk).
 *
 * Used by test_strtol.c and by m32/main.c (32-bit long, as in the
 * kernel).  Each function prints its mismatches to stderr and returns
 * how many there were; *compared gets the number of comparisons.
 */
#ifndef LIBK_TESTS_DIFF_STRTOL_H
#define LIBK_TESTS_DIFF_STRTOL_H

#include <stdint.h>

/* A fixed table of inputs, each in several bases. */
int diff_strtol_table(int *compared);

/* `count` random strings over the interesting characters, random base. */
int diff_strtol_random(uint64_t seed, int count, int *compared);

#endif /* LIBK_TESTS_DIFF_STRTOL_H */
