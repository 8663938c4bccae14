/*
 * rng.h -- the fuzzer's random numbers: splitmix64, one stream per
 * (seed, worker, thread), so that a thread's calls are a function of
 * those three and of the results it saw (pure: host-tested).
 */
#ifndef FUZZ_RNG_H
#define FUZZ_RNG_H

#include <stdint.h>

struct rng {
    uint64_t state;
};

void rng_seed(struct rng *r, uint32_t seed, uint32_t worker, uint32_t thread);
uint32_t rng_next(struct rng *r);
/* Uniform enough in [0, n) for n > 0 (n is small here: the bias of a
 * plain remainder is below 2^-20). */
uint32_t rng_below(struct rng *r, uint32_t n);
/* True with probability 1/n. */
int rng_one_in(struct rng *r, uint32_t n);

#endif
