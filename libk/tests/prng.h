/*
 * prng.h -- a tiny deterministic PRNG for the randomised host tests.
 *
 * splitmix64: one 64-bit state, good enough mixing for test data.  A
 * fixed seed makes every run test exactly the same cases, so a failure
 * reproduces.
 */
#ifndef LIBK_TESTS_PRNG_H
#define LIBK_TESTS_PRNG_H

#include <stdint.h>

struct prng {
    uint64_t state;
};

static inline uint64_t prng_next(struct prng *r)
{
    uint64_t z = (r->state += 0x9e3779b97f4a7c15ull);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* Uniform-enough in [0, n), n > 0. */
static inline uint64_t prng_below(struct prng *r, uint64_t n)
{
    return prng_next(r) % n;
}

/* True with probability 1/n. */
static inline int prng_one_in(struct prng *r, uint64_t n)
{
    return prng_below(r, n) == 0;
}

#endif /* LIBK_TESTS_PRNG_H */
