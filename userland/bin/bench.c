/*
 * bench.c -- path lengths of system calls, faults and IPC, for `make bench`.
 *
 * Run under QEMU's -icount shift=0,align=off, where rdtsc counts guest
 * instructions (docs/bench.md): each figure is the number of guest
 * instructions between two rdtsc reads, the same on every run and host.
 * They are path lengths, not cycles (a `rep stos` iteration counts as
 * one). Each row is run `warm-up` times unmeasured, then N times, each
 * run timed on its own; the row reports median, p90, min and max.
 *
 *     bench [--door=int80|sysenter|direct] [--runs=N] [ROW...]
 *
 * The door is the libc's (syscall_set_door, tidepool.h): every row calls
 * the plain libc functions, so the same row code goes through whichever
 * door is chosen -- int $0x80, sysenter, or, in a unikernel build, a
 * direct call of the kernel's handler. Forked children inherit it.
 *
 * Output, one machine-readable line per row (tools/bench-table.py reads
 * these; key=value, in this order):
 *
 *     bench: row=getpid door=sysenter median=194 p90=194 min=194 max=194 n=10000
 *     bench: row=fork_exit_wait door=direct skipped=REASON (rest of line)
 *
 * each followed by a human line starting with "bench:   " saying what the
 * row includes.
 *
 * Portable on purpose: besides POSIX it needs only tidepool.h's
 * thread_create, thread_join, yield, syscall_door and syscall_set_door,
 * so that a Linux build (make bench-linux) can supply those five.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <tidepool.h>
#include <unistd.h>
#if LAB >= 5
#include <usync.h>
#endif

#define WARMUP 100
#define STACK_BYTES (16 * 1024)
#define PAGE 4096

static unsigned *samples;       /* one per measured run */
static int runs = 10000;
static const char *door;        /* the libc's door, by name */

static inline unsigned long long rdtsc(void)
{
    unsigned lo, hi;
    /* SAFETY: rdtsc reads the time-stamp counter; user mode may (CR4.TSD
     * is clear) and so may ring 0 in a unikernel build. It clobbers only
     * eax and edx, named as outputs. */
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (unsigned long long)hi << 32 | lo;
}

/* Records run i's time if it is a measured one (i >= 0; warm-up runs
 * count from -WARMUP). */
static void record(int i, unsigned long long t0, unsigned long long t1)
{
    if (i >= 0)
        samples[i] = (unsigned)(t1 - t0);
}

/* ---- the rows: each measures `runs` runs into samples[] and returns NULL,
 * or returns why it cannot run here. Each run is timed by itself, and
 * nothing is cached between runs that a real call would not cache. */

static const char *row_empty(void)
{
    for (int i = -WARMUP; i < runs; i++) {
        unsigned long long t0 = rdtsc();
        unsigned long long t1 = rdtsc();
        record(i, t0, t1);
    }
    return NULL;
}

static const char *row_getpid(void)
{
    for (int i = -WARMUP; i < runs; i++) {
        unsigned long long t0 = rdtsc();
        getpid();
        unsigned long long t1 = rdtsc();
        record(i, t0, t1);
    }
    return NULL;
}

static const char *row_yield_alone(void)
{
    for (int i = -WARMUP; i < runs; i++) {
        unsigned long long t0 = rdtsc();
        yield();
        unsigned long long t1 = rdtsc();
        record(i, t0, t1);
    }
    return NULL;
}

/* SAFETY: volatile because the partner thread reads what main writes
 * (and vice versa) with no lock; each is one aligned int, written by one
 * thread only, so a read sees either the old or the new value. */
static volatile int partner_stop;
static volatile int partner_started;

/* The partner of the yield round trip: gives the CPU straight back. */
static int yield_partner(void *unused)
{
    (void)unused;
    partner_started = 1;
    while (!partner_stop)
        yield();
    return 0;
}

static const char *row_yield_pair(void)
{
    char *stack = malloc(STACK_BYTES);
    if (stack == NULL)
        return "malloc of a thread stack failed";
    partner_stop = 0;
    partner_started = 0;
    int tid = thread_create(yield_partner, NULL, stack + STACK_BYTES);
    if (tid < 0) {
        free(stack);
        return strerror(errno);
    }
    while (!partner_started)
        yield();
    for (int i = -WARMUP; i < runs; i++) {
        unsigned long long t0 = rdtsc();
        yield();
        unsigned long long t1 = rdtsc();
        record(i, t0, t1);
    }
    partner_stop = 1;
    thread_join(tid);
    free(stack);
    return NULL;
}

static int thread_returns(void *unused)
{
    (void)unused;
    return 0;
}

/* The stack is malloc'd once and reused, as a thread library reuses
 * stacks; its pages are touched in the warm-up, so no run faults. */
static const char *row_thread(void)
{
    char *stack = malloc(STACK_BYTES);
    if (stack == NULL)
        return "malloc of a thread stack failed";
    for (int i = -WARMUP; i < runs; i++) {
        unsigned long long t0 = rdtsc();
        int tid = thread_create(thread_returns, NULL, stack + STACK_BYTES);
        int status = thread_join(tid);
        unsigned long long t1 = rdtsc();
        if (tid < 0 || status != 0) {
            free(stack);
            return tid < 0 ? strerror(errno) : "thread_join failed";
        }
        record(i, t0, t1);
    }
    free(stack);
    return NULL;
}

/* Pages are touched in rounds of TOUCH_ROUND, each round's heap given back
 * (its frames freed) before the next, so that the runs can exceed what the
 * memory cap (TP_MEM_MAX, 32 MiB) lets one process hold. sbrk maps
 * nothing: every touched page is new, and its first write faults. */
#define TOUCH_ROUND 1024
static const char *touch_round(int first_run, int count)
{
    long bytes = (long)count * PAGE + PAGE;
    char *heap = sbrk(bytes);
    if (heap == (char *)-1)     /* SAFETY: only compared: POSIX's sbrk failure value */
        return strerror(errno);
    /* SAFETY: pointer -> integer only to find the distance to the first
     * page boundary inside the new heap (it has a spare page for that). */
    char *first = heap + (-(unsigned long)heap & (PAGE - 1));
    for (int i = 0; i < count; i++) {
        /* SAFETY: volatile so that the compiler emits exactly one write
         * to each page (it is the access under test); page is inside
         * the bytes just given by sbrk. */
        volatile char *page = first + (long)i * PAGE;
        unsigned long long t0 = rdtsc();
        *page = 1;
        unsigned long long t1 = rdtsc();
        record(first_run + i, t0, t1);
    }
    sbrk(-bytes);
    return NULL;
}

static const char *row_first_touch(void)
{
    for (int done = -WARMUP; done < runs; done += TOUCH_ROUND) {
        int count = runs - done < TOUCH_ROUND ? runs - done : TOUCH_ROUND;
        const char *why = touch_round(done, count);
        if (why != NULL)
            return why;
    }
    return NULL;
}

static const char *row_fork(void)
{
    for (int i = -WARMUP; i < runs; i++) {
        unsigned long long t0 = rdtsc();
        pid_t pid = fork();
        if (pid == 0)
            _exit(0);
        if (pid < 0)
            return strerror(errno);
        waitpid(pid, NULL, 0);
        unsigned long long t1 = rdtsc();
        record(i, t0, t1);
    }
    return NULL;
}

/* The child of the pipe round trip: echoes each byte until EOF. */
static void pipe_echo(int in, int out)
{
    char byte;
    while (read(in, &byte, 1) == 1)
        if (write(out, &byte, 1) != 1)
            break;
    _exit(0);
}

static const char *row_pipe(void)
{
    int to_child[2], to_parent[2];
    if (pipe(to_child) < 0)
        return strerror(errno);
    if (pipe(to_parent) < 0) {
        close(to_child[0]);
        close(to_child[1]);
        return strerror(errno);
    }
    pid_t pid = fork();
    if (pid == 0) {
        close(to_child[1]);
        close(to_parent[0]);
        pipe_echo(to_child[0], to_parent[1]);
    }
    close(to_child[0]);
    close(to_parent[1]);
    const char *why = pid < 0 ? strerror(errno) : NULL;
    for (int i = -WARMUP; i < runs && why == NULL; i++) {
        char byte = 'x';
        unsigned long long t0 = rdtsc();
        if (write(to_child[1], &byte, 1) != 1 || read(to_parent[0], &byte, 1) != 1)
            why = "the echo child stopped answering";
        unsigned long long t1 = rdtsc();
        record(i, t0, t1);
    }
    close(to_child[1]);         /* the child reads EOF and exits */
    close(to_parent[0]);
    if (pid > 0)
        waitpid(pid, NULL, 0);
    return why;
}

/* A file of our own, so that the path (one component under /) is the
 * same on every system the program runs on. */
#define OPEN_PATH "/bench-open.tmp"
static const char *row_open_close(void)
{
    int fd = open(OPEN_PATH, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return strerror(errno);
    close(fd);
    const char *why = NULL;
    for (int i = -WARMUP; i < runs && why == NULL; i++) {
        unsigned long long t0 = rdtsc();
        fd = open(OPEN_PATH, O_RDONLY);
        int closed = close(fd);
        unsigned long long t1 = rdtsc();
        if (fd < 0 || closed < 0)
            why = strerror(errno);
        record(i, t0, t1);
    }
    unlink(OPEN_PATH);
    return why;
}

#if LAB >= 5
/* ---- lab 5: the futex mutex and the futex system call (usync.h) */

static struct umutex bench_mutex = UMUTEX_INIT;

/* Lock + unlock of a free mutex: two atomic instructions and the calls,
 * no system call (usync.h's fast path). */
static const char *row_mutex_uncontended(void)
{
    for (int i = -WARMUP; i < runs; i++) {
        unsigned long long t0 = rdtsc();
        umutex_lock(&bench_mutex);
        umutex_unlock(&bench_mutex);
        unsigned long long t1 = rdtsc();
        record(i, t0, t1);
    }
    return NULL;
}

static unsigned futex_word;

/* A wake nobody waits for: the system call, the hash, one bucket lock. */
static const char *row_futex_wake_nobody(void)
{
    for (int i = -WARMUP; i < runs; i++) {
        unsigned long long t0 = rdtsc();
        long r = futex_wake(&futex_word, 1);
        unsigned long long t1 = rdtsc();
        if (r != 0)
            return "futex_wake with nobody asleep did not return 0";
        record(i, t0, t1);
    }
    return NULL;
}

/* The ping-pong word: main sets it to 1 and wakes the partner, which sets
 * it back to 0 and wakes main; 2 ends the partner. Atomics: the two
 * threads share it without a lock. */
static unsigned pingpong;

static int futex_partner(void *unused)
{
    (void)unused;
    for (;;) {
        unsigned v;
        while ((v = __atomic_load_n(&pingpong, __ATOMIC_ACQUIRE)) == 0)
            futex_wait(&pingpong, 0);
        if (v == 2)
            return 0;
        __atomic_store_n(&pingpong, 0, __ATOMIC_RELEASE);
        futex_wake(&pingpong, 1);
    }
}

/* One round trip: main's wake of the sleeping partner and its own wait,
 * the partner's wake of main and its wait: 2 futex_wake, 2 futex_wait
 * that sleep, 2 switches (on one CPU). */
static const char *row_futex_pingpong(void)
{
    char *stack = malloc(STACK_BYTES);
    if (stack == NULL)
        return "malloc of a thread stack failed";
    __atomic_store_n(&pingpong, 0, __ATOMIC_RELEASE);
    int tid = thread_create(futex_partner, NULL, stack + STACK_BYTES);
    if (tid < 0) {
        free(stack);
        return strerror(errno);
    }
    for (int i = -WARMUP; i < runs; i++) {
        unsigned long long t0 = rdtsc();
        __atomic_store_n(&pingpong, 1, __ATOMIC_RELEASE);
        futex_wake(&pingpong, 1);
        while (__atomic_load_n(&pingpong, __ATOMIC_ACQUIRE) == 1)
            futex_wait(&pingpong, 1);
        unsigned long long t1 = rdtsc();
        record(i, t0, t1);
    }
    __atomic_store_n(&pingpong, 2, __ATOMIC_RELEASE);
    futex_wake(&pingpong, 1);
    thread_join(tid);
    free(stack);
    return NULL;
}
#endif

/* ---- the table of rows */

enum { USES_FORK = 1 };

struct row {
    const char *name;
    const char *(*run)(void);
    int uses;                   /* USES_*: what a door may not offer */
    const char *includes;       /* what the number includes */
};

static const struct row rows[] = {
    {"getpid", row_getpid, 0,
     "getpid(): libc wrapper, door in and out, dispatch, sys_getpid"},
    {"yield_pair", row_yield_pair, 0,
     "yield() round trip main -> partner thread -> main: two yields, two switches"},
    {"yield_alone", row_yield_alone, 0,
     "yield() with no other runnable thread: the call, nothing to switch to"},
    {"thread_create_join", row_thread, 0,
     "thread_create() + thread_join() of a thread that returns 0 (stack reused)"},
    {"first_touch", row_first_touch, 0,
     "first write to a fresh heap page: fault, frame, zeroing 4 KiB, map, write again"},
    {"fork_exit_wait", row_fork, USES_FORK,
     "fork() + child _exit(0) + waitpid(): copy-on-write setup, switches, reap"},
    {"pipe_rtt", row_pipe, USES_FORK,
     "1-byte ping-pong over two pipes with a child: 2 writes, 2 reads, 2 switches"},
    {"open_close", row_open_close, 0,
     "open(\"" OPEN_PATH "\", O_RDONLY) + close(): path lookup, file and fd alloc/free"},
#if LAB >= 5
    {"mutex_uncontended", row_mutex_uncontended, 0,
     "umutex_lock() + umutex_unlock() of a free mutex: two atomics, no system call"},
    {"futex_wake_nobody", row_futex_wake_nobody, 0,
     "futex_wake() of a word nobody waits on: the call, the hash, one bucket lock"},
    {"futex_pingpong", row_futex_pingpong, 0,
     "futex round trip main -> partner thread -> main: 2 wakes, 2 sleeping waits, 2 switches"},
#endif
    {"empty", row_empty, 0,
     "two rdtsc back to back: the measurement's own cost, included in every row"},
};
#define NROWS ((int)(sizeof rows / sizeof rows[0]))

/* The one place that knows what a door cannot do: in a unikernel build
 * ("direct") there is one program in the kernel's address space, and
 * no second process to fork. */
static const char *door_cannot(const struct row *r)
{
    if ((r->uses & USES_FORK) && strcmp(door, "direct") == 0)
        return "a unikernel runs one program: no fork";
    return NULL;
}

static int cmp_unsigned(const void *a, const void *b)
{
    unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
    return x < y ? -1 : x > y;
}

static void report(const struct row *r)
{
    qsort(samples, (size_t)runs, sizeof *samples, cmp_unsigned);
    unsigned median = samples[runs / 2], p90 = samples[runs * 9 / 10];
    printf("bench: row=%s door=%s median=%u p90=%u min=%u max=%u n=%d\n", r->name, door, median,
           p90, samples[0], samples[runs - 1], runs);
    printf("bench:   %s: median %u, p90 %u instructions -- %s\n", r->name, median, p90,
           r->includes);
}

static void run_row(const struct row *r)
{
    fflush(stdout);             /* a forked child must not inherit output */
    const char *why = door_cannot(r);
    if (why == NULL)
        why = r->run();
    if (why != NULL)
        printf("bench: row=%s door=%s skipped=%s\n", r->name, door, why);
    else
        report(r);
}

static int usage(void)
{
    fprintf(stderr, "usage: bench [--door=int80|sysenter|direct] [--runs=N] [ROW...]\nrows:");
    for (int i = 0; i < NROWS; i++)
        fprintf(stderr, " %s", rows[i].name);
    fprintf(stderr, "\n");
    return 2;
}

static const struct row *find_row(const char *name)
{
    for (int i = 0; i < NROWS; i++)
        if (strcmp(rows[i].name, name) == 0)
            return &rows[i];
    return NULL;
}

/* All rows if none are named, else the named ones (in the table's order). */
static bool row_wanted(const struct row *r, int nnames, char **names)
{
    for (int i = 0; i < nnames; i++)
        if (strcmp(names[i], r->name) == 0)
            return true;
    return nnames == 0;
}

int main(int argc, char **argv)
{
    int first_row = 1;
    for (; first_row < argc && strncmp(argv[first_row], "--", 2) == 0; first_row++) {
        const char *arg = argv[first_row];
        if (strncmp(arg, "--door=", 7) == 0) {
            if (syscall_set_door(arg + 7) < 0) {
                fprintf(stderr, "bench: door %s: %s\n", arg + 7, strerror(errno));
                return 1;
            }
        } else if (strncmp(arg, "--runs=", 7) == 0) {
            runs = atoi(arg + 7);
        } else {
            return usage();
        }
    }
    for (int i = first_row; i < argc; i++)
        if (find_row(argv[i]) == NULL)
            return usage();
    door = syscall_door();
    samples = malloc((size_t)(runs > 0 ? runs : 1) * sizeof *samples);
    if (runs < 10 || samples == NULL)
        return usage();
    printf("bench: door=%s: path lengths in guest instructions (QEMU -icount: rdtsc counts "
           "instructions), not cycles; %d runs per row after %d warm-up runs\n",
           door, runs, WARMUP);
    for (int i = 0; i < NROWS; i++)
        if (row_wanted(&rows[i], argc - first_row, argv + first_row))
            run_row(&rows[i]);
    return 0;
}
