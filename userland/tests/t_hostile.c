/*
 * t_hostile.c -- the adversarial suite: whatever a user program does, the
 * kernel keeps running, returns an error or kills that program alone,
 * and loses nothing (issue 17; KTAP on stdout).
 *
 *     t_hostile                every case, then the free-frame check
 *     t_hostile fd. cpu.int    only the cases whose names start so
 *     t_hostile -l             the case names and what each expects
 *
 * The cases are tables, one file per group in userland/tests/t_hostile/
 * (hostile.h says what a case is); docs/userland.md lists them. Each case
 * runs in a child process of its own, in a process group of its own:
 * the child does the hostile thing and, for a RETURNS case, checks the
 * call's result itself and exits 0 or 1 (with a "# ..." line saying what
 * came back); the parent checks the wait status -- exited 0, killed by
 * the expected signal, or exited with the expected status. Whatever the
 * case left behind (its group) is then killed and reaped.
 *
 * A case that hangs is ended by the watchdog, a thread of this process
 * that kills the case's group after CASE_TICKS: a bound for a broken
 * kernel, never a synchronisation (no case waits for time to pass).
 *
 * THE FREE-FRAME CHECK (frames.back_to_start, the last case). After a
 * warm-up that takes the kernel's heap to its high-water mark for what
 * the cases need at once (the bombs run once, silently: a full process
 * table, a process full of threads, every socket), the count of
 * free frames before the cases must equal the count after them. If it
 * does not, the cases run again, silently, up to EXTRA_PASSES times: a
 * leak loses frames in every pass, a kernel cache that grew settles, and
 * one pass that ends where it began passes the check. (The plain kernel
 * settles in the first pass; under KASAN the quarantine shuffles the
 * heap, which may take a page more once or twice.)
 *
 * Run as process 1 (run=/bin/t_hostile, as the host test does), orphans
 * come here and are reaped after each case.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <tidepool.h>
#include <unistd.h>

#include <ktap.h>

#include "t_hostile/hostile.h"

#define CASE_TICKS 3000         /* the watchdog's bound for one case (30 s at 100 Hz) */
#define WATCHDOG_STACK 8192
#define EXTRA_PASSES 3          /* silent passes to tell a settling heap from a leak */

static const struct hgroup *const groups[] = {
    &ptr_cases, &fd_cases, &size_cases, &exec_cases, &path_cases, &proc_cases, &cpu_cases,
};
#define NGROUPS (sizeof groups / sizeof groups[0])

uintptr_t heap_end;
int file_fd = -1;
int dir_fd = -1;
int watchdog_tid;

/* ---- helpers the groups share (hostile.h) */

long sys3(long nr, long a1, long a2, long a3)
{
    return syscall_raw(nr, a1, a2, a3, 0, 0);
}

/* SAFETY: pointer -> integer: pointers travel to the kernel as words. */
long word(const void *p)
{
    return (long)(uintptr_t)p;
}

/* SAFETY: integer -> pointer: the cases' addresses are handed to the
 * kernel (which must check them) or touched on purpose to fault; a case
 * that writes through one says why it may. */
void *at(uintptr_t address)
{
    return (void *)address;
}

void survived(const char *what)
{
    ktap_diag("still alive after %s", what);
    _exit(SURVIVED);
}

/* ---- the watchdog thread */

static int watched_group;           /* __atomic: the case's group, 0 if none */
static unsigned long watched_since; /* __atomic: uptime() when it started */
static int watchdog_stop;           /* __atomic: main() is done */
static char watchdog_stack[WATCHDOG_STACK] __attribute__((aligned(16)));

static int watchdog(void *arg)
{
    (void)arg;
    while (!__atomic_load_n(&watchdog_stop, __ATOMIC_ACQUIRE)) {
        sleep_ticks(50);
        int group = __atomic_load_n(&watched_group, __ATOMIC_ACQUIRE);
        unsigned long since = __atomic_load_n(&watched_since, __ATOMIC_ACQUIRE);
        if (group > 0 && uptime() - since > CASE_TICKS)
            kill(-group, SIGKILL);
    }
    return 0;
}

static void watch(int group)
{
    __atomic_store_n(&watched_since, uptime(), __ATOMIC_RELEASE);
    __atomic_store_n(&watched_group, group, __ATOMIC_RELEASE);
}

/* ---- running one case */

static const char *expect_words(const struct hcase *c)
{
    static char text[48];

    if (c->expect == RETURNS)
        snprintf(text, sizeof text, "returns %s", ktap_raw(c->want));
    else if (c->expect == KILLED_BY)
        snprintf(text, sizeof text, "killed by signal %ld", c->want);
    else
        snprintf(text, sizeof text, "exits with %ld", c->want);
    return text;
}

/* The case's own process: do it, and judge a returned value here. */
__attribute__((noreturn)) static void case_child(const struct hcase *c)
{
    setpgid(0, 0);
    long r = c->run(c->arg);
    if (c->expect == EXITS)
        _exit((int)r);
    if (c->expect == KILLED_BY) {
        ktap_diag("%s returned %s and the process lives on", c->name, ktap_raw(r));
        _exit(SURVIVED);
    }
    if (r == c->want)
        _exit(0);
    ktap_diag("%s: expected %s, got %s", c->name, ktap_raw(c->want), ktap_raw(r));
    _exit(1);
}

static bool status_matches(const struct hcase *c, int st)
{
    switch (c->expect) {
    case RETURNS:
        return WIFEXITED(st) && WEXITSTATUS(st) == 0;
    case KILLED_BY:
        return WIFSIGNALED(st) && WTERMSIG(st) == c->want;
    default:
        return WIFEXITED(st) && WEXITSTATUS(st) == c->want;
    }
}

static void reap_orphans(void)
{
    if (getpid() == 1)
        while (waitpid(-1, NULL, WNOHANG) > 0)
            ;
}

/* Runs one case; reports it unless quiet. Whether it passed. */
static bool run_case(const struct hcase *c, bool quiet)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0)
        case_child(c);
    int st = 0;
    if (pid > 0) {
        setpgid(pid, pid);          /* both sides: no race with the child's */
        watch(pid);
        if (waitpid(pid, &st, 0) != pid)
            st = -1;
        watch(0);
        kill(-pid, SIGKILL);        /* what the case left running */
    }
    reap_orphans();
    bool ok = pid > 0 && st != -1 && status_matches(c, st);
    if (quiet)
        return ok;
    if (pid < 0)
        ktap_diag("fork for the case failed: %s", ktap_errno(pid, errno));
    else if (!ok)
        ktap_diag("%s: expected it %s; the process %s", c->name, expect_words(c),
                  st == -1 ? "could not be waited for" : ktap_status(st));
    ktap_result(ok, "%s", c->name);
    return ok;
}

/* ---- choosing, listing, counting */

static bool chosen(const struct hcase *c, int argc, char **argv)
{
    if (argc <= 1)
        return true;
    for (int i = 1; i < argc; i++)
        if (strncmp(c->name, argv[i], strlen(argv[i])) == 0)
            return true;
    return false;
}

/* Calls fn on every chosen case; how many there were. */
static int for_each_case(int argc, char **argv, bool (*fn)(const struct hcase *, bool),
                         bool quiet)
{
    int n = 0;
    for (size_t g = 0; g < NGROUPS; g++)
        for (int i = 0; i < groups[g]->count; i++)
            if (chosen(&groups[g]->cases[i], argc, argv)) {
                if (fn != NULL)
                    fn(&groups[g]->cases[i], quiet);
                n++;
            }
    return n;
}

static bool list_case(const struct hcase *c, bool quiet)
{
    (void)quiet;
    printf("%-44s %s\n", c->name, expect_words(c));
    return true;
}

/* ---- setup and the free-frame check */

/* Moves the break to a page boundary with a whole page of heap below it
 * (touched, so it is mapped): the page at heap_end is then unmapped. */
static void make_heap_end(void)
{
    char *brk = sbrk(0);
    if (brk == SBRK_FAILED)
        return;
    uintptr_t start = (uintptr_t)word(brk);
    uintptr_t pad = -start & (PAGE_SIZE - 1);
    if (sbrk((intptr_t)(pad + PAGE_SIZE)) == SBRK_FAILED)
        return;
    heap_end = start + pad + PAGE_SIZE;
    memset(at(heap_end - PAGE_SIZE), 0, PAGE_SIZE);     /* ours: just obtained */
}

/* Under KASAN (make test-hostile KASAN=1) kfree() parks blocks in a
 * 1 MiB quarantine before they go back, so the heap grows until the
 * quarantine is full. Each failing execve kmallocs and frees the
 * kernel's 8 KiB argument buffer: 256 of them fill it. (Nothing to fill
 * on a kernel without KASAN: then this costs a few milliseconds.) */
static void fill_kasan_quarantine(void)
{
    static char *const argv[] = {"x", NULL};
    for (int i = 0; i < 256; i++)
        execve("/nonexistent", argv, argv + 1);
}

/* The cases that take the kernel's heap to its high-water mark: a full
 * process table, a process full of threads, every socket there is. */
static const char *const high_water_cases[] = {
    "t_hostile", "proc.fork_bomb", "proc.thread_bomb", "proc.socket_bomb",
};

/* The kernel's heap keeps its high-water mark: reach it before counting,
 * by running the cases that need the most kernel objects at once (and
 * filling KASAN's quarantine). */
static void warm_up(void)
{
    fill_kasan_quarantine();
    int n = (int)(sizeof high_water_cases / sizeof high_water_cases[0]);
    /* SAFETY: dropping const: for_each_case takes argv's type; the
     * strings are only compared. */
    for_each_case(n, (char **)high_water_cases, run_case, true);
}

static bool check_frames(int argc, char **argv, long before)
{
    reap_orphans();
    long after = freeframes();
    if (after == before)
        return ktap_result(true, "frames.back_to_start");
    ktap_diag("%ld free frames before the cases, %ld after; running them again to tell a "
              "kernel cache from a leak", before, after);
    for (int pass = 2; pass <= EXTRA_PASSES + 1; pass++) {
        before = after;
        for_each_case(argc, argv, run_case, true);
        reap_orphans();
        after = freeframes();
        if (after == before)
            return ktap_result(true, "frames.back_to_start");
        ktap_diag("pass %d: %ld free frames before, %ld after: %ld frame(s) %s", pass, before,
                  after, after < before ? before - after : after - before,
                  after < before ? "fewer" : "more");
    }
    return ktap_result(false, "frames.back_to_start");
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "-l") == 0) {
        for_each_case(1, argv, list_case, false);
        return 0;
    }
    int n = for_each_case(argc, argv, NULL, false);
    if (n == 0) {
        printf("t_hostile: no case starts with '%s' (t_hostile -l lists them)\n", argv[1]);
        return 2;
    }
    ktap_plan(n + 1);
    file_fd = open("/bin/hello", O_RDONLY);
    dir_fd = open("/", O_RDONLY);
    make_heap_end();
    if (file_fd < 0 || dir_fd < 0 || heap_end == 0)
        ktap_diag("setup failed (open /bin/hello, open /, sbrk): cases that need it fail");
    int dog = thread_create(watchdog, NULL, watchdog_stack + WATCHDOG_STACK);
    watchdog_tid = dog;
    if (dog < 0)
        ktap_diag("no watchdog thread (%s): a hanging case hangs the suite",
                  ktap_errno(dog, errno));
    warm_up();
    unsigned long start = uptime();
    long before = freeframes();
    int passed = 0;
    for (size_t g = 0; g < NGROUPS; g++)
        for (int i = 0; i < groups[g]->count; i++)
            if (chosen(&groups[g]->cases[i], argc, argv))
                passed += run_case(&groups[g]->cases[i], false);
    unsigned long ticks = uptime() - start;
    ktap_diag("%d of %d cases passed in %lu ticks", passed, n, ticks);
    check_frames(argc, argv, before);
    __atomic_store_n(&watchdog_stop, 1, __ATOMIC_RELEASE);
    if (dog > 0)
        thread_join(dog);
    return ktap_finish();
}
