/*
 * bench.c -- path lengths of kernel primitives, for `make bench`.
 *
 * Run under QEMU's -icount shift=0,sleep=off, where the TSC counts guest
 * instructions (one per nanosecond of guest time): a rdtsc difference is
 * then the number of instructions between the two reads, the same on
 * every run and on any host. (A `rep` string instruction counts one per
 * iteration: these are path lengths, not cycles.)
 */
#if LAB >= 3
#include "bench.h"
#include "console.h"
#include "mm/kmalloc.h"
#include <string.h>

enum { SAMPLES = 10000, SLOTS = 64 };

static uint32_t alloc_cost[SAMPLES], free_cost[SAMPLES];

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    /* SAFETY: reads the time-stamp counter; no side effects. */
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

/* Shell sort: no recursion, fine for 10,000 numbers. */
static void sort(uint32_t *a, int n)
{
    for (int gap = n / 2; gap > 0; gap /= 2)
        for (int i = gap; i < n; i++)
            for (int j = i; j >= gap && a[j - gap] > a[j]; j -= gap) {
                uint32_t t = a[j];
                a[j] = a[j - gap];
                a[j - gap] = t;
            }
}

static void report(const char *what, uint32_t *a)
{
    sort(a, SAMPLES);
    kprintf("bench: %s: median %u instructions (min %u, p90 %u, max %u) over %d calls\n",
            what, a[SAMPLES / 2], a[0], a[SAMPLES * 9 / 10], a[SAMPLES - 1], SAMPLES);
}

/* 10,000 kmalloc/kfree pairs with sizes of 16..512 bytes over 64 live
 * slots: each call is timed alone. */
static void bench_kmalloc(void)
{
    void *slot[SLOTS] = { 0 };
    uint32_t rng = 12345;
    for (int i = 0; i < SAMPLES; i++) {
        rng = rng * 1664525u + 1013904223u;
        int s = (int)((rng >> 8) % SLOTS);
        size_t size = 16 + (rng >> 16) % 497;
        uint64_t t0 = rdtsc();
        kfree(slot[s]);
        uint64_t t1 = rdtsc();
        slot[s] = kmalloc(size);
        uint64_t t2 = rdtsc();
        free_cost[i] = (uint32_t)(t1 - t0);
        alloc_cost[i] = (uint32_t)(t2 - t1);
    }
    for (int s = 0; s < SLOTS; s++)
        kfree(slot[s]);
    kprintf("bench: kmalloc debug mode %s\n", kheap.debug ? "on" : "off");
    report("kmalloc", alloc_cost);
    report("kfree", free_cost);
}

void bench_run(const char *which)
{
    if (strcmp(which, "kmalloc") == 0)
        bench_kmalloc();
    else
        kprintf("bench: unknown benchmark '%s' (try kmalloc)\n", which);
}
#endif /* LAB >= 3 */
