/* kcsan_sample.c -- KCSAN's sampler (see kcsan_sample.h). */
#if LAB >= 5
#include "sanitizers/kcsan_sample.h"

static uint32_t xorshift32(uint32_t *state)
{
    /* Marsaglia's xorshift32 (13, 17, 5): full period over non-zero states. */
    uint32_t x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *state = x;
}

uint32_t kcsan_next_gap(struct kcsan_sampler *s, uint32_t every)
{
    if (every <= 1)
        return 1;
    if (every > UINT32_MAX / 2)             /* kcsan_every=4000000000: no wrap */
        every = UINT32_MAX / 2;
    return every / 2 + 1 + xorshift32(&s->rng) % every;
}

void kcsan_sampler_init(struct kcsan_sampler *s, uint32_t seed, int cpu, uint32_t every)
{
    /* Mix the CPU in so that two CPUs do not sample in lock step. */
    s->rng = (seed ^ (0x9E3779B9u * (uint32_t)(cpu + 1))) | 1u;
    s->left = kcsan_next_gap(s, every);
}

bool kcsan_sample(struct kcsan_sampler *s, uint32_t every)
{
    /* Never below 1: a countdown another CPU also decremented (kcsan.c's
     * fast path may, after a thread moved) must not wrap to 2^32. */
    if (s->left > 1) {
        s->left--;
        return false;
    }
    s->left = kcsan_next_gap(s, every);
    return true;
}
#endif /* LAB >= 5 */
