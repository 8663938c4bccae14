/*
 * ubench.c -- path lengths of system calls and faults, for `make bench`.
 *
 * Run under QEMU's -icount shift=0,sleep=off, where rdtsc counts guest
 * instructions (docs/protocol.md): each figure is the number of
 * instructions between two rdtsc reads, the same on every run and host.
 * They are path lengths, not cycles. Prints "bench:" lines; what each
 * includes is said next to it.
 *
 *     ubench [N]        N samples of each (default 10000)
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <tidepool.h>
#include <unistd.h>

static unsigned *samples;

static inline unsigned long long rdtsc(void)
{
    unsigned lo, hi;
    /* SAFETY: rdtsc reads the time-stamp counter; user mode may (CR4.TSD
     * is clear). */
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (unsigned long long)hi << 32 | lo;
}

/* Shell sort: the libc has no qsort yet, and 10,000 numbers need none. */
static void sort(unsigned *a, int n)
{
    for (int gap = n / 2; gap > 0; gap /= 2)
        for (int i = gap; i < n; i++)
            for (int j = i; j >= gap && a[j - gap] > a[j]; j -= gap) {
                unsigned t = a[j];
                a[j] = a[j - gap];
                a[j - gap] = t;
            }
}

static void report(const char *what, int n)
{
    sort(samples, n);
    printf("bench: %s: median %u instructions (min %u, p90 %u, max %u) over %d runs\n", what,
           samples[n / 2], samples[0], samples[n * 9 / 10], samples[n - 1], n);
}

/* getpid through one door: user stub, entry, dispatch, sys_getpid, exit. */
static void bench_getpid(const char *what, long (*door)(long, long, long, long, long, long),
                         int n)
{
    for (int i = -100; i < n; i++) {
        unsigned long long t0 = rdtsc();
        door(SYS_getpid, 0, 0, 0, 0, 0);
        unsigned long long t1 = rdtsc();
        if (i >= 0)
            samples[i] = (unsigned)(t1 - t0);
    }
    report(what, n);
}

/* fork + the child's _exit(0) + waitpid: the whole life of a process that
 * touches nothing (its copy-on-write sharing, the scheduler, the reap). */
static void bench_fork(int n)
{
    for (int i = -10; i < n; i++) {
        unsigned long long t0 = rdtsc();
        pid_t pid = fork();
        if (pid == 0)
            _exit(0);
        waitpid(pid, NULL, 0);
        unsigned long long t1 = rdtsc();
        if (i >= 0)
            samples[i] = (unsigned)(t1 - t0);
    }
    report("fork + exit + waitpid", n);
}

/* The first write to a fresh heap page: the fault, a zeroed frame mapped,
 * the write again. sbrk maps nothing; each page is new. The pages are
 * touched in rounds of TOUCH_ROUND, each round's heap given back (its
 * frames freed) before the next, so that n can exceed what the memory
 * cap (TP_MEM_MAX) lets one process hold. */
#define TOUCH_ROUND 1024
static void bench_first_touch(int n)
{
    for (int done = 0; done < n; done += TOUCH_ROUND) {
        int round = n - done < TOUCH_ROUND ? n - done : TOUCH_ROUND;
        long bytes = (long)round * 4096 + 4096;
        char *heap = sbrk(bytes);
        if (heap == (char *)-1) {
            printf("bench: first touch: sbrk failed\n");
            return;
        }
        /* SAFETY: pointer arithmetic to the first page boundary in the heap. */
        char *first = heap + (-(unsigned long)heap & 4095);
        for (int i = 0; i < round; i++) {
            volatile char *page = first + (long)i * 4096;
            unsigned long long t0 = rdtsc();
            *page = 1;
            unsigned long long t1 = rdtsc();
            samples[done + i] = (unsigned)(t1 - t0);
        }
        sbrk(-bytes);
    }
    report("first-touch write fault on a heap page (zeroing 4 KiB included)", n);
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 10000;
    samples = malloc((size_t)n * sizeof *samples);
    if (n <= 0 || samples == NULL) {
        fprintf(stderr, "usage: ubench [N]\n");
        return 2;
    }
    bench_getpid("getpid round trip, int $0x80", syscall_int80, n);
    if (getauxval(AT_SYSENTER))
        bench_getpid("getpid round trip, sysenter", syscall_sysenter, n);
    bench_fork(n);
    bench_first_touch(n);
    return 0;
}
