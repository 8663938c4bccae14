/*
 * kcsan.c -- the data-race detector's run time (make KCSAN=1).
 *
 * After the Linux kernel's KCSAN (Documentation/dev-tools/kcsan.rst):
 * every instrumented access comes here (kcsan_tsan.c). Most only count
 * down to the next watched access (and, while some CPU has a watchpoint
 * armed, look whether it is on their address); one in about kcsan_every
 * is "watched": this CPU arms a watchpoint on it, waits kcsan_delay
 * rounds of a busy loop (interrupts off: a bounded spin, never a sleep),
 * and disarms it. Two ways to see a race:
 *   - another CPU's access hits the armed watchpoint (kcsan_find()) and
 *     claims it with its own access and stack: the report has both;
 *   - the watched location's value changed during the wait although no
 *     one claimed the watchpoint (an access this checker did not see: a
 *     device, uninstrumented code, an access sampled out): the report has
 *     only this side ("race at unknown origin", as Linux says).
 *
 * What is not a race, and how the checker tells:
 *   - two atomic accesses: __atomic builtins reach the runtime as
 *     __tsan_atomic*() and never arm a watchpoint (kcsan_is_race() only
 *     lets a plain watcher be claimed; an atomic access that hits a plain
 *     *write* is still a race, as in Linux);
 *   - two accesses under a common lock: they cannot overlap in time, and
 *     a watchpoint only catches accesses that do. The watcher arms its
 *     watchpoint inside its critical section, before its access; another
 *     CPU that wants the same lock spins in spin_lock() until the watcher
 *     has disarmed and released it. So lock-protected accesses never
 *     meet a watchpoint. As a check on that argument, each report lists
 *     the locks both sides held (kernel/sync/held.c); a lock on both
 *     lists would mean the lock itself is broken, and the report says so.
 */
#if LAB >= 5
#ifdef CONFIG_KCSAN            /* make KCSAN=1 only (kcsan.mk) */
#include "sanitizers/kcsan.h"
#include "sanitizers/kcsan_runtime.h"
#include "sanitizers/kcsan_sample.h"
#include "sanitizers/kcsan_watch.h"
#include "sanitizers/report.h"
#include "arch/i386/irq.h"
#include "arch/i386/mmio.h"
#include "arch/i386/percpu.h"
#include "arch/i386/pit.h"
#include "backtrace.h"
#include "cmdline.h"
#include "console.h"
#include "proc/thread.h"
#include "symbols.h"
#include "sync/held.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KCSAN_EVERY_DEFAULT 1000u   /* Linux: kcsan.skip_watch=4000 */
#define KCSAN_DELAY_DEFAULT 20000u  /* busy-loop rounds: tens of microseconds */
#define KCSAN_SEED_DEFAULT 0x7d1e9001u
#define KCSAN_CLAIM_SPINS (1u << 20)

struct kcsan_cpu {
    struct kcsan_sampler sampler;
    int busy;                       /* inside the runtime: do not re-enter */
    int disabled;                   /* data_race() depth */
    uint32_t saved_irq[4];          /* interrupt state at each data_race() */
};

static bool kcsan_on;               /* __atomic; set once by kcsan_init() */
static uint32_t kcsan_every = KCSAN_EVERY_DEFAULT;
static uint32_t kcsan_delay = KCSAN_DELAY_DEFAULT;
static struct kcsan_cpu kcsan_cpus[MAX_CPUS];
static struct kcsan_watch kcsan_table[KCSAN_SLOTS];
static uint32_t kcsan_armed;        /* __atomic: slots armed now (a fast "none") */

/* Variables whose plain accesses count as atomic, as Linux's KCSAN
 * treats jiffies: the timer's tick counter is written by one CPU (CPU 0's
 * timer interrupt, an aligned 32-bit store, which i386 makes atomic) and
 * read everywhere without a lock by code that only wants a recent value
 * (deadlines, timeouts). Marking its ~90 readers would say nothing more. */
static bool marked_atomic(uintptr_t addr, uint32_t size)
{
    /* SAFETY: pointer -> integer: an address compared, never dereferenced. */
    return kcsan_overlap(addr, size, (uintptr_t)&pit_ticks, sizeof pit_ticks);
}

static uint32_t cmdline_number(const char *cmdline, const char *key, uint32_t dflt)
{
    char value[16];
    if (!cmdline_value(cmdline, key, value, sizeof value))
        return dflt;
    return (uint32_t)strtoul(value, NULL, 0);
}

void kcsan_init(const char *cmdline)
{
    kcsan_every = cmdline_number(cmdline, "kcsan_every", KCSAN_EVERY_DEFAULT);
    kcsan_delay = cmdline_number(cmdline, "kcsan_delay", KCSAN_DELAY_DEFAULT);
    uint32_t seed = cmdline_number(cmdline, "kcsan_seed", KCSAN_SEED_DEFAULT);
    for (int i = 0; i < MAX_CPUS; i++)
        kcsan_sampler_init(&kcsan_cpus[i].sampler, seed, i, kcsan_every);
    kprintf("kcsan: watching one access in about %u for %u rounds, seed 0x%x, %d CPUs\n",
            (unsigned)kcsan_every, (unsigned)kcsan_delay, (unsigned)seed, ncpus);
    __atomic_store_n(&kcsan_on, true, __ATOMIC_RELEASE);
}

/* data_race(): interrupts stay off until kcsan_enable_current(), so the
 * thread cannot move to another CPU in between. */
void kcsan_disable_current(void)
{
    uint32_t s = irq_save();
    struct kcsan_cpu *k = &kcsan_cpus[cpu_id()];
    if (k->disabled < 4)
        k->saved_irq[k->disabled] = s;
    k->disabled++;
}

void kcsan_enable_current(void)
{
    struct kcsan_cpu *k = &kcsan_cpus[cpu_id()];
    k->disabled--;
    uint32_t s = k->disabled < 4 ? k->saved_irq[k->disabled] : 0;
    irq_restore(s);
}

/* The watched location's value, read without instrumentation.
 * Only called on kcsan_addr_watchable() addresses (ordinary RAM, mapped:
 * the instrumented code is about to access it) and sizes up to 8. */
static uint64_t read_value(uintptr_t addr, uint32_t size)
{
    uint64_t v = 0;
    /* SAFETY: integer -> pointer: addr is the address the instrumented
     * code is about to load or store, in kernel RAM (checked by
     * kcsan_addr_watchable()), so it is mapped and has no side effect
     * on reading. volatile: each call must read memory again (the
     * point is to see another CPU's write during the wait). */
    const volatile uint8_t *p = (const volatile uint8_t *)addr;
    for (uint32_t i = 0; i < size && i < 8; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

/* The wait while a watchpoint is armed: a bounded busy loop, interrupts
 * off, never a sleep. Not `pause`: under QEMU's TCG each `pause` leaves
 * the translated code to let other vCPUs run (a few microseconds), which
 * made the wait hundreds of times longer than its count says. */
static void spin_delay(uint32_t rounds)
{
    for (uint32_t i = 0; i < rounds; i++)
        /* SAFETY: an empty asm: only keeps the compiler from deleting the
         * loop; "memory" so that nothing is cached across it. */
        __asm__ volatile("" : : : "memory");
}

static void note_locks(struct kcsan_access *a)
{
    struct held_lock held[4];
    a->nlocks = held_mine(held, 4);
    for (int i = 0; i < a->nlocks; i++) {
        a->locks[i] = held[i].lock;
        a->lock_names[i] = held[i].name;
    }
}

/* This CPU's stack below the instrumented function: the frames above
 * `pc` are the runtime's own and are dropped. */
static void note_stack(struct kcsan_access *a)
{
    uintptr_t pcs[KCSAN_STACK + 4];
    /* SAFETY: pointer -> integer: the live frame's address, where the
     * frame-pointer walk starts (backtrace.c checks each step). */
    int n = backtrace_walk((uintptr_t)__builtin_frame_address(0), pcs, KCSAN_STACK + 4);
    int first = 0;
    while (first < n && pcs[first] != a->pc)
        first++;
    if (first == n)
        first = 0;
    a->npcs = 0;
    for (int i = first; i < n && a->npcs < KCSAN_STACK; i++)
        a->pcs[a->npcs++] = pcs[i];
}

static void note_thread(struct kcsan_access *a)
{
    const struct thread *t = this_cpu_thread();
    if (t != NULL)
        snprintf(a->who, sizeof a->who, "thread '%s' (tid %d)", t->name, t->tid);
    else
        snprintf(a->who, sizeof a->who, "no thread");
}

/* Another CPU watches this address: claim its watchpoint with our side. */
static void check_watchpoints(struct kcsan_access *a)
{
    uint32_t state;
    int i = kcsan_find(kcsan_table, KCSAN_SLOTS, a, &state);
    if (i < 0)
        return;
    note_stack(a);
    note_thread(a);
    note_locks(a);
    kcsan_claim(&kcsan_table[i], state, a);
}

/* Arm a watchpoint on `a`, wait, disarm; report what was seen. */
static void watch(struct kcsan_access *a)
{
    int i = kcsan_arm(kcsan_table, KCSAN_SLOTS, a);
    if (i < 0)
        return;
    __atomic_add_fetch(&kcsan_armed, 1, __ATOMIC_ACQ_REL);
    uint64_t before = read_value(a->addr, a->size);
    spin_delay(kcsan_delay);
    uint64_t after = read_value(a->addr, a->size);
    static struct kcsan_access others[MAX_CPUS];    /* too big for the stack */
    struct kcsan_access *other = &others[a->cpu];
    bool claimed = kcsan_disarm(&kcsan_table[i], other, KCSAN_CLAIM_SPINS);
    __atomic_sub_fetch(&kcsan_armed, 1, __ATOMIC_ACQ_REL);
    if (claimed || before != after) {
        note_locks(a);
        kcsan_report(a, claimed ? other : NULL, before, after);
    }
}

/* The common case, kept cheap: no watchpoint armed anywhere and this
 * access not the one to watch. Interrupts stay on, so the thread may move
 * to another CPU between cpu_id() and the countdown: it then counts down
 * the other CPU's sampler, racing with it. Harmless: a count off by one
 * changes which access is watched, never whether the checker works
 * (kcsan_sample() never lets the count wrap). */
static bool nothing_to_do(bool atomic)
{
    if (__atomic_load_n(&kcsan_armed, __ATOMIC_RELAXED) != 0)
        return false;
    if (atomic)
        return true;                        /* atomics only ever check */
    struct kcsan_sampler *s = &kcsan_cpus[cpu_id()].sampler;
    if (s->left <= 1)
        return false;
    s->left--;
    return true;
}

void kcsan_access(uintptr_t addr, uint32_t size, bool write, bool atomic, uintptr_t pc)
{
    if (!__atomic_load_n(&kcsan_on, __ATOMIC_RELAXED) ||
        !kcsan_addr_watchable(addr, size, MMIO_WINDOW) || nothing_to_do(atomic))
        return;
    atomic = atomic || marked_atomic(addr, size);
    /* Interrupts off: the thread stays on this CPU while it uses the
     * CPU's state, and no handler runs on this CPU while a watchpoint
     * is armed (it would otherwise look like another CPU). */
    uint32_t s = irq_save();
    struct cpu *c = this_cpu();
    struct kcsan_cpu *k = &kcsan_cpus[c->id];
    if (k->busy || k->disabled || san_in_report()) {
        irq_restore(s);
        return;
    }
    k->busy = 1;
    struct kcsan_access a = { .addr = addr, .size = size, .write = write, .atomic = atomic,
                              .cpu = c->id, .pc = pc };
    if (__atomic_load_n(&kcsan_armed, __ATOMIC_ACQUIRE) != 0)
        check_watchpoints(&a);
    if (!atomic && size <= KCSAN_WATCH_MAX && kcsan_sample(&k->sampler, kcsan_every))
        watch(&a);
    k->busy = 0;
    irq_restore(s);
}
#endif /* CONFIG_KCSAN */
#endif /* LAB >= 5 */
