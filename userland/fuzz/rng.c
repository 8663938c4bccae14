/* rng.c -- splitmix64 (Vigna): tiny, fast on i386, good enough to pick
 * arguments, and every 64-bit seed gives its own full-period stream. */
#include "rng.h"

void rng_seed(struct rng *r, uint32_t seed, uint32_t worker, uint32_t thread)
{
    /* Distinct (seed, worker, thread) give distinct starting states; the
     * first outputs are mixed by rng_next's finalizer anyway. */
    r->state = ((uint64_t)seed << 32) ^ ((uint64_t)worker << 16) ^ thread ^ 0x9e3779b97f4a7c15ull;
}

uint32_t rng_next(struct rng *r)
{
    uint64_t z = (r->state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return (uint32_t)((z ^ (z >> 31)) >> 32);
}

uint32_t rng_below(struct rng *r, uint32_t n)
{
    return rng_next(r) % n;
}

int rng_one_in(struct rng *r, uint32_t n)
{
    return rng_below(r, n) == 0;
}
