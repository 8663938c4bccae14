/*
 * sysfuzz.c -- the system-call fuzzer (issue 17): random system calls
 * with arguments drawn from interesting values, in several processes and
 * threads at once; afterwards every frame and every kernel heap byte must
 * be back. KTAP on stdout; best run as process 1:
 *
 *     run=/bin/sysfuzz [-s SEED] [-n CALLS] [-p WORKERS] [-t THREADS]
 *                      [-w WORKER] [-v] [-W WARMUP] [-c CALL,CALL...] [-S]
 *
 *   -s SEED     the run's seed (default 1); the same seed makes the same
 *               calls: thread t of worker w draws from the stream
 *               (SEED, w, t), and its arguments depend only on that
 *               stream and on its own earlier results
 *   -n CALLS    calls in all (default 20000), shared out among the threads
 *   -p WORKERS  processes fuzzing at once (default 4)
 *   -t THREADS  threads of each odd-numbered worker (default 3; even
 *               workers have one, so their runs replay exactly)
 *   -w WORKER   replay: run only worker WORKER (its share as in the full run)
 *   -v          print each call before it is made (a panic's last line
 *               then names the call that caused it)
 *   -c LIST     make only the calls named in LIST (comma-separated
 *               names of fuzz/calls.c's table): to narrow a finding down
 *   -W WARMUP   calls of the warm-up round (default CALLS / 20, at most
 *               5000), after which the counters are read
 *   -S          the machine is shared (the soak: httpd's clients come
 *               and go meanwhile), so the leak check's counters move for
 *               reasons of theirs: no_frames_lost and no_heap_leaked are
 *               skipped (the soak compares them itself, at rest)
 *
 * Cases: meminfo_checks_args (SYS_meminfo's EINVAL and EFAULT), workers_survived (each exited 0: none killed, none saw a
 * result it must never see -- worker.c's check_result), no_frames_lost,
 * no_heap_leaked. What the fuzzer leaves out and why: fuzz/calls.h.
 * The last line before the KTAP result says how many calls and how fast:
 *     sysfuzz: 20000 calls in 312 ticks: 6410 calls/s
 */
#include <dirent.h>
#include <errno.h>
#if LAB >= 6
#include <poll.h>
#include <sys/socket.h>
#endif
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <tidepool.h>
#include <unistd.h>

#include <ktap.h>
#include <meminfo.h>    /* kernel/abi */

#include "calls.h"
#include "rmtree.h"
#include "worker.h"

#define ROOT "/fz"

static bool machine_shared;     /* -S */

static int parse_opts(int argc, char **argv, struct fuzz_opts *o, uint32_t *warmup)
{
    int c;
    int warm_given = 0;
    *o = (struct fuzz_opts){ .seed = 1, .calls = 20000, .workers = 4, .threads = 3, .only = -1 };
    while ((c = getopt(argc, argv, "s:n:p:t:w:vW:c:S")) != -1) {
        switch (c) {
        case 's': o->seed = (uint32_t)strtoul(optarg, NULL, 0); break;
        case 'n': o->calls = (uint32_t)strtoul(optarg, NULL, 0); break;
        case 'p': o->workers = atoi(optarg); break;
        case 't': o->threads = atoi(optarg); break;
        case 'w': o->only = atoi(optarg); break;
        case 'v': o->verbose = 1; break;
        case 'c': o->only_calls = optarg; break;
        case 'W': *warmup = (uint32_t)strtoul(optarg, NULL, 0); warm_given = 1; break;
        case 'S': machine_shared = true; break;
        default: return -1;
        }
    }
    if (o->only_calls != NULL && calls_only(o->only_calls) == 0)
        return -1;
    if (o->workers < 1 || o->workers > 16 || o->threads < 1 || o->calls < (uint32_t)o->workers)
        return -1;
    if (!warm_given)
        *warmup = o->calls / 20 < 5000 ? o->calls / 20 : 5000;
    return 0;
}

/* What the kernel starts once, on first use, and keeps: it must exist
 * before the counters are read, or the leak check would count it. The
 * warm-up round may not happen to reach it, so it is reached here on
 * purpose. From lab 6, two kernel threads (each a struct thread and a
 * kernel stack: seen as 640 bytes and 4 frames "lost"): the first poll
 * that waits with a deadline starts the poll ticker (kernel/fs/poll.c),
 * and on a machine without a NIC the first socket starts netd
 * (kernel/net/stack.c, net_need_netd). */
static void start_kernel_services(void)
{
#if LAB >= 6
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    if (s >= 0)
        close(s);
    int fds[2];
    if (pipe(fds) != 0)
        return;
    struct pollfd p = { .fd = fds[0], .events = POLLIN };
    poll(&p, 1, 10);            /* an empty pipe: waits 10 ms, with a deadline */
    close(fds[0]);
    close(fds[1]);
#endif
}

/* One round: fork the workers, wait for them. Failures counted; the
 * lines that explain them are printed (replay command included). */
static int run_round(const struct fuzz_opts *o)
{
    int pids[16], failures = 0;
    fflush(NULL);
    for (int w = 0; w < o->workers; w++) {
        pids[w] = -1;
        if (o->only >= 0 && w != o->only)
            continue;
        char dir[32];
        snprintf(dir, sizeof dir, ROOT "/w%d", w);
        if (mkdir(dir, 0755) != 0 && errno != EEXIST)
            ktap_diag("mkdir %s: errno %d", dir, errno);
        pids[w] = fork();
        if (pids[w] == 0)
            _exit(worker_run(o, w, dir));
        if (pids[w] < 0) {
            ktap_diag("fork of worker %d failed: errno %d", w, errno);
            failures++;
        }
    }
    for (int w = 0; w < o->workers; w++) {
        int status = 0;
        if (pids[w] <= 0 || waitpid(pids[w], &status, 0) != pids[w])
            continue;
        if (status != 0) {
            ktap_diag("worker %d %s; replay it: run=/bin/sysfuzz -s %u -n %u -p %d -t %d -w %d -v",
                      w, ktap_status(status), (unsigned)o->seed, (unsigned)o->calls, o->workers,
                      o->threads, w);
            failures++;
        }
    }
    while (wait(NULL) > 0)      /* orphans of workers that died */
        ;
    if (rmtree(ROOT) != 0 || mkdir(ROOT, 0755) != 0) {
        ktap_diag("cleaning " ROOT " failed: errno %d", errno);
        failures++;
    }
    return failures;
}

/* SYS_meminfo's own errors (kernel/abi/meminfo.h): a size that is not
 * the struct's is EINVAL, a buffer outside user space EFAULT. */
static void check_meminfo_args(void)
{
    struct meminfo m;
    /* SAFETY: pointer -> integer: a real buffer, for the raw call. */
    long good = syscall_raw(SYS_meminfo, (long)(uintptr_t)&m, (long)sizeof m, 0, 0, 0);
    long small = syscall_raw(SYS_meminfo, (long)(uintptr_t)&m, (long)sizeof m - 1, 0, 0, 0);
    long null = syscall_raw(SYS_meminfo, 0, (long)sizeof m, 0, 0, 0);
    long kernel = syscall_raw(SYS_meminfo, 0x00100000, (long)sizeof m, 0, 0, 0);
    if (good != 0 || small != -EINVAL || null != -EFAULT || kernel != -EFAULT)
        ktap_diag("meminfo: %s, short size %s, NULL %s, kernel buffer %s; expected 0, -EINVAL, "
                  "-EFAULT, -EFAULT", ktap_raw(good), ktap_raw(small), ktap_raw(null),
                  ktap_raw(kernel));
    ktap_result(good == 0 && small == -EINVAL && null == -EFAULT && kernel == -EFAULT,
                "meminfo_checks_args");
}

/* Names in "/" (but ROOT) joined, to see that the workers stayed in
 * their directories: a name the fuzzer made outside would be a file the
 * leak check counts as lost. */
static void root_names(char *buf, size_t room)
{
    DIR *d = opendir("/");
    size_t used = 0;
    buf[0] = '\0';
    struct dirent *e;
    while (d != NULL && (e = readdir(d)) != NULL && used + NAME_MAX + 2 < room)
        if (strcmp(e->d_name, ROOT + 1) != 0)
            used += (size_t)snprintf(buf + used, room - used, "%s ", e->d_name);
    if (d != NULL)
        closedir(d);
}

static void print_rate(uint32_t calls, unsigned long ticks)
{
    unsigned long hz = ticks_per_second();
    unsigned long rate = ticks ? (unsigned long)((unsigned long long)calls * hz / ticks) : 0;
    printf("sysfuzz: %u calls in %lu ticks: %lu calls/s\n", (unsigned)calls, ticks, rate);
}

static uint32_t calls_made(const struct fuzz_opts *o)
{
    if (o->only < 0)
        return o->calls;
    uint32_t n = 0;
    for (int t = 0; t < worker_threads(o, o->only); t++)
        n += worker_share(o, o->only, t);
    return n;
}

/* Frames are lost if fewer are free than before, beyond what the kernel
 * heap grew by (its pages stay mapped for reuse) and, when it grew, a
 * page table for them and with KASAN their shadow (a page per 8 of heap,
 * one more where the growth straddles a shadow page). */
static void check_leaks(const struct meminfo *a, const struct meminfo *b)
{
    long grew = (long)b->heap_pages - (long)a->heap_pages;
    long lost = (long)a->free_frames - (long)b->free_frames - grew;
    long slack = grew > 0 ? 1 + (b->kasan ? grew / 8 + 1 : 0) : 0;
    ktap_diag("free frames %u -> %u, heap pages %u -> %u, heap bytes %u -> %u, blocks %u -> %u",
              a->free_frames, b->free_frames, a->heap_pages, b->heap_pages, a->heap_bytes,
              b->heap_bytes, a->heap_blocks, b->heap_blocks);
    if (machine_shared) {
        ktap_skip("no_frames_lost", "sysfuzz -S: other programs ran meanwhile");
        ktap_skip("no_heap_leaked", "sysfuzz -S: other programs ran meanwhile");
        return;
    }
    ktap_result(lost <= slack, "no_frames_lost");
    ktap_result(a->heap_bytes == b->heap_bytes && a->heap_blocks == b->heap_blocks,
                "no_heap_leaked");
}

int main(int argc, char **argv)
{
    struct fuzz_opts o;
    uint32_t warmup;
    if (parse_opts(argc, argv, &o, &warmup) != 0) {
        fprintf(stderr, "usage: sysfuzz [-s SEED] [-n CALLS] [-p WORKERS] [-t THREADS] "
                        "[-w WORKER] [-v] [-W WARMUP] [-c CALL,...] [-S]\n");
        return 2;
    }
    printf("sysfuzz: seed %u, %u calls, %d workers, %d threads in odd ones%s\n",
           (unsigned)o.seed, (unsigned)o.calls, o.workers, o.threads, o.verbose ? ", verbose" : "");
    ktap_plan(4);
    check_meminfo_args();
    rmtree(ROOT);
    mkdir(ROOT, 0755);
    /* The warm-up: a short round with another seed, so that what the
     * kernel keeps once made (its heap's size) is made before counting. */
    struct fuzz_opts warm = o;
    warm.seed = o.seed ^ 0x5eed5eedu;
    warm.calls = warmup >= (uint32_t)o.workers ? warmup : 0;
    warm.verbose = 0;
    int failures = warm.calls ? run_round(&warm) : 0;
    start_kernel_services();

    static char names_before[2048], names_after[2048];
    struct meminfo before, after;
    root_names(names_before, sizeof names_before);
    meminfo(&before);
    unsigned long t0 = uptime();
    failures += run_round(&o);
    unsigned long ticks = uptime() - t0;
    print_rate(calls_made(&o), ticks);
    ktap_result(failures == 0, "workers_survived");
    meminfo(&after);            /* as before: an empty ROOT (run_round leaves it so) */
    root_names(names_after, sizeof names_after);
    if (strcmp(names_before, names_after) != 0)
        ktap_diag("the workers changed /: before: %s; after: %s", names_before, names_after);
    check_leaks(&before, &after);
    rmtree(ROOT);
    return ktap_finish();
}
