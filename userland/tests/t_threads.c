/*
 * t_threads.c -- threads of one process (KTAP on stdout).
 *
 * The main thread starts THREADS threads, each on a 16 KiB malloc'd
 * stack, with a pointer to its own slot of a shared array. A thread
 * writes only its own slot -- there are no user-space locks yet, so no
 * two threads ever write the same word -- counting to ITERATIONS (and
 * yielding now and then, so that the threads interleave) and recording
 * what it sees. The main thread joins them all and then checks:
 *
 *   create_returns_tids     every thread_create returned a tid > 0
 *   join_returns_status     thread_join(tid) returned that thread's
 *                           status: 100 + its index (what fn returned)
 *   tids_differ             the threads' tids differ from each other and
 *                           from the main thread's gettid()
 *   gettid_matches_create   each thread's gettid() is the tid that
 *                           thread_create returned for it
 *   same_process            each thread's getpid() is the process's
 *   arg_passed              each thread got its own slot as its argument
 *   counters_complete       each slot counted exactly ITERATIONS
 *   ran_on_given_stack      a local variable of each thread lay inside
 *                           the stack it was given
 *   join_twice_fails        joining a thread already joined returns -1
 *                           (any errno; the thread is gone)
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <tidepool.h>
#include <unistd.h>

#include <ktap.h>

#define THREADS 4
#define STACK_SIZE 16384
#define ITERATIONS 100000
#define YIELD_EVERY 10000
#define STATUS_BASE 100

struct slot {
    int index;
    struct slot *self;          /* the argument the thread received */
    int tid;                    /* its gettid() */
    int pid;                    /* its getpid() */
    uintptr_t local_address;    /* where one of its locals lived */
    unsigned count;
};

static struct slot slots[THREADS];

static int worker(void *arg)
{
    struct slot *slot = arg;
    int local = 0;

    slot->self = slot;
    slot->tid = gettid();
    slot->pid = getpid();
    /* SAFETY: pointer -> integer, only compared with the stack's bounds. */
    slot->local_address = (uintptr_t)&local;
    for (unsigned i = 0; i < ITERATIONS; i++) {
        slot->count++;
        if (i % YIELD_EVERY == 0)
            yield();            /* also keeps the compiler from folding the loop */
    }
    return STATUS_BASE + slot->index;
}

struct run {
    char *stack[THREADS];
    int tid[THREADS];
    int status[THREADS];
};

static void start_and_join(struct run *run)
{
    for (int i = 0; i < THREADS; i++) {
        slots[i].index = i;
        run->stack[i] = malloc(STACK_SIZE);
        run->tid[i] = run->stack[i] == NULL
                          ? -1
                          : thread_create(worker, &slots[i], run->stack[i] + STACK_SIZE);
        if (run->tid[i] <= 0)
            ktap_diag("thread_create #%d: expected a tid > 0, got %s", i,
                      ktap_errno(run->tid[i], errno));
    }
    for (int i = 0; i < THREADS; i++)
        run->status[i] = run->tid[i] > 0 ? thread_join(run->tid[i]) : -1;
}

static void check_tids(const struct run *run)
{
    bool created = true, differ = true, match = true;
    int main_tid = gettid();

    for (int i = 0; i < THREADS; i++) {
        created &= run->tid[i] > 0;
        if (run->tid[i] == main_tid) {
            ktap_diag("thread %d has tid %d, the main thread's", i, main_tid);
            differ = false;
        }
        for (int j = 0; j < i; j++) {
            if (run->tid[i] == run->tid[j]) {
                ktap_diag("threads %d and %d both have tid %d", j, i, run->tid[i]);
                differ = false;
            }
        }
        if (slots[i].tid != run->tid[i]) {
            ktap_diag("thread %d: gettid() = %d, thread_create returned %d", i, slots[i].tid,
                      run->tid[i]);
            match = false;
        }
    }
    ktap_result(created, "create_returns_tids");
    bool joined = true;
    for (int i = 0; i < THREADS; i++) {
        if (run->status[i] != STATUS_BASE + i) {
            ktap_diag("thread_join(thread %d): expected %d, got %d", i, STATUS_BASE + i,
                      run->status[i]);
            joined = false;
        }
    }
    ktap_result(joined, "join_returns_status");
    ktap_result(differ, "tids_differ");
    ktap_result(match, "gettid_matches_create");
}

static void check_slots(const struct run *run)
{
    bool same_pid = true, arg = true, counted = true, on_stack = true;
    int pid = getpid();

    for (int i = 0; i < THREADS; i++) {
        const struct slot *s = &slots[i];
        /* SAFETY: pointer -> integer, for the bounds of the stack. */
        uintptr_t lo = (uintptr_t)run->stack[i], hi = lo + STACK_SIZE;

        if (s->pid != pid) {
            ktap_diag("thread %d: getpid() = %d, expected %d", i, s->pid, pid);
            same_pid = false;
        }
        if (s->self != s) {
            ktap_diag("thread %d: its argument was %p, expected %p", i, (void *)s->self,
                      (const void *)s);
            arg = false;
        }
        if (s->count != ITERATIONS) {
            ktap_diag("thread %d: counted to %u, expected %u", i, s->count, ITERATIONS);
            counted = false;
        }
        if (s->local_address < lo || s->local_address >= hi) {
            ktap_diag("thread %d: a local at 0x%08lx, its stack is 0x%08lx-0x%08lx", i,
                      (unsigned long)s->local_address, (unsigned long)lo, (unsigned long)hi);
            on_stack = false;
        }
    }
    ktap_result(same_pid, "same_process");
    ktap_result(arg, "arg_passed");
    ktap_result(counted, "counters_complete");
    ktap_result(on_stack, "ran_on_given_stack");
}

static void check_join_twice(const struct run *run)
{
    errno = 0;
    int r = run->tid[0] > 0 ? thread_join(run->tid[0]) : 0;

    if (r != -1)
        ktap_diag("thread_join(%d) a second time: expected -1, got %s", run->tid[0],
                  ktap_errno(r, errno));
    ktap_result(r == -1, "join_twice_fails");
}

int main(void)
{
    struct run run;

    ktap_plan(9);
    start_and_join(&run);
    check_tids(&run);
    check_slots(&run);
    check_join_twice(&run);
    for (int i = 0; i < THREADS; i++)
        free(run.stack[i]);
    return ktap_finish();
}
