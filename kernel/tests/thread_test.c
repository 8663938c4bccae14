/*
 * thread_test.c -- lab 4: threads, the context switch, the scheduler,
 * sleeping, wait queues.
 *
 * The cases run in the thread "main" and start threads of their own. A
 * case that would hang on a broken kernel (a lost wake-up, a thread that
 * never runs) waits with a deadline instead and reports what it saw.
 */
#if LAB >= 4
#include "ktest.h"
#include "mm/kmalloc.h"
#include "mm/pmm.h"
#include "proc/sched.h"
#include "proc/thread.h"
#include "sync/semaphore.h"
#include "arch/i386/context.h"
#include "arch/i386/irq.h"
#include "arch/i386/pit.h"
#include <string.h>

/* ---- helpers ---- */

static int return_arg(void *arg)
{
    /* SAFETY: pointer -> integer: the tests pass small numbers as arg. */
    return (int)(uintptr_t)arg;
}

static __attribute__((noinline, noreturn)) void exit_from_deep(int depth, int status)
{
    if (depth > 0)
        exit_from_deep(depth - 1, status);
    thread_exit(status);
}

static int exit_nested(void *arg)
{
    /* SAFETY: as in return_arg. */
    exit_from_deep(5, (int)(uintptr_t)arg);
    return -1;      /* not reached */
}

static int sleep_then_return(void *arg)
{
    thread_sleep(20);
    return return_arg(arg);
}

/* SAFETY: integer -> pointer, the inverse of return_arg. */
#define ARG(n) ((void *)(uintptr_t)(n))

/* Wait (sleeping, one tick at a time) until t is a zombie, at most
 * `ticks` ticks; true if it became one. */
static bool wait_for_zombie(struct thread *t, uint32_t ticks)
{
    for (uint32_t i = 0; i < ticks && t->state != THREAD_ZOMBIE; i++)
        thread_sleep(1);
    return t->state == THREAD_ZOMBIE;
}

static uint32_t rng_state;
static uint32_t rng(void)
{
    rng_state = rng_state * 1664525u + 1013904223u;
    return rng_state >> 8;
}

/* ---- create, exit, join ---- */

KTEST(thread, join_returns_status)
{
    struct thread *t = thread_create(return_arg, ARG(42), "ret42");
    KASSERT(t != NULL);
    KEXPECT_EQ(thread_join(t), 42);

    /* thread_exit() from deep inside the thread's own calls. */
    t = thread_create(exit_nested, ARG(7), "exit7");
    KASSERT(t != NULL);
    KEXPECT_EQ(thread_join(t), 7);

    /* A thread that is still asleep when we join: join must wait. */
    uint32_t start = pit_ticks;
    t = thread_create(sleep_then_return, ARG(-3), "sleeper");
    KASSERT(t != NULL);
    KEXPECT_EQ(thread_join(t), -3);
    KEXPECT(pit_ticks - start >= 20);
}

KTEST(thread, exit_before_join_is_reaped)
{
    struct thread *t = thread_create(return_arg, ARG(5), "early");
    KASSERT(t != NULL);
    int tid = t->tid;
    KASSERT(wait_for_zombie(t, 100));
    /* A zombie stays until it is joined: it still exists... */
    KEXPECT(thread_find(tid) == t);
    KEXPECT_EQ(thread_join(t), 5);
    /* ...and is gone after. */
    KEXPECT(thread_find(tid) == NULL);
}

KTEST(thread, names_and_ids)
{
    struct thread *a = thread_create(return_arg, ARG(0), "a-thread-with-a-long-name");
    struct thread *b = thread_create(return_arg, ARG(0), "b");
    KASSERT(a != NULL && b != NULL);
    KEXPECT(a->tid != b->tid && a->tid > 1 && b->tid > 1);
    KEXPECT_EQ(strlen(a->name), THREAD_NAME_MAX - 1);
    KEXPECT(strncmp(a->name, "a-thread-with-a-long-name", THREAD_NAME_MAX - 1) == 0);
    KEXPECT_STREQ(b->name, "b");
    KEXPECT(thread_current()->tid == 1 && strcmp(thread_current()->name, "main") == 0);
    thread_join(a);
    thread_join(b);
}

/* Frames, heap bytes and heap blocks before and after. */
struct usage {
    size_t frames, bytes, blocks;
};

static struct usage usage_now(void)
{
    return (struct usage){ pmm_free_frames(), kheap.bytes_in_use, kheap.blocks_in_use };
}

/* 1000 create/join cycles, then 50 threads alive at once; true if all
 * went as expected. */
static bool create_join_cycles(void)
{
    for (int i = 0; i < 1000; i++) {
        struct thread *t = thread_create(return_arg, ARG(i), "cycle");
        if (t == NULL || thread_join(t) != i) {
            ktest_fail(__FILE__, __LINE__, "cycle %d: no thread, or the wrong status", i);
            return false;
        }
    }
    struct thread *many[50];
    for (int i = 0; i < 50; i++)
        if ((many[i] = thread_create(sleep_then_return, ARG(i), "many")) == NULL) {
            ktest_fail(__FILE__, __LINE__, "thread %d of 50 could not be created", i);
            return false;
        }
    bool ok = true;
    for (int i = 0; i < 50; i++)
        ok &= thread_join(many[i]) == i;
    return ok;
}

KTEST(thread, no_leak)
{
    /* One round first: the heap grows to hold 50 threads and keeps its
     * pages, and the stack area's page table is made on first use. */
    KASSERT(create_join_cycles());
    struct usage before = usage_now();
    KASSERT(create_join_cycles());
    struct usage after = usage_now();
    KEXPECT_EQ(after.frames, before.frames);
    KEXPECT_EQ(after.bytes, before.bytes);
    KEXPECT_EQ(after.blocks, before.blocks);
}

/* ---- the switch ---- */

static int yield_log[256];
static int yield_logged;

static int log_and_yield(void *arg)
{
    irq_disable();      /* no preemption: only the yields switch */
    for (int i = 0; i < 100; i++) {
        /* SAFETY: as in return_arg. */
        yield_log[yield_logged++] = (int)(uintptr_t)arg;
        thread_yield();
    }
    return 0;
}

KTEST(sched, yield_alternates)
{
    yield_logged = 0;
    struct thread *a = thread_create(log_and_yield, ARG(1), "yield-a");
    struct thread *b = thread_create(log_and_yield, ARG(2), "yield-b");
    KASSERT(a != NULL && b != NULL);
    thread_join(a);
    thread_join(b);
    KEXPECT_EQ(yield_logged, 200);
    for (int i = 0; i < yield_logged; i++)
        if (yield_log[i] != 1 + i % 2) {
            ktest_fail(__FILE__, __LINE__, "entry %d of the log is thread %d, expected %d: "
                       "yield must hand the CPU to the other runnable thread", i,
                       yield_log[i], 1 + i % 2);
            return;
        }
    /* With nobody else runnable, yield returns to the caller at once. */
    uint32_t switches = sched_switches;
    irq_disable();
    thread_yield();
    irq_enable();
    KEXPECT_EQ(sched_switches, switches);
}

/* Fill the callee-saved registers with patterns, yield, and count the
 * registers that came back changed. Written in asm: C would not let us
 * hold values in ebx, esi, edi and ebp across a call. */
static int registers_survive_yield(uint32_t pattern)
{
    uint32_t ebx, esi, edi, ebp;
    /* SAFETY: saves ebp (the frame pointer) on the stack and restores it
     * before C code runs again; the memory operand is read first, before
     * the push moves esp (GCC may address it through esp: a realigned
     * frame under KASAN does); thread_yield() is an ordinary C call (eax,
     * ecx, edx clobbered). */
    __asm__ volatile("movl %4, %%ebx\n\t"
                     "pushl %%ebp\n\t"
                     "leal 1(%%ebx), %%esi\n\t"
                     "leal 2(%%ebx), %%edi\n\t"
                     "leal 3(%%ebx), %%ebp\n\t"
                     "call thread_yield\n\t"
                     "movl %%ebp, %%eax\n\t"
                     "popl %%ebp"
                     : "=&b"(ebx), "=&S"(esi), "=&D"(edi), "=&a"(ebp)
                     : "m"(pattern)
                     : "ecx", "edx", "memory", "cc");
    return (ebx != pattern) + (esi != pattern + 1) + (edi != pattern + 2) +
           (ebp != pattern + 3);
}

static int check_registers(void *arg)
{
    /* SAFETY: as in return_arg. */
    uint32_t pattern = (uint32_t)(uintptr_t)arg;
    int wrong = 0;
    for (int i = 0; i < 200; i++)
        wrong += registers_survive_yield(pattern + (uint32_t)i * 0x10);
    return wrong;
}

KTEST(sched, callee_saved_registers)
{
    struct thread *a = thread_create(check_registers, ARG(0x11110000), "regs-a");
    struct thread *b = thread_create(check_registers, ARG(0x77770000), "regs-b");
    KASSERT(a != NULL && b != NULL);
    uint32_t switches = sched_switches;
    KEXPECT_EQ(thread_join(a), 0);
    KEXPECT_EQ(thread_join(b), 0);
    KEXPECT(sched_switches - switches >= 400);
}

/* The same, one level down: context_switch() itself, with nothing in
 * between. Through thread_yield(), C functions that save and restore a
 * register themselves can hide a switch that forgets it; here the other
 * side is a bare context that clobbers all four and switches back. */
/* Not static: the asm below names them. */
struct context *ktest_switch_main, *ktest_switch_other;

static void clobber_and_switch_back(void)
{
    /* SAFETY: loads junk into the callee-saved registers this function
     * never returns through (it switches away for good); ebp is the new
     * stack's own frame pointer, different from the caller's anyway. */
    __asm__ volatile("movl $0x0BADBAD1, %%ebx\n\t"
                     "movl $0x0BADBAD2, %%esi\n\t"
                     "movl $0x0BADBAD3, %%edi" : : : "ebx", "esi", "edi");
    context_switch(&ktest_switch_other, ktest_switch_main);
    for (;;)
        ;
}

KTEST(sched, context_switch_keeps_registers)
{
    struct kstack stack;
    KASSERT(kstack_alloc(&stack));
    ktest_switch_other = context_init(stack.top, clobber_and_switch_back);
    KASSERT(ktest_switch_other != NULL);
    uint32_t ebx, esi, edi, ebp_before, ebp_after;
    irq_disable();
    /* SAFETY: as in registers_survive_yield: ebp is saved and restored
     * around the call, no memory operand is used in between; the other
     * context runs on its own stack and switches straight back. */
    __asm__ volatile("movl %%ebp, %4\n\t"
                     "pushl %%ebp\n\t"
                     "movl $0x51515151, %%ebx\n\t"
                     "movl $0x52525252, %%esi\n\t"
                     "movl $0x53535353, %%edi\n\t"
                     "pushl ktest_switch_other\n\t"
                     "pushl $ktest_switch_main\n\t"
                     "call context_switch\n\t"
                     "addl $8, %%esp\n\t"
                     "movl %%ebp, %%eax\n\t"
                     "popl %%ebp"
                     : "=b"(ebx), "=S"(esi), "=D"(edi), "=a"(ebp_after), "=m"(ebp_before)
                     :
                     : "ecx", "edx", "memory", "cc");
    irq_enable();
    kstack_free(&stack);
    KEXPECT_EQ(ebx, 0x51515151);
    KEXPECT_EQ(esi, 0x52525252);
    KEXPECT_EQ(edi, 0x53535353);
    KEXPECT_EQ(ebp_after, ebp_before);
}

/* ---- preemption ---- */

/* SAFETY: volatile because the two spinners write them while the other
 * spins reading them, with no call the compiler could not see through in
 * between: each loop iteration must load again. One CPU (lab 4's), and
 * each is one aligned word, so a load never sees a torn value. */
static volatile int last_runner;
static volatile uint32_t spin_start;
static uint32_t handover_ticks[64];
/* SAFETY: as last_runner. */
static volatile int handovers;

/* Spin for 40 ticks without ever yielding; note each time the CPU came
 * back from the other spinner. Only preemption can make them take turns.
 * SAFETY: volatile: as last_runner (set by a spinner, read by the test). */
static volatile bool started_without_interrupts;

static int spin_and_watch(void *arg)
{
    /* SAFETY: as in return_arg. */
    int me = (int)(uintptr_t)arg;
    if (!irq_enabled()) {
        /* Nothing could preempt us, and no tick would end the loop. */
        started_without_interrupts = true;
        return 0;
    }
    while (pit_ticks - spin_start < 40) {
        if (last_runner != me) {
            uint32_t s = irq_save();
            last_runner = me;
            if (handovers < 64)
                handover_ticks[handovers] = pit_ticks;
            handovers++;
            irq_restore(s);
        }
    }
    return 0;
}

KTEST(sched, preemption_interleaves)
{
    last_runner = 0;
    handovers = 0;
    started_without_interrupts = false;
    spin_start = pit_ticks;
    struct thread *a = thread_create(spin_and_watch, ARG(1), "spin-a");
    struct thread *b = thread_create(spin_and_watch, ARG(2), "spin-b");
    KASSERT(a != NULL && b != NULL);
    thread_join(a);
    thread_join(b);
    if (started_without_interrupts) {
        ktest_fail(__FILE__, __LINE__, "a new thread started with interrupts off: "
                   "thread_start() must turn them on before it calls fn(arg)");
        return;
    }
    /* 40 ticks in slices of sched_slice: about 40 / slice turns. */
    int expected = (int)(40 / sched_slice);
    if (handovers < expected - 2)
        ktest_fail(__FILE__, __LINE__, "the two spinning threads took %d turns in 40 ticks; "
                   "with a %u-tick time slice, expected about %d", handovers, sched_slice,
                   expected);
    /* Each turn but the last lasts one slice. */
    int n = handovers < 64 ? handovers : 64;
    for (int i = 2; i + 1 < n; i++) {
        uint32_t turn = handover_ticks[i] - handover_ticks[i - 1];
        if (turn + 1 < sched_slice || turn > sched_slice + 1) {
            ktest_fail(__FILE__, __LINE__, "turn %d lasted %u ticks; the time slice is %u", i,
                       turn, sched_slice);
            break;
        }
    }
}

/* ---- sleeping ---- */

KTEST(sched, sleep_wakes_on_time)
{
    static const uint32_t lengths[] = { 1, 2, 3, 5, 10, 25 };
    for (unsigned i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
        /* Interrupts off from reading the clock to the sleep, so no tick
         * falls between: then the wake-up tick is exact. */
        irq_disable();
        uint32_t start = pit_ticks;
        thread_sleep(lengths[i]);
        uint32_t woke = pit_ticks;
        irq_enable();
        if (woke - start != lengths[i])
            ktest_fail(__FILE__, __LINE__, "thread_sleep(%u) at tick %u woke at tick %u, "
                       "expected %u", lengths[i], start, woke, start + lengths[i]);
    }
}

static uint32_t sleep_order_start;
static int wake_order[4], woken;
static uint32_t wake_tick[4];

static int sleep_and_note(void *arg)
{
    /* SAFETY: as in return_arg. */
    uint32_t n = (uint32_t)(uintptr_t)arg;
    irq_disable();
    thread_sleep(n - (pit_ticks - sleep_order_start));
    wake_tick[woken] = pit_ticks;
    wake_order[woken++] = (int)n;
    irq_enable();
    return 0;
}

KTEST(sched, sleepers_wake_in_order)
{
    static const int lengths[4] = { 7, 3, 5, 1 };
    struct thread *t[4];
    woken = 0;
    irq_disable();      /* every thread counts from the same tick */
    sleep_order_start = pit_ticks;
    for (int i = 0; i < 4; i++)
        t[i] = thread_create(sleep_and_note, ARG(lengths[i] + 10), "sleeper");
    irq_enable();
    for (int i = 0; i < 4; i++)
        KASSERT(t[i] != NULL);
    for (int i = 0; i < 4; i++)
        thread_join(t[i]);
    KASSERT(woken == 4);
    static const int expected[4] = { 11, 13, 15, 17 };
    for (int i = 0; i < 4; i++) {
        KEXPECT_EQ(wake_order[i], expected[i]);
        KEXPECT_EQ(wake_tick[i] - sleep_order_start, (uint32_t)expected[i]);
    }
}

KTEST(sched, idle_halts)
{
    struct thread *t[3];
    uint32_t halted = sched_idle_halted_ticks, start = pit_ticks;
    for (int i = 0; i < 3; i++)
        KASSERT((t[i] = thread_create(sleep_then_return, ARG(i), "nap")) != NULL);
    thread_sleep(30);
    for (int i = 0; i < 3; i++)
        thread_join(t[i]);
    uint32_t elapsed = pit_ticks - start, idle = sched_idle_halted_ticks - halted;
    /* Everyone slept nearly all the time: the ticks should have found
     * the CPU halted in the idle thread, not running anything. */
    if (idle + 3 < elapsed)
        ktest_fail(__FILE__, __LINE__, "%u of %u ticks found the CPU halted while every "
                   "thread slept: the idle thread must halt (sti; hlt), not spin",
                   idle, elapsed);
}

/* ---- wait queues and a bounded buffer ---- */

#define ITEMS 100000   /* at full size; ktest_work_div() of it under KASAN */
#define SLOTS 2

static uint32_t pc_total;   /* items this run: ITEMS / ktest_work_div() */

static struct semaphore pc_slots, pc_items;
static uint32_t pc_buffer[SLOTS];
/* SAFETY: volatile: written by producer and consumer threads, read by the
 * test after joining them; one CPU, whole aligned words. The semaphores
 * order the buffer's accesses, not these counters. */
static volatile uint32_t produced, consumed, consumed_wrong;

/* Busy work of a random length, so that preemption lands everywhere. */
static void random_delay(void)
{
    /* SAFETY: volatile only so that the empty loop is not deleted. */
    for (volatile uint32_t n = rng() % 64; n > 0; n--)
        ;
}

static int producer(void *arg)
{
    (void)arg;
    for (uint32_t i = 0; i < pc_total; i++) {
        random_delay();
        sem_down(&pc_slots);
        pc_buffer[i % SLOTS] = i * 2654435761u;
        produced++;
        sem_up(&pc_items);
    }
    return 0;
}

static int consumer(void *arg)
{
    (void)arg;
    for (uint32_t i = 0; i < pc_total; i++) {
        sem_down(&pc_items);
        if (pc_buffer[i % SLOTS] != i * 2654435761u)
            consumed_wrong++;
        consumed++;
        sem_up(&pc_slots);
        random_delay();
    }
    return 0;
}

/* A thread asleep on a semaphore that has units to give: its wake-up
 * was lost (with the rule of waitqueue.h, that state cannot be seen). */
static bool lost_wakeup(struct thread *t, struct semaphore *s)
{
    return t->state == THREAD_BLOCKED && t->waiting_on == &s->waiters && s->count > 0;
}

KTEST(sync, producer_consumer)
{
    /* The watcher below reads both semaphores with interrupts off, which
     * is a snapshot on one CPU only; lab 5's sync.* cases test several. */
    if (sched_smp()) {
        ktest_skip("a one-CPU test (lab 4): its lost-wake-up watch needs interrupts-off snapshots");
        return;
    }
    rng_state = 2024;
    produced = consumed = consumed_wrong = 0;
    pc_total = ITEMS / ktest_work_div();
    sem_init(&pc_slots, SLOTS, "slots");
    sem_init(&pc_items, 0, "items");
    struct thread *p = thread_create(producer, NULL, "producer");
    struct thread *c = thread_create(consumer, NULL, "consumer");
    KASSERT(p != NULL && c != NULL);
    /* Watch instead of joining: a lost wake-up would hang a join. */
    uint32_t deadline = pit_hz * 60;
    for (uint32_t waited = 0; waited < deadline; waited++) {
        irq_disable();
        bool done = p->state == THREAD_ZOMBIE && c->state == THREAD_ZOMBIE;
        bool lost = lost_wakeup(p, &pc_slots) || lost_wakeup(c, &pc_items);
        irq_enable();
        if (done)
            break;
        if (lost) {
            ktest_fail(__FILE__, __LINE__, "lost wake-up after %u items produced, %u consumed: "
                       "producer %s (slots %d), consumer %s (items %d)", produced, consumed,
                       thread_state_name(p->state), pc_slots.count,
                       thread_state_name(c->state), pc_items.count);
            return;     /* the two threads stay blocked for good */
        }
        thread_sleep(1);
    }
    if (p->state != THREAD_ZOMBIE || c->state != THREAD_ZOMBIE) {
        ktest_fail(__FILE__, __LINE__, "not done after 60 s: %u items produced, %u consumed",
                   produced, consumed);
        return;
    }
    thread_join(p);
    thread_join(c);
    KEXPECT_EQ(produced, pc_total);
    KEXPECT_EQ(consumed, pc_total);
    KEXPECT_EQ(consumed_wrong, 0);
}

static int waitqueue_order[8], waitqueue_woken;
static struct waitqueue test_wq = WAITQUEUE_INIT(test_wq, "test");

static int wait_and_note(void *arg)
{
    irq_disable();
    waitqueue_sleep(&test_wq);
    /* SAFETY: as in return_arg. */
    waitqueue_order[waitqueue_woken++] = (int)(uintptr_t)arg;
    irq_enable();
    return 0;
}

KTEST(sync, waitqueue_wakes_in_order)
{
    /* waitqueue_sleep() with interrupts off: lab 4's one-CPU rule. */
    if (sched_smp()) {
        ktest_skip("a one-CPU test (lab 4): waitqueue_sleep() without a lock");
        return;
    }
    struct thread *t[5];
    waitqueue_woken = 0;
    for (int i = 0; i < 5; i++)
        KASSERT((t[i] = thread_create(wait_and_note, ARG(i), "waiter")) != NULL);
    /* Let all five go to sleep on the queue. */
    for (int tries = 0; tries < 100 && list_length(&test_wq.waiters) < 5; tries++)
        thread_sleep(1);
    KASSERT(list_length(&test_wq.waiters) == 5);
    KEXPECT(waitqueue_wake_one(&test_wq));
    thread_sleep(2);
    KEXPECT_EQ(waitqueue_woken, 1);
    KEXPECT_EQ(waitqueue_wake_all(&test_wq), 4);
    for (int i = 0; i < 5; i++)
        thread_join(t[i]);
    KEXPECT(!waitqueue_wake_one(&test_wq));
    for (int i = 0; i < 5; i++)
        KEXPECT_EQ(waitqueue_order[i], i);
}
#endif /* LAB >= 4 */
