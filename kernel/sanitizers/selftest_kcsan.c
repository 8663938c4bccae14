/*
 * selftest_kcsan.c -- the seed talk's "missing mutex", on purpose.
 *
 * selftest=kcsan-race: two threads, which the scheduler puts on two CPUs,
 * increment one shared counter. race_locked() takes the counter's lock
 * each time; race_unlocked() forgot it. With KCSAN=1 a watchpoint on the
 * counter catches the two at it and the report names both functions.
 * selftest=kcsan-norace: both take the lock; there must be no report
 * (and no lost update).
 *
 * Each thread runs until the checker has reported (an observable event:
 * san_reports_of("KCSAN") grows) or RACE_ITERS increments are done or
 * the deadline passes (kcsan_selftest_s=N on the command line, default
 * 60 s), whichever comes first; the kernel then says "selftest: NAME
 * done" with what it saw and exits. Compiled with the checker on
 * (kcsan.mk), unlike the rest of kernel/sanitizers/.
 */
#if LAB >= 5
#include "sanitizers/selftest_kcsan.h"
#include "sanitizers/report.h"
#include "arch/i386/percpu.h"
#include "arch/i386/pit.h"
#include "arch/i386/power.h"
#include "cmdline.h"
#include "console.h"
#include "multiboot.h"
#include "proc/sched.h"
#include "proc/thread.h"
#include "sync/spinlock.h"
#include <stdlib.h>

#define RACE_ITERS 2000000u
#define RACE_SECONDS_DEFAULT 60u

static struct spinlock race_lock = SPINLOCK_INIT("kcsan.counter");
static uint32_t race_counter;           /* protected by race_lock (but see below) */

/* The threads' own bookkeeping is atomic: it is not what is tested. */
static struct {
    unsigned arrived;
    unsigned done;
    unsigned cpus;                      /* bit i: CPU i ran a counting thread */
    unsigned reports_before;
    uint32_t deadline;                  /* in pit_ticks */
} race;

static bool race_over(uint32_t i)
{
    return i >= RACE_ITERS || san_reports_of("KCSAN") > race.reports_before ||
           /* SAFETY: pit_ticks is volatile only because the timer
            * interrupt advances it; a stale value only delays the end. */
           (int32_t)(pit_ticks - race.deadline) > 0;
}

static void race_start(void)
{
    __atomic_fetch_or(&race.cpus, 1u << cpu_id(), __ATOMIC_RELAXED);
    __atomic_fetch_add(&race.arrived, 1, __ATOMIC_ACQ_REL);
    while (__atomic_load_n(&race.arrived, __ATOMIC_ACQUIRE) < 2)
        __builtin_ia32_pause();
}

__attribute__((noinline)) static int race_locked(void *arg)
{
    (void)arg;
    race_start();
    for (uint32_t i = 0; !race_over(i); i++) {
        spin_lock(&race_lock);
        race_counter++;
        spin_unlock(&race_lock);
    }
    __atomic_fetch_add(&race.done, 1, __ATOMIC_RELEASE);
    return 0;
}

/* The bug: the same counter, without the lock. */
__attribute__((noinline)) static int race_unlocked(void *arg)
{
    (void)arg;
    race_start();
    for (uint32_t i = 0; !race_over(i); i++)
        race_counter++;
    __atomic_fetch_add(&race.done, 1, __ATOMIC_RELEASE);
    return 0;
}

static uint32_t race_seconds(void)
{
    char value[12];
    if (cmdline_value(boot_info.harness_cmdline, "kcsan_selftest_s", value, sizeof value))
        return (uint32_t)strtoul(value, NULL, 10);
    return RACE_SECONDS_DEFAULT;
}

void selftest_kcsan_counter(bool locked)
{
    const char *name = locked ? "kcsan-norace" : "kcsan-race";
    race_counter = 0;
    race.reports_before = san_reports_of("KCSAN");
    /* SAFETY: a read of the tick counter (volatile: the timer advances it). */
    race.deadline = pit_ticks + race_seconds() * pit_hz;
    struct thread *a = thread_create(race_locked, NULL, "race_locked");
    struct thread *b = thread_create(locked ? race_locked : race_unlocked, NULL,
                                     locked ? "race_locked2" : "race_unlocked");
    if (a == NULL || b == NULL) {
        kprintf("selftest: %s: no threads\n", name);
        machine_exit(EXIT_PANIC);
    }
    while (__atomic_load_n(&race.done, __ATOMIC_ACQUIRE) < 2)
        thread_sleep(1);
    thread_join(a);
    thread_join(b);
    kprintf("selftest: counter %u after the two threads; %u KCSAN report(s); CPUs 0x%x\n",
            race_counter, san_reports_of("KCSAN") - race.reports_before, race.cpus);
    kprintf("selftest: %s done\n", name);
    machine_exit(EXIT_DONE);
}
#endif /* LAB >= 5 */
