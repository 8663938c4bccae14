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
#if LAB >= 4
#include "proc/sched.h"
#include "proc/thread.h"
#include "arch/i386/irq.h"
#endif
#if LAB >= 5
#include "arch/i386/percpu.h"
#include "sync/check.h"
#include "sync/mutex.h"
#include "sync/spinlock.h"
#endif

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

#if LAB >= 4
static uint32_t cost[SAMPLES];

/* The partner of a yield round trip: yields back until told to stop.
 * SAFETY: volatile so that the partner's loop reloads the flag after each
 * yield (the compiler cannot see the other thread's store); one CPU, and
 * a bool is written whole, so no lock is needed. */
static volatile bool partner_stop;
static int yield_partner(void *arg)
{
    (void)arg;
    irq_disable();
    while (!partner_stop)
        thread_yield();
    return 0;
}

/* thread_yield() from main to a partner thread and back: two switches,
 * two trips through the run queue. Interrupts off, so no tick lands in
 * the measurement. Then a yield with nobody else runnable. */
static void bench_yield(void)
{
    partner_stop = false;
    struct thread *partner = thread_create(yield_partner, NULL, "partner");
    if (partner == NULL) {
        kprintf("bench: no threads\n");
        return;
    }
    uint32_t s = irq_save();
    for (int i = -100; i < SAMPLES; i++) {     /* 100 rounds of warm-up */
        uint64_t t0 = rdtsc();
        thread_yield();
        uint64_t t1 = rdtsc();
        if (i >= 0)
            cost[i] = (uint32_t)(t1 - t0);
    }
    partner_stop = true;
    irq_restore(s);
    thread_join(partner);
    report("thread_yield round trip (main -> partner -> main)", cost);

    s = irq_save();
    for (int i = 0; i < SAMPLES; i++) {
        uint64_t t0 = rdtsc();
        thread_yield();
        cost[i] = (uint32_t)(rdtsc() - t0);
    }
    irq_restore(s);
    report("thread_yield, nothing else runnable", cost);
}

static int return_zero(void *arg)
{
    (void)arg;
    return 0;
}

/* thread_create + thread_join of a thread that returns at once: the
 * struct and the 16 KiB stack (4 frames mapped, then unmapped), the
 * switches to the thread and back, its exit. */
static void bench_thread(void)
{
    for (int i = -100; i < SAMPLES; i++) {
        uint64_t t0 = rdtsc();
        struct thread *t = thread_create(return_zero, NULL, "bench");
        if (t == NULL) {
            kprintf("bench: no threads\n");
            return;
        }
        thread_join(t);
        uint64_t t1 = rdtsc();
        if (i >= 0)
            cost[i] = (uint32_t)(t1 - t0);
    }
    report("thread_create + thread_join", cost);
}
#endif

#if LAB >= 5
static struct spinlock bench_lock = SPINLOCK_INIT("bench");
static struct mutex bench_mutex;

/* An uncontended spin_lock + spin_unlock pair, timed as one: the ticket
 * lock's path length when nobody else wants it, with the lock checks as
 * the command line set them (sync_checks=0: the bare lock). Then the
 * irq-saving pair and an uncontended mutex for comparison. */
static void bench_spinlock(void)
{
    kprintf("bench: lock checks %s\n", sync_checks ? "on" : "off");
    for (int i = -100; i < SAMPLES; i++) {
        uint64_t t0 = rdtsc();
        spin_lock(&bench_lock);
        spin_unlock(&bench_lock);
        uint64_t t1 = rdtsc();
        if (i >= 0)
            cost[i] = (uint32_t)(t1 - t0);
    }
    report(sync_checks ? "spin_lock + spin_unlock, uncontended, checks on"
                       : "spin_lock + spin_unlock, uncontended", cost);
    for (int i = -100; i < SAMPLES; i++) {
        uint64_t t0 = rdtsc();
        uint32_t s = spin_lock_irqsave(&bench_lock);
        spin_unlock_irqrestore(&bench_lock, s);
        uint64_t t1 = rdtsc();
        if (i >= 0)
            cost[i] = (uint32_t)(t1 - t0);
    }
    report(sync_checks ? "spin_lock_irqsave + spin_unlock_irqrestore, uncontended, checks on"
                       : "spin_lock_irqsave + spin_unlock_irqrestore, uncontended", cost);
    mutex_init(&bench_mutex, "bench");
    for (int i = -100; i < SAMPLES; i++) {
        uint64_t t0 = rdtsc();
        mutex_lock(&bench_mutex);
        mutex_unlock(&bench_mutex);
        uint64_t t1 = rdtsc();
        if (i >= 0)
            cost[i] = (uint32_t)(t1 - t0);
    }
    report(sync_checks ? "mutex_lock + mutex_unlock, uncontended, checks on"
                       : "mutex_lock + mutex_unlock, uncontended", cost);
}
#endif

#if LAB >= 5
/* Contended handover: main holds the lock while a partner thread on
 * another CPU waits for it -- for bench_lock it spins (it has its ticket),
 * for bench_mutex it is asleep on the mutex. Main reads the TSC and
 * releases; the partner reads the TSC as soon as it holds the lock. The
 * difference is the time from the release to the waiter's acquisition:
 * for the mutex that includes the wake-up, the resched IPI, the idle
 * CPU's way out of hlt, the scheduler and the context switch.
 *
 * Under -icount all vCPUs run in one host thread in turns, and the TSC
 * counts the instructions of all of them: the figure is every guest
 * instruction executed, on any CPU, between the release and the
 * acquisition -- including the releasing CPU's own instructions until it
 * gives up its turn. Every wait loop here and in spin_lock() executes
 * `pause`, and QEMU's round robin moves on to the next vCPU at a pause
 * (without it a spinning vCPU keeps its turn for a whole time slice:
 * 10,100 rounds then took over 5 minutes). Compare runs, not hardware. */
static uint64_t released_at;            /* written before the release, read after */
static int handover_round;              /* atomic: main's round; the partner follows */
static int partner_done;                /* atomic: rounds the partner finished */
static struct thread *partner;

static uint16_t tickets_out(void)
{
    return (uint16_t)(__atomic_load_n(&bench_lock.next, __ATOMIC_ACQUIRE) -
                      __atomic_load_n(&bench_lock.owner, __ATOMIC_ACQUIRE));
}

static void wait_for_round(int i)
{
    while (__atomic_load_n(&handover_round, __ATOMIC_ACQUIRE) != i)
        __builtin_ia32_pause();         /* main holds the lock for round i */
}

static void wait_partner_done(int i)
{
    while (__atomic_load_n(&partner_done, __ATOMIC_ACQUIRE) != i + 1)
        __builtin_ia32_pause();
}

static void record_handover(int i)
{
    uint64_t got = rdtsc();
    if (i >= 0)
        cost[i] = (uint32_t)(got - released_at);
}

static int spin_partner(void *arg)
{
    (void)arg;
    for (int i = -100; i < SAMPLES; i++) {
        wait_for_round(i);
        spin_lock(&bench_lock);
        record_handover(i);
        spin_unlock(&bench_lock);
        __atomic_store_n(&partner_done, i + 1, __ATOMIC_RELEASE);
    }
    return 0;
}

static int mutex_partner(void *arg)
{
    (void)arg;
    for (int i = -100; i < SAMPLES; i++) {
        wait_for_round(i);
        mutex_lock(&bench_mutex);
        record_handover(i);
        mutex_unlock(&bench_mutex);
        __atomic_store_n(&partner_done, i + 1, __ATOMIC_RELEASE);
    }
    return 0;
}

static bool start_partner(int (*fn)(void *))
{
    __atomic_store_n(&handover_round, -1000, __ATOMIC_RELEASE);
    __atomic_store_n(&partner_done, -100, __ATOMIC_RELEASE);
    partner = thread_create(fn, NULL, "partner");
    if (partner == NULL)
        kprintf("bench: no threads\n");
    return partner != NULL;
}

/* Bounded waits: a partner that sits on this CPU (which holds a spinlock
 * and so is not preempted) never comes. */
#define HANDOVER_SPINS 100000000u

static void bench_spin_handover(void)
{
    if (!start_partner(spin_partner))
        return;
    for (int i = -100; i < SAMPLES; i++) {
        spin_lock(&bench_lock);
        __atomic_store_n(&handover_round, i, __ATOMIC_RELEASE);
        uint32_t spins = 0;
        while (tickets_out() < 2 && ++spins < HANDOVER_SPINS)
            __builtin_ia32_pause();     /* until the partner has its ticket */
        if (spins == HANDOVER_SPINS) {
            spin_unlock(&bench_lock);
            kprintf("bench: handover: the partner never spun on another CPU; no result\n");
            return;             /* the partner stays: a benchmark boot ends here */
        }
        released_at = rdtsc();
        spin_unlock(&bench_lock);
        wait_partner_done(i);
    }
    thread_join(partner);
    report(sync_checks ? "spinlock handover to a spinning CPU, checks on"
                       : "spinlock handover to a spinning CPU", cost);
}

static void bench_mutex_handover(void)
{
    mutex_init(&bench_mutex, "bench");
    if (!start_partner(mutex_partner))
        return;
    for (int i = -100; i < SAMPLES; i++) {
        mutex_lock(&bench_mutex);
        __atomic_store_n(&handover_round, i, __ATOMIC_RELEASE);
        uint32_t spins = 0;     /* until the partner is asleep on the mutex */
        while (__atomic_load_n(&partner->state, __ATOMIC_ACQUIRE) != THREAD_BLOCKED &&
               ++spins < HANDOVER_SPINS)
            __builtin_ia32_pause();
        if (spins == HANDOVER_SPINS) {
            mutex_unlock(&bench_mutex);
            kprintf("bench: handover: the partner never blocked on the mutex; no result\n");
            return;
        }
        released_at = rdtsc();
        mutex_unlock(&bench_mutex);
        wait_partner_done(i);
    }
    thread_join(partner);
    report(sync_checks ? "mutex handover to a sleeping thread, checks on"
                       : "mutex handover to a sleeping thread", cost);
}

static void bench_handover(void)
{
    if (ncpus < 2) {
        kprintf("bench: handover needs two CPUs (-smp 2 or more)\n");
        return;
    }
    bench_spin_handover();
    bench_mutex_handover();
}
#endif

void bench_run(const char *which)
{
    if (strcmp(which, "kmalloc") == 0)
        bench_kmalloc();
#if LAB >= 4
    else if (strcmp(which, "yield") == 0)
        bench_yield();
    else if (strcmp(which, "thread") == 0)
        bench_thread();
#endif
#if LAB >= 5
    else if (strcmp(which, "spinlock") == 0)
        bench_spinlock();
    else if (strcmp(which, "handover") == 0)
        bench_handover();
#endif
    else
        kprintf("bench: unknown benchmark '%s' (try kmalloc, yield, thread, spinlock, handover)\n", which);
}
#endif /* LAB >= 3 */
