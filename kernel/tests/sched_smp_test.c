/*
 * sched_smp_test.c -- lab 5: the scheduler on several CPUs.
 *
 * Threads run on several CPUs at once; a thread woken on one CPU runs on
 * another; a thread that switches out on one CPU and is resumed on
 * another finds its registers intact; sleep, join and exit hold up.
 * Run with -smp 4 (the cases skip on one CPU, where lab 4's thread_test.c
 * covers the same ground). Every wait is bounded by a count or by the
 * global clock and reports what it saw instead of hanging.
 */
#if LAB >= 5
#include "ktest.h"
#include "console.h"
#include "proc/sched.h"
#include "proc/thread.h"
#include "proc/waitqueue.h"
#include "sync/spinlock.h"
#include "arch/i386/irq.h"
#include "arch/i386/percpu.h"
#include "arch/i386/pit.h"
#include "arch/i386/smp.h"

/* SAFETY: integer <-> pointer: the cases pass small numbers as arg. */
#define ARG(n) ((void *)(uintptr_t)(n))
#define NUM(p) ((int)(uintptr_t)(p))

#define CLOCK_LIMIT (20 * pit_hz)   /* a bound, not a timing: 20 s of PIT ticks */

static bool several_cpus(void)
{
    if (smp_online_cpus() >= 2)
        return true;
    ktest_skip("needs several CPUs online (-smp 4)");
    return false;
}

/* ---- several threads at once ---- */

static int arrived;             /* atomic: threads at the barrier */
static int barrier_size;
static uint32_t cpus_at_barrier;    /* atomic: bit i: a thread passed it on CPU i */

/* Arrive, then spin with interrupts off (so that no thread that arrived
 * can leave its CPU) until all barrier_size threads have arrived: they
 * pass only if they are all on a CPU at the same time, each on its own.
 * Bounded by a count (the clock may be one of the spinning CPUs). */
static int spin_at_barrier(void *arg)
{
    (void)arg;
    uint32_t s = irq_save();
    __atomic_fetch_add(&arrived, 1, __ATOMIC_ACQ_REL);
    uint32_t n = 0;
    while (__atomic_load_n(&arrived, __ATOMIC_ACQUIRE) < barrier_size && ++n < 1u << 28)
        tlb_shootdown_handle();     /* spinning with interrupts off must answer these */
    __atomic_fetch_or(&cpus_at_barrier, 1u << cpu_id(), __ATOMIC_RELAXED);
    irq_restore(s);
    return n == 1u << 28;
}

KTEST(sched_smp, threads_run_at_once_on_every_cpu)
{
    if (!several_cpus())
        return;
    int n = smp_online_cpus();
    struct thread *t[MAX_CPUS];
    arrived = 0;
    cpus_at_barrier = 0;
    barrier_size = n;
    for (int i = 0; i < n; i++)
        t[i] = thread_create(spin_at_barrier, NULL, "barrier");
    int late = 0;
    for (int i = 0; i < n; i++)
        if (t[i] != NULL)
            late += thread_join(t[i]);
    for (int i = 0; i < n; i++)
        KASSERT(t[i] != NULL);
    KEXPECT_EQ(late, 0);                        /* all n ran at the same time */
    KEXPECT_EQ(cpus_at_barrier, (1u << n) - 1);  /* each on its own CPU */
}

/* ---- a wake-up from another CPU ---- */

static struct spinlock ping_lock = SPINLOCK_INIT("sched_smp ping");
static struct waitqueue ping_wq = WAITQUEUE_INIT(ping_wq, "sched_smp ping");
static int ping_posted;         /* protected by ping_lock */
static int ping_seen_on;        /* protected by ping_lock: the sleeper's CPU */
static int ping_done;           /* atomic */

/* Sleep until the test posts, then say on which CPU we woke. */
static int sleep_until_posted(void *arg)
{
    (void)arg;
    uint32_t s = spin_lock_irqsave(&ping_lock);
    while (!ping_posted)
        waitqueue_sleep_on(&ping_wq, &ping_lock);
    ping_seen_on = cpu_id();
    spin_unlock_irqrestore(&ping_lock, s);
    __atomic_store_n(&ping_done, 1, __ATOMIC_RELEASE);
    return 0;
}

/* The test thread wakes the sleeper and then spins with interrupts off:
 * its own CPU cannot switch, so the sleeper must run on another one
 * (an idle CPU, told by sched_wakeup()'s IPI or by its next tick). */
static int wake_and_watch(int round)
{
    struct thread *t = thread_create(sleep_until_posted, NULL, "ping");
    if (t == NULL)
        return -1;
    while (__atomic_load_n(&t->state, __ATOMIC_ACQUIRE) != THREAD_BLOCKED)
        thread_yield();         /* until it sleeps on ping_wq */
    uint32_t s = spin_lock_irqsave(&ping_lock);
    ping_posted = 1;
    ping_done = 0;
    ping_seen_on = -1;
    waitqueue_wake_one(&ping_wq);
    spin_unlock(&ping_lock);
    int me = cpu_id();
    uint32_t n = 0;
    while (!__atomic_load_n(&ping_done, __ATOMIC_ACQUIRE) && ++n < 1u << 28)
        tlb_shootdown_handle();     /* spinning with interrupts off must answer these */
    irq_restore(s);
    thread_join(t);
    ping_posted = 0;
    if (!ping_done || ping_seen_on == me) {
        ktest_fail(__FILE__, __LINE__, "round %d: woken on CPU %d, waker on CPU %d, done %d",
                   round, ping_seen_on, me, ping_done);
        return -1;
    }
    return 0;
}

KTEST(sched_smp, wakeup_runs_on_another_cpu)
{
    if (!several_cpus())
        return;
    for (int round = 0; round < 20; round++)
        if (wake_and_watch(round) != 0)
            return;
}

/* ---- switching out on one CPU, in on another ---- */

/* Fill the callee-saved registers, call fn() (which switches: a yield, a
 * sleep), count the ones that came back changed (the asm keeps values in
 * ebx, esi, edi, ebp across the call). */
static int keeps_registers(uint32_t pattern, void (*fn)(void))
{
    uint32_t ebx, esi, edi, ebp;
    /* SAFETY: saves ebp on the stack and restores it before C code runs
     * again; the two memory operands are read first, before the push
     * moves esp and before ebp changes (either may address them: GCC
     * uses esp when it realigns the frame, as under KASAN); the outputs
     * are early-clobbered so neither operand is addressed through them;
     * fn is an ordinary C function (eax, ecx, edx clobbered). */
    __asm__ volatile("movl %5, %%eax\n\t"
                     "movl %4, %%ebx\n\t"
                     "pushl %%ebp\n\t"
                     "leal 1(%%ebx), %%esi\n\t"
                     "leal 2(%%ebx), %%edi\n\t"
                     "leal 3(%%ebx), %%ebp\n\t"
                     "call *%%eax\n\t"
                     "movl %%ebp, %%eax\n\t"
                     "popl %%ebp"
                     : "=&b"(ebx), "=&S"(esi), "=&D"(edi), "=&a"(ebp)
                     : "m"(pattern), "m"(fn)
                     : "ecx", "edx", "memory", "cc");
    return (ebx != pattern) + (esi != pattern + 1) + (edi != pattern + 2) +
           (ebp != pattern + 3);
}

static int move_slept_on;       /* protected by ping_lock: where the sleeper slept */
static int move_regs_wrong;
static int cpu_held;            /* atomic: the slept-on CPU spins in hold_cpu() */
static int cpu_release;         /* atomic: hold_cpu() may return */

static void wait_posted(void)
{
    uint32_t s = spin_lock_irqsave(&ping_lock);
    move_slept_on = cpu_id();
    while (!ping_posted)
        waitqueue_sleep_on(&ping_wq, &ping_lock);
    ping_seen_on = cpu_id();
    spin_unlock_irqrestore(&ping_lock, s);
}

static int sleep_with_registers(void *arg)
{
    (void)arg;
    move_regs_wrong = keeps_registers(0x5a5a0000, wait_posted);
    __atomic_store_n(&ping_done, 1, __ATOMIC_RELEASE);
    return 0;
}

/* From smp_call: keep this CPU busy, interrupts off, until released. */
static void hold_cpu(void *arg)
{
    (void)arg;
    __atomic_store_n(&cpu_held, 1, __ATOMIC_RELEASE);
    for (uint32_t n = 0; !__atomic_load_n(&cpu_release, __ATOMIC_ACQUIRE) && n < 1u << 28; n++)
        tlb_shootdown_handle();
}

/* Wait (interrupts off, answering shootdowns) until *flag is set. */
static bool spin_until(int *flag)
{
    for (uint32_t n = 0; n < 1u << 28; n++) {
        if (__atomic_load_n(flag, __ATOMIC_ACQUIRE))
            return true;
        tlb_shootdown_handle();
    }
    return false;
}

/* A thread sleeps on CPU X; X is then kept busy with interrupts off (by
 * an smp_call, or by the test thread itself if it is on X), and so is
 * the test thread's CPU. The woken thread must resume on a third CPU,
 * from the context it saved on X, with its registers intact. */
static int move_round(int round)
{
    struct thread *t = thread_create(sleep_with_registers, NULL, "mover");
    if (t == NULL)
        return -1;
    while (__atomic_load_n(&t->state, __ATOMIC_ACQUIRE) != THREAD_BLOCKED)
        thread_yield();
    uint32_t s = spin_lock_irqsave(&ping_lock);
    int x = move_slept_on, me = cpu_id();
    ping_done = 0;
    ping_seen_on = -1;
    cpu_held = cpu_release = 0;
    bool held = x == me || (smp_call_start(x, hold_cpu, NULL) && spin_until(&cpu_held));
    if (held) {
        ping_posted = 1;
        waitqueue_wake_one(&ping_wq);
    }
    spin_unlock(&ping_lock);
    bool done = held && spin_until(&ping_done);
    __atomic_store_n(&cpu_release, 1, __ATOMIC_RELEASE);
    if (x != me)
        smp_call_wait();
    irq_restore(s);
    if (!held) {                /* never woken: let it go, then report */
        s = spin_lock_irqsave(&ping_lock);
        ping_posted = 1;
        waitqueue_wake_one(&ping_wq);
        spin_unlock_irqrestore(&ping_lock, s);
    }
    thread_join(t);
    ping_posted = 0;
    if (!held || !done || ping_seen_on == x || ping_seen_on == me || move_regs_wrong != 0) {
        ktest_fail(__FILE__, __LINE__, "round %d: slept on CPU %d (held %d), test on CPU %d, "
                   "resumed on CPU %d (done %d), %d registers changed", round, x, held, me,
                   ping_seen_on, done, move_regs_wrong);
        return -1;
    }
    return 0;
}

KTEST(sched_smp, sleeper_resumes_on_another_cpu_intact)
{
    if (smp_online_cpus() < 3) {
        ktest_skip("needs three CPUs online (-smp 4)");
        return;
    }
    for (int round = 0; round < 20; round++)
        if (move_round(round) != 0)
            return;
}

/* Every yield takes sched_lock: with all threads yielding the one lock is
 * contended nearly always (the test prints how often), and under TCG a
 * vCPU holding it may be descheduled by the host. 500 keep the case at
 * seconds, and still give thousands of moves between CPUs. */
#define STORM_YIELDS 500

static uint32_t storm_cpus;     /* atomic: bit i: a storm thread ran on CPU i */
static int storm_moves;         /* atomic: yields that came back on another CPU */

/* Yield STORM_YIELDS times; after each, the registers must be ours and
 * current_thread must be us. Returns the number of wrong things seen. */
static int yield_storm(void *arg)
{
    struct thread *me = thread_current();
    uint32_t pattern = (uint32_t)NUM(arg) << 16;
    int wrong = 0;
    for (int i = 0; i < STORM_YIELDS; i++) {
        uint32_t s = irq_save();
        int before = cpu_id();
        irq_restore(s);
        wrong += keeps_registers(pattern + (uint32_t)i * 0x10, thread_yield);
        wrong += thread_current() != me;
        s = irq_save();
        int after = cpu_id();
        irq_restore(s);
        __atomic_fetch_or(&storm_cpus, 1u << after, __ATOMIC_RELAXED);
        if (after != before)
            __atomic_fetch_add(&storm_moves, 1, __ATOMIC_RELAXED);
    }
    return wrong;
}

KTEST(sched_smp, threads_move_between_cpus_intact)
{
    if (!several_cpus())
        return;
    int n = 2 * smp_online_cpus();
    struct thread *t[2 * MAX_CPUS];
    storm_cpus = 0;
    storm_moves = 0;
    uint32_t s = sched_lock_irqsave();
    uint32_t taken = sched_lock_taken, contended = sched_lock_contended;
    sched_unlock_irqrestore(s);
    for (int i = 0; i < n; i++)
        t[i] = thread_create(yield_storm, ARG(0x1000 + i), "storm");
    int wrong = 0;
    for (int i = 0; i < n; i++)
        if (t[i] != NULL)
            wrong += thread_join(t[i]);
    for (int i = 0; i < n; i++)
        KASSERT(t[i] != NULL);
    KEXPECT_EQ(wrong, 0);
    KEXPECT(__builtin_popcount(storm_cpus) >= 2);   /* they did run on several CPUs */
    s = sched_lock_irqsave();
    taken = sched_lock_taken - taken;
    contended = sched_lock_contended - contended;
    sched_unlock_irqrestore(s);
    kprintf("sched_smp: %d threads on %d CPUs, %d yields: %d came back on another CPU; "
            "sched_lock taken %u times, %u of them (%u%%) found it held\n", n,
            smp_online_cpus(), n * STORM_YIELDS, storm_moves, taken, contended,
            taken ? 100 * contended / taken : 0);
}

/* ---- sleep, exit, join on several CPUs ---- */

/* Sleep a few ticks a few times, then exit with arg (from deep down for
 * odd args, by returning for even ones). */
static int nap_and_exit(void *arg)
{
    int k = NUM(arg);
    for (int i = 0; i < 3; i++)
        thread_sleep((uint32_t)(1 + (k + i) % 4));
    if (k % 2)
        thread_exit(k);
    return k;
}

KTEST(sched_smp, sleep_join_and_exit)
{
    if (!several_cpus())
        return;
    enum { N = 24 };
    struct thread *t[N];
    for (int round = 0; round < 5; round++) {
        for (int i = 0; i < N; i++)
            t[i] = thread_create(nap_and_exit, ARG(round * N + i), "nap");
        for (int i = 0; i < N; i++)
            KASSERT(t[i] != NULL);
        /* Join in reverse: many are zombies by then, some still asleep. */
        for (int i = N - 1; i >= 0; i--)
            KEXPECT_EQ(thread_join(t[i]), round * N + i);
    }
}
#endif /* LAB >= 5 */
