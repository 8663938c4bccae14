/*
 * sync_test.c -- lab 5: the synchronization primitives and the kernel's
 * checks on its own locking (kernel/sync/).
 *
 * The cases run in thread "main" and start threads of their own. They
 * never sleep to synchronize: a case that waits for another thread to
 * reach a state polls that state (yielding) with a deadline, and says
 * what it saw when the deadline passes. They run at -smp 1 and at -smp 4;
 * the ticket-lock FIFO case needs four CPUs for real waiters and checks
 * the ticket arithmetic alone on fewer.
 *
 * Cases that provoke a lock-check report arm an expectation first
 * (sync_expect, check.h): the report is printed and copied, the offending
 * call returns harmlessly, and the case asserts on the report's text.
 */
#if LAB >= 5
#include "arch/i386/cpu.h"
#include "ktest.h"
#include "console.h"
#include "proc/sched.h"
#include "proc/thread.h"
#include "sync/check.h"
#include "sync/condvar.h"
#include "sync/guard.h"
#include "sync/held.h"
#include "sync/mutex.h"
#include "sync/once.h"
#include "sync/rwlock.h"
#include "sync/semaphore.h"
#include "sync/spinlock.h"
#include "sync/take.h"
#include "arch/i386/irq.h"
#include "arch/i386/percpu.h"
#include "arch/i386/pit.h"
#include <string.h>

/* ---- helpers ---- */

/* SAFETY: integer <-> pointer: the cases pass small numbers as arg. */
#define ARG(n) ((void *)(uintptr_t)(n))
#define NUM(p) ((int)(uintptr_t)(p))

#define NTHREADS 4

static uint32_t deadline_ticks(void)
{
    return pit_hz * 10;         /* generous: a loaded 2-core host, 4 vCPUs */
}

static enum thread_state state_of(struct thread *t)
{
    return __atomic_load_n(&t->state, __ATOMIC_ACQUIRE);
}

/* Yield until t is BLOCKED (at most the deadline); true if it is. */
static bool wait_blocked(struct thread *t)
{
    uint32_t start = pit_ticks;
    while (state_of(t) != THREAD_BLOCKED && pit_ticks - start < deadline_ticks())
        thread_yield();
    return state_of(t) == THREAD_BLOCKED;
}

/* Yield until *counter >= want (at most the deadline); true if it got there. */
static bool wait_count(int *counter, int want)
{
    uint32_t start = pit_ticks;
    while (__atomic_load_n(counter, __ATOMIC_ACQUIRE) < want &&
           pit_ticks - start < deadline_ticks())
        thread_yield();
    return __atomic_load_n(counter, __ATOMIC_ACQUIRE) >= want;
}

static int zombies(struct thread **t, int n)
{
    int z = 0;
    for (int i = 0; i < n; i++)
        z += state_of(t[i]) == THREAD_ZOMBIE;
    return z;
}

/* Yield until one of t[0..n) has exited (at most the deadline). */
static bool wait_one_zombie(struct thread **t, int n)
{
    uint32_t start = pit_ticks;
    while (zombies(t, n) == 0 && pit_ticks - start < deadline_ticks())
        thread_yield();
    return zombies(t, n) > 0;
}

static bool start_all(struct thread **t, int n, int (*fn)(void *), const char *name)
{
    for (int i = 0; i < n; i++)
        if ((t[i] = thread_create(fn, ARG(i), name)) == NULL)
            return false;
    return true;
}

static void join_all(struct thread **t, int n)
{
    for (int i = 0; i < n; i++)
        thread_join(t[i]);
}

/* ---- counters under a lock ---- */

/* 1,000,000 on one CPU. With several, under TCG on a loaded host, a fair
 * ticket lock hands over only when the next waiter's vCPU thread happens
 * to run on the host: each handover can cost a host time slice, so the
 * case would take many minutes; 40,000 still races four CPUs hard. */
#define SPIN_INCREMENTS_UP  1000000
#define SPIN_INCREMENTS_SMP 40000
static int spin_increments;
/* Fewer: with waiters, every unlock hands over to a sleeping thread (a
 * wake-up, an IPI, a switch on another CPU), slow under TCG. */
#define MUTEX_INCREMENTS 20000

static struct spinlock counter_lock = SPINLOCK_INIT("sync_test counter");
static uint32_t counter;                /* protected by counter_lock / counter_mutex */
static struct mutex counter_mutex;

static int spin_incrementer(void *arg)
{
    (void)arg;
    for (int i = 0; i < spin_increments / NTHREADS; i++) {
        spin_lock(&counter_lock);
        counter++;
        spin_unlock(&counter_lock);
        if (i % 32 == 0)        /* a live case keeps printing (ktest.h) */
            ktest_progress();
    }
    return 0;
}

static int mutex_incrementer(void *arg)
{
    (void)arg;
    for (int i = 0; i < MUTEX_INCREMENTS / NTHREADS; i++) {
        {
            MUTEX_GUARD(&counter_mutex);
            counter++;
        }
        if (i % 32 == 0)        /* outside the mutex: a live case keeps printing */
            ktest_progress();
    }
    return 0;
}

KTEST(sync, spin_counter_exact)
{
    struct thread *t[NTHREADS];
    counter = 0;
    spin_increments = ncpus > 1 ? SPIN_INCREMENTS_SMP : SPIN_INCREMENTS_UP;
    uint32_t start = pit_ticks;
    KASSERT(start_all(t, NTHREADS, spin_incrementer, "spin-inc"));
    join_all(t, NTHREADS);
    kprintf("sync.spin_counter_exact: %d increments in %u ticks\n", spin_increments,
            pit_ticks - start);
    KEXPECT_EQ(counter, spin_increments);
    KEXPECT_EQ(this_cpu()->spinlocks_held, 0);
}

KTEST(sync, mutex_counter_exact)
{
    struct thread *t[NTHREADS];
    counter = 0;
    mutex_init(&counter_mutex, "sync_test counter mutex");
    uint32_t start = pit_ticks;
    KASSERT(start_all(t, NTHREADS, mutex_incrementer, "mutex-inc"));
    join_all(t, NTHREADS);
    kprintf("sync.mutex_counter_exact: %d increments in %u ticks\n", MUTEX_INCREMENTS,
            pit_ticks - start);
    KEXPECT_EQ(counter, MUTEX_INCREMENTS);
    KEXPECT(counter_mutex.owner == NULL);
}

/* ---- the ticket lock serves in ticket order ---- */

static struct spinlock fifo_lock = SPINLOCK_INIT("sync_test fifo");
static int fifo_order[NTHREADS];        /* protected by fifo_lock */
static int fifo_n;

static int ticket_waiter(void *arg)
{
    spin_lock(&fifo_lock);
    fifo_order[fifo_n] = NUM(arg);
    __atomic_store_n(&fifo_n, fifo_n + 1, __ATOMIC_RELEASE);
    spin_unlock(&fifo_lock);
    return 0;
}

static uint16_t tickets_waiting(void)
{
    return (uint16_t)(__atomic_load_n(&fifo_lock.next, __ATOMIC_ACQUIRE) -
                      __atomic_load_n(&fifo_lock.owner, __ATOMIC_ACQUIRE) - 1);
}

KTEST(sync, ticket_fifo)
{
    if (ncpus < NTHREADS) {
        /* One waiter per CPU is needed for real spinning waiters (a CPU
         * that holds a spinlock is not preempted). Check the discipline
         * itself: tickets are served in the order they were taken. */
        spin_init(&fifo_lock, "sync_test fifo");
        spin_lock(&fifo_lock);
        uint16_t first = __atomic_fetch_add(&fifo_lock.next, 1, __ATOMIC_RELAXED);
        uint16_t second = __atomic_fetch_add(&fifo_lock.next, 1, __ATOMIC_RELAXED);
        KEXPECT_EQ(second, (uint16_t)(first + 1));
        spin_unlock(&fifo_lock);
        KEXPECT_EQ(fifo_lock.owner, first);      /* the first waiter's turn */
        spin_init(&fifo_lock, "sync_test fifo");
        ktest_skip("fewer than 4 CPUs: ticket order checked without spinning waiters");
        return;
    }
    struct thread *t[NTHREADS - 1];
    spin_init(&fifo_lock, "sync_test fifo");
    fifo_n = 0;
    spin_lock(&fifo_lock);
    uint32_t start = pit_ticks;
    bool ok = true;
    /* Start the waiters one at a time; each has its ticket (it spins)
     * before the next one starts. */
    for (int i = 0; ok && i < NTHREADS - 1; i++) {
        t[i] = thread_create(ticket_waiter, ARG(i + 1), "ticket");
        ok = t[i] != NULL;
        while (ok && tickets_waiting() < i + 1)
            ok = pit_ticks - start < deadline_ticks();
    }
    int waiting = tickets_waiting();
    spin_unlock(&fifo_lock);
    KASSERT(ok);
    KEXPECT_EQ(waiting, NTHREADS - 1);
    join_all(t, NTHREADS - 1);
    KEXPECT_EQ(fifo_n, NTHREADS - 1);
    for (int i = 0; i < NTHREADS - 1; i++)
        KEXPECT_EQ(fifo_order[i], i + 1);
}

/* ---- the mutex blocks its waiters and hands over in FIFO order ---- */

static struct mutex fifo_mutex;
static int mutex_order[NTHREADS];       /* protected by fifo_mutex */
static int mutex_n;                     /* protected by fifo_mutex */

static int mutex_waiter(void *arg)
{
    mutex_lock(&fifo_mutex);
    mutex_order[mutex_n++] = NUM(arg);
    mutex_unlock(&fifo_mutex);
    return 0;
}

KTEST(sync, mutex_blocks_and_hands_over_fifo)
{
    struct thread *t[NTHREADS - 1];
    mutex_init(&fifo_mutex, "sync_test fifo mutex");
    mutex_n = 0;
    mutex_lock(&fifo_mutex);
    KEXPECT(mutex_held(&fifo_mutex));
    for (int i = 0; i < NTHREADS - 1; i++) {
        t[i] = thread_create(mutex_waiter, ARG(i + 1), "mutex-waiter");
        KASSERT(t[i] != NULL);
        KASSERT(wait_blocked(t[i]));        /* queued before the next starts */
    }
    /* Waiters use no CPU: a few ticks later they are still blocked and
     * have been charged no tick. */
    uint32_t ticks[NTHREADS - 1];
    for (int i = 0; i < NTHREADS - 1; i++)
        ticks[i] = t[i]->ticks;
    thread_sleep(5);
    for (int i = 0; i < NTHREADS - 1; i++) {
        KEXPECT_EQ(state_of(t[i]), THREAD_BLOCKED);
        KEXPECT_EQ(t[i]->ticks, ticks[i]);
    }
    mutex_unlock(&fifo_mutex);
    /* Handed over, not released: the first waiter owns it before it runs,
     * so nobody (we ourselves) can barge in ahead of the queued waiters. */
    bool got = mutex_trylock(&fifo_mutex);
    int served = mutex_n;
    if (got)
        mutex_unlock(&fifo_mutex);
    if (got && served < NTHREADS - 1)
        ktest_fail(__FILE__, __LINE__, "mutex_trylock() got the mutex with %d of %d queued "
                   "waiters not yet served: no FIFO handover", NTHREADS - 1 - served,
                   NTHREADS - 1);
    join_all(t, NTHREADS - 1);
    KEXPECT_EQ(mutex_n, NTHREADS - 1);
    for (int i = 0; i < NTHREADS - 1; i++)
        KEXPECT_EQ(mutex_order[i], i + 1);
    KEXPECT(mutex_trylock(&fifo_mutex));
    mutex_unlock(&fifo_mutex);
}

/* ---- condition variable: signal wakes one, broadcast wakes all ---- */

static struct mutex cv_mutex;
static struct condvar cv;
static int cv_tickets;                  /* protected by cv_mutex */
static int cv_woken;           /* protected by cv_mutex */

static int cv_waiter(void *arg)
{
    (void)arg;
    mutex_lock(&cv_mutex);
    while (cv_tickets == 0)
        cond_wait(&cv, &cv_mutex);
    cv_tickets--;
    __atomic_store_n(&cv_woken, cv_woken + 1, __ATOMIC_RELEASE);
    mutex_unlock(&cv_mutex);
    return 0;
}

static int blocked_on_cv(struct thread **t, int n)
{
    int blocked = 0;
    for (int i = 0; i < n; i++)
        blocked += state_of(t[i]) == THREAD_BLOCKED && t[i]->waiting_on == &cv.waiters;
    return blocked;
}

KTEST(sync, condvar_signal_one_broadcast_all)
{
    struct thread *t[NTHREADS];
    mutex_init(&cv_mutex, "sync_test cv mutex");
    cond_init(&cv, "sync_test cv");
    cv_tickets = 0;
    cv_woken = 0;
    KEXPECT(!cond_signal(&cv));             /* nobody waits: nobody woken */
    KASSERT(start_all(t, NTHREADS, cv_waiter, "cv-waiter"));
    /* Blocked is not enough: on a loaded host a waiter can be seen asleep
     * on cv_mutex, which another waiter holds for a moment on its way
     * into cond_wait(). Wait until all of them sleep on the condvar. */
    uint32_t start = pit_ticks;
    while (blocked_on_cv(t, NTHREADS) != NTHREADS && pit_ticks - start < deadline_ticks())
        thread_yield();
    KEXPECT_EQ(blocked_on_cv(t, NTHREADS), NTHREADS);

    /* One ticket, one signal: exactly one thread wakes and leaves. */
    mutex_lock(&cv_mutex);
    cv_tickets = 1;
    KEXPECT(cond_signal(&cv));
    mutex_unlock(&cv_mutex);
    KASSERT(wait_count(&cv_woken, 1));
    KASSERT(wait_one_zombie(t, NTHREADS));
    KEXPECT_EQ(blocked_on_cv(t, NTHREADS), NTHREADS - 1);
    KEXPECT_EQ(cv_woken, 1);

    /* Three tickets, a broadcast: the three others wake. */
    mutex_lock(&cv_mutex);
    cv_tickets = NTHREADS - 1;
    KEXPECT_EQ(cond_broadcast(&cv), NTHREADS - 1);
    mutex_unlock(&cv_mutex);
    join_all(t, NTHREADS);
    KEXPECT_EQ(cv_woken, NTHREADS);
    KEXPECT_EQ(cv_tickets, 0);
    KEXPECT_EQ(cond_broadcast(&cv), 0);
}

/* ---- reader-writer lock ---- */

static struct rwlock rw;
static int rw_readers_in, rw_release;
static int rw_order[4], rw_n;           /* protected by rw (as writer) or by order */

static int rw_reader(void *arg)
{
    read_lock(&rw);
    __atomic_fetch_add(&rw_readers_in, 1, __ATOMIC_ACQ_REL);
    if (NUM(arg) != 0)
        rw_order[__atomic_fetch_add(&rw_n, 1, __ATOMIC_ACQ_REL)] = NUM(arg);
    while (!__atomic_load_n(&rw_release, __ATOMIC_ACQUIRE))
        thread_yield();
    read_unlock(&rw);
    return 0;
}

static int rw_writer(void *arg)
{
    write_lock(&rw);
    rw_order[__atomic_fetch_add(&rw_n, 1, __ATOMIC_ACQ_REL)] = NUM(arg);
    write_unlock(&rw);
    return 0;
}

KTEST(sync, rwlock_readers_share_writer_alone_first)
{
    rwlock_init(&rw, "sync_test rwlock");
    rw_readers_in = rw_release = rw_n = 0;
    read_lock(&rw);
    /* A second reader gets in while we read. */
    struct thread *r1 = thread_create(rw_reader, ARG(0), "reader");
    KASSERT(r1 != NULL);
    KASSERT(wait_count(&rw_readers_in, 1));
    /* A writer waits for both readers... */
    struct thread *w = thread_create(rw_writer, ARG(1), "writer");
    KASSERT(w != NULL);
    KASSERT(wait_blocked(w));
    /* ...and a reader that comes after the writer waits behind it. */
    struct thread *r2 = thread_create(rw_reader, ARG(2), "late-reader");
    KASSERT(r2 != NULL);
    KASSERT(wait_blocked(r2));
    KEXPECT_EQ(rw_readers_in, 1);
    KEXPECT_EQ(rw_n, 0);
    read_unlock(&rw);
    __atomic_store_n(&rw_release, 1, __ATOMIC_RELEASE);
    thread_join(r1);
    thread_join(w);
    thread_join(r2);
    KEXPECT_EQ(rw_n, 2);
    KEXPECT_EQ(rw_order[0], 1);             /* the writer first */
    KEXPECT_EQ(rw_order[1], 2);             /* then the late reader */
    KEXPECT(rw.readers == 0 && rw.writer == NULL && rw.writers_waiting == 0);
}

/* ---- once, LAZY, take-once ---- */

static struct once init_once = ONCE_INIT(init_once);
static int init_runs, init_value;
static int once_seen[NTHREADS];

static void slow_init(void *arg)
{
    (void)arg;
    __atomic_fetch_add(&init_runs, 1, __ATOMIC_ACQ_REL);
    for (int i = 0; i < 20; i++)            /* let the others arrive and wait */
        thread_yield();
    init_value = 42;
}

static int once_caller(void *arg)
{
    once_call(&init_once, slow_init, NULL);
    once_seen[NUM(arg)] = init_value;       /* done means done: 42 */
    return 0;
}

static int lazy_computed;
static int compute_answer(void)
{
    __atomic_fetch_add(&lazy_computed, 1, __ATOMIC_ACQ_REL);
    thread_yield();
    return 42;
}
LAZY(int, lazy_answer, compute_answer)

static int lazy_user(void *arg)
{
    (void)arg;
    return *lazy_answer();
}

static int taken_object = 7;
static struct take_once take_slot = TAKE_ONCE_INIT(&taken_object, "sync_test object");
static int takers_won;

static int taker(void *arg)
{
    (void)arg;
    if (TAKE_ONCE(&take_slot) == &taken_object)
        __atomic_fetch_add(&takers_won, 1, __ATOMIC_ACQ_REL);
    return 0;
}

KTEST(sync, once_runs_once)
{
    struct thread *t[NTHREADS];
    KASSERT(start_all(t, NTHREADS, once_caller, "once"));
    join_all(t, NTHREADS);
    KEXPECT_EQ(init_runs, 1);
    for (int i = 0; i < NTHREADS; i++)
        KEXPECT_EQ(once_seen[i], 42);
    KEXPECT(once_done(&init_once));
    once_call(&init_once, slow_init, NULL);
    KEXPECT_EQ(init_runs, 1);

    KASSERT(start_all(t, NTHREADS, lazy_user, "lazy"));
    for (int i = 0; i < NTHREADS; i++)
        KEXPECT_EQ(thread_join(t[i]), 42);
    KEXPECT_EQ(lazy_computed, 1);

    KASSERT(start_all(t, NTHREADS, taker, "taker"));
    join_all(t, NTHREADS);
    KEXPECT_EQ(takers_won, 1);
    KEXPECT(TAKE_ONCE(&take_slot) == NULL);
}

/* ---- guards release on every way out ---- */

static struct spinlock guard_lock = SPINLOCK_INIT("sync_test guard");
static struct mutex guard_mutex;

static int guarded_paths(int how)
{
    LOCK_GUARD(&guard_lock);
    for (int i = 0; i < 10; i++) {
        if (how == 0 && i == 3)
            return i;                       /* return from a loop */
        if (how == 1 && i == 4)
            break;
        if (how == 2 && i == 5)
            goto out;
    }
    return -1;
out:
    return -2;
}

static bool irq_guarded(void)
{
    SPIN_GUARD_IRQ(&guard_lock);
    return irq_enabled();
}

static bool mutex_guarded(void)
{
    MUTEX_GUARD(&guard_mutex);
    return mutex_held(&guard_mutex);
}

KTEST(sync, guards_release_on_every_path)
{
    mutex_init(&guard_mutex, "sync_test guard mutex");
    int before = this_cpu()->spinlocks_held;
    KEXPECT_EQ(guarded_paths(0), 3);
    KEXPECT(!spin_held(&guard_lock));
    KEXPECT_EQ(guarded_paths(1), -1);
    KEXPECT(!spin_held(&guard_lock));
    KEXPECT_EQ(guarded_paths(2), -2);
    KEXPECT(!spin_held(&guard_lock));
    KEXPECT_EQ(this_cpu()->spinlocks_held, before);
    KEXPECT(irq_enabled());
    KEXPECT(!irq_guarded());                /* off inside... */
    KEXPECT(irq_enabled());                 /* ...back on after */
    KEXPECT(mutex_guarded());
    KEXPECT(guard_mutex.owner == NULL);
    {
        LOCK_GUARD(&guard_lock);
        KEXPECT(spin_held(&guard_lock));
    }
    KEXPECT(!spin_held(&guard_lock));
}

/* ---- the irq-saving lock keeps the timer handler out ---- */

/* Timer interrupts this CPU has handled: the PIT's count on CPU 0 (at
 * -smp 1 the only clock), plus the CPU's own timer ticks. Call with
 * interrupts off (no migration between the reads). */
static uint32_t local_timer_count(void)
{
    struct cpu *c = this_cpu();
    return c->ticks + (c->id == 0 ? pit_ticks : 0);
}

static struct spinlock irq_lock = SPINLOCK_INIT("sync_test irq lock");

KTEST(sync, irqlock_keeps_timer_out)
{
    /* How long two ticks take, in TSC units, interrupts on. */
    uint32_t t = pit_ticks;
    while (pit_ticks == t)
        ;
    uint64_t t0 = cpu_read_tsc();
    t = pit_ticks;
    while (pit_ticks - t < 2)
        ;
    uint64_t per_tick = (cpu_read_tsc() - t0) / 2;
    KASSERT(per_tick > 0);

    /* Hold the irq-saving lock for five ticks' worth of time: the timer
     * fires meanwhile, but its handler cannot run on this CPU. */
    uint32_t s = spin_lock_irqsave(&irq_lock);
    uint32_t before = local_timer_count();
    uint64_t start = cpu_read_tsc();
    while (cpu_read_tsc() - start < 5 * per_tick)
        ;
    uint32_t after = local_timer_count();
    bool off = !irq_enabled();
    spin_unlock_irqrestore(&irq_lock, s);
    KEXPECT(off);
    KEXPECT_EQ(after, before);
    /* And once released, the ticks come again. */
    t = pit_ticks;
    uint64_t wait = cpu_read_tsc();
    while (pit_ticks == t && cpu_read_tsc() - wait < 100 * per_tick)
        ;
    KEXPECT(pit_ticks != t);
}

/* ---- lockdep: an AB-BA inversion, reported on its first occurrence ---- */

static struct spinlock lock_a = SPINLOCK_INIT("sync_test A");
static struct spinlock lock_b = SPINLOCK_INIT("sync_test B");

static __attribute__((noinline)) void take_a_then_b(void)
{
    spin_lock(&lock_a);
    spin_lock(&lock_b);
    spin_unlock(&lock_b);
    spin_unlock(&lock_a);
}

static __attribute__((noinline)) void take_b_then_a(void)
{
    spin_lock(&lock_b);
    spin_lock(&lock_a);
    spin_unlock(&lock_a);
    spin_unlock(&lock_b);
}

static int a_then_b_thread(void *arg)
{
    (void)arg;
    take_a_then_b();
    take_a_then_b();        /* the same order again: nothing to say */
    return 0;
}

static struct sync_expect seen;

KTEST(sync, lockdep_reports_ab_ba_once)
{
    KASSERT(sync_checks);
    seen.problem = SYNC_LOCK_ORDER;
    sync_expect(&seen);
    /* One thread takes A then B, and is gone... */
    struct thread *t = thread_create(a_then_b_thread, NULL, "a-then-b");
    KASSERT(t != NULL);
    thread_join(t);
    KEXPECT_EQ(seen.hits, 0);
    /* ...later, another takes B then A: no deadlock happened (they never
     * overlapped), but it could have. Reported now, with both stacks. */
    take_b_then_a();
    KEXPECT_EQ(seen.hits, 1);
    KEXPECT(strstr(seen.text, "lock order inversion") != NULL);
    KEXPECT(strstr(seen.text, "'sync_test A'") != NULL);
    KEXPECT(strstr(seen.text, "'sync_test B'") != NULL);
    /* The earlier order's stack, then this one's. */
    const char *earlier = strstr(seen.text, "Earlier:");
    const char *now = strstr(seen.text, "Now:");
    KEXPECT(earlier != NULL && now != NULL && earlier < now);
    KEXPECT(earlier != NULL && strstr(earlier, "take_a_then_b") != NULL);
    KEXPECT(now != NULL && strstr(now, "take_b_then_a") != NULL);
    /* The first occurrence only. */
    take_b_then_a();
    take_a_then_b();
    KEXPECT_EQ(seen.hits, 1);
    sync_expect(NULL);
    if (ktest_failed())
        ktest_fail(__FILE__, __LINE__, "report was: %s", seen.text);
}

/* ---- sleeping with a spinlock held, or in an interrupt handler ---- */

static struct spinlock sleep_lock = SPINLOCK_INIT("sync_test held spinlock");
static struct mutex sleep_mutex;
static struct semaphore sleep_sem;

KTEST(sync, sleep_with_spinlock_reported)
{
    KASSERT(sync_checks);
    mutex_init(&sleep_mutex, "sync_test mutex");
    sem_init(&sleep_sem, 1, "sync_test sem");
    seen.problem = SYNC_SLEEP_WITH_SPINLOCK;
    sync_expect(&seen);
    spin_lock(&sleep_lock);
    mutex_lock(&sleep_mutex);       /* free: it would not really sleep, but may */
    KEXPECT_EQ(seen.hits, 1);
    KEXPECT(strstr(seen.text, "mutex_lock(sync_test mutex)") != NULL);
    KEXPECT(strstr(seen.text, "'sync_test held spinlock'") != NULL);
    mutex_unlock(&sleep_mutex);
    sem_down(&sleep_sem);
    KEXPECT_EQ(seen.hits, 2);
    KEXPECT(strstr(seen.text, "sem_down(sync_test sem)") != NULL);
    spin_unlock(&sleep_lock);
    sem_up(&sleep_sem);
    /* Without the spinlock, no report. */
    mutex_lock(&sleep_mutex);
    mutex_unlock(&sleep_mutex);
    KEXPECT_EQ(seen.hits, 2);
    sync_expect(NULL);
}

KTEST(sync, sleep_in_irq_reported)
{
    KASSERT(sync_checks);
    mutex_init(&sleep_mutex, "sync_test mutex");
    seen.problem = SYNC_SLEEP_IN_IRQ;
    sync_expect(&seen);
    /* What trap() does around a handler (irq_depth), interrupts off as in
     * a handler: then a handler's mutex_lock. */
    uint32_t s = irq_save();
    this_cpu()->irq_depth++;
    mutex_lock(&sleep_mutex);
    mutex_unlock(&sleep_mutex);
    this_cpu()->irq_depth--;
    irq_restore(s);
    KEXPECT_EQ(seen.hits, 1);
    KEXPECT(strstr(seen.text, "in an interrupt handler") != NULL);
    KEXPECT(strstr(seen.text, "sync_test mutex") != NULL);
    sync_expect(NULL);
}

/* ---- recursion, and releasing what you do not hold ---- */

static struct spinlock rec_lock = SPINLOCK_INIT("sync_test recursive");
static struct mutex rec_mutex;

static int foreign_unlock(void *arg)
{
    (void)arg;
    mutex_unlock(&rec_mutex);       /* main owns it */
    return 0;
}

KTEST(sync, recursion_and_foreign_unlock_reported)
{
    mutex_init(&rec_mutex, "sync_test rec mutex");
    seen.problem = SYNC_RECURSION;
    sync_expect(&seen);
    spin_lock(&rec_lock);
    spin_lock(&rec_lock);
    KEXPECT_EQ(seen.hits, 1);
    KEXPECT(strstr(seen.text, "spin_lock(sync_test recursive)") != NULL);
    spin_unlock(&rec_lock);
    KEXPECT(!spin_held(&rec_lock));
    mutex_lock(&rec_mutex);
    mutex_lock(&rec_mutex);
    KEXPECT_EQ(seen.hits, 2);
    KEXPECT(strstr(seen.text, "mutex_lock(sync_test rec mutex)") != NULL);

    seen.problem = SYNC_NOT_HELD;
    sync_expect(&seen);
    struct thread *t = thread_create(foreign_unlock, NULL, "foreign");
    KASSERT(t != NULL);
    thread_join(t);
    KEXPECT_EQ(seen.hits, 1);
    KEXPECT(strstr(seen.text, "mutex_unlock(sync_test rec mutex)") != NULL);
    KEXPECT(mutex_held(&rec_mutex));        /* still ours */
    mutex_unlock(&rec_mutex);
    spin_unlock(&rec_lock);                 /* free: not held */
    KEXPECT_EQ(seen.hits, 2);
    KEXPECT(strstr(seen.text, "spin_unlock(sync_test recursive)") != NULL);
    sync_expect(NULL);
    /* Both still work. */
    spin_lock(&rec_lock);
    spin_unlock(&rec_lock);
    KEXPECT(mutex_trylock(&rec_mutex));
    mutex_unlock(&rec_mutex);
}
/* ---- the registry behind the `locks` command ---- */

static struct spinlock reg_lock = SPINLOCK_INIT("sync_test registry spin");
static struct mutex reg_mutex;

static const struct held_lock *find_held(const struct held_lock *h, int n, const void *lock)
{
    for (int i = 0; i < n; i++)
        if (h[i].lock == lock)
            return &h[i];
    return NULL;
}

KTEST(sync, locks_registry)
{
    static struct held_lock h[HELD_MAX];
    KASSERT(sync_checks);
    mutex_init(&reg_mutex, "sync_test registry mutex");
    mutex_lock(&reg_mutex);
    spin_lock(&reg_lock);
    int n = held_all(h, HELD_MAX);
    held_print();                   /* what `locks` shows, on the console */
    spin_unlock(&reg_lock);
    const struct held_lock *s = find_held(h, n, &reg_lock);
    const struct held_lock *m = find_held(h, n, &reg_mutex);
    KASSERT(s != NULL && m != NULL);
    KEXPECT_STREQ(s->name, "sync_test registry spin");
    KEXPECT_EQ(s->kind, LOCK_SPIN);
    KEXPECT(s->thread == current_thread);
    KEXPECT_STREQ(m->name, "sync_test registry mutex");
    KEXPECT_EQ(m->kind, LOCK_MUTEX);
    KEXPECT(m->thread == current_thread);
    /* Taken in this function: where points into it. */
    /* SAFETY: pointer -> integer: a code address, only compared. */
    uintptr_t here = (uintptr_t)&ktest_fn_sync_locks_registry;
    KEXPECT(s->where > here && s->where < here + 0x400);
    KEXPECT(m->where > here && m->where < here + 0x400);
    n = held_all(h, HELD_MAX);
    KEXPECT(find_held(h, n, &reg_lock) == NULL);
    mutex_unlock(&reg_mutex);
    n = held_all(h, HELD_MAX);
    KEXPECT(find_held(h, n, &reg_mutex) == NULL);
}
#endif /* LAB >= 5 */
