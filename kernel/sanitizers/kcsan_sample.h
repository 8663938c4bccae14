/*
 * kcsan_sample.h -- which accesses KCSAN watches (pure logic, host-tested).
 *
 * Watching an access costs a delay (the watcher waits for another CPU to
 * come by), so only one access in about `every` is watched, as Linux's
 * kcsan.skip_watch does. The gap to the next watched access is random
 * around `every` (so that a loop with a fixed pattern of accesses does
 * not always watch the same one of them) but reproducible: the
 * generator is a per-CPU xorshift seeded from the command line
 * (kcsan_seed=N) and the CPU's number.
 */
#ifndef SANITIZERS_KCSAN_SAMPLE_H
#define SANITIZERS_KCSAN_SAMPLE_H

#if LAB >= 5

#include <stdbool.h>
#include <stdint.h>

struct kcsan_sampler {
    uint32_t left;              /* accesses until the next watched one */
    uint32_t rng;               /* xorshift32 state, never 0 */
};

void kcsan_sampler_init(struct kcsan_sampler *s, uint32_t seed, int cpu, uint32_t every);
/* Count one access; true if this one is to be watched. */
bool kcsan_sample(struct kcsan_sampler *s, uint32_t every);
/* The gap before the next watched access: in [every/2 + 1, every/2 + every]
 * (mean about `every`; every is capped at 2^31 - 1 so the sum cannot
 * wrap); exactly 1 when every <= 1 (watch them all). */
uint32_t kcsan_next_gap(struct kcsan_sampler *s, uint32_t every);

#endif /* LAB >= 5 */

#endif
