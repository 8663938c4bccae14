/*
 * t_cow.c -- fork gives the child a copy of memory, and frees it again
 * (KTAP on stdout).
 *
 * Before the fork the parent fills four regions with the pattern BEFORE:
 * a global array both processes write (`both`), a global array only the
 * child writes (`child_only`), a malloc'd buffer and an array on the
 * stack. After the fork the child writes CHILD to all four, the parent
 * writes PARENT to all but child_only, and each checks that it sees only
 * its own writes:
 *
 *   child_sees_prefork_data     the child first reads BEFORE everywhere
 *   child_sees_own_writes       after writing (and yielding, so that the
 *                               parent likely writes too) the child
 *                               reads CHILD everywhere it wrote
 *   parent_sees_own_writes      after the child has exited, the parent
 *                               reads PARENT in both, heap and stack
 *   parent_misses_child_writes  ... and BEFORE in child_only, which it
 *                               never wrote and the child overwrote
 *
 * Then leaks (SYS_freeframes counts free physical frames):
 *   freeframes_positive         freeframes() > 0
 *   no_frames_leaked            after one warm-up fork/exit/waitpid
 *                               cycle (so that page tables, kernel heap
 *                               pages and such are in place), 100 more
 *                               cycles, each child writing to its data,
 *                               heap and stack, leave freeframes() equal
 *                               to what it was before them
 *
 * The child reports through its exit status (bit 0: prefork data wrong,
 * bit 1: own writes wrong) and prints "# child: ..." for each problem.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <tidepool.h>
#include <unistd.h>

#include <ktap.h>

#define WORDS 1024                  /* 4 KiB: a page's worth of ints */
#define HEAP_WORDS (2 * WORDS)      /* 8 KiB: two pages or three */
#define STACK_WORDS 512             /* 2 KiB */

#define BEFORE 0x0b0b0000u
#define CHILD  0x0c0c0000u
#define PARENT 0x0a0a0000u

#define LEAK_CYCLES 100

#define CHILD_PREFORK_WRONG 1
#define CHILD_OWN_WRONG     2

static unsigned both[WORDS];
static unsigned child_only[WORDS];

struct regions {
    unsigned *heap;
    unsigned *stack;
};

/* Each word gets pattern + its index, so a shifted or partial copy shows. */
static void fill(unsigned *a, int n, unsigned pattern)
{
    for (int i = 0; i < n; i++)
        a[i] = pattern + (unsigned)i;
}

/* The index of the first word that is not pattern + index, or -1. */
static int first_mismatch(const unsigned *a, int n, unsigned pattern)
{
    for (int i = 0; i < n; i++) {
        if (a[i] != pattern + (unsigned)i)
            return i;
    }
    return -1;
}

/* True if a holds pattern; else prints who saw what where. */
static bool check(const char *who, const char *region, const unsigned *a, int n,
                  unsigned pattern)
{
    int i = first_mismatch(a, n, pattern);

    if (i < 0)
        return true;
    printf("# %s: %s[%d] = 0x%08x, expected 0x%08x\n", who, region, i, a[i],
           pattern + (unsigned)i);
    return false;
}

static bool check_all(const char *who, const struct regions *r, unsigned pattern,
                      bool with_child_only)
{
    bool ok = check(who, "both", both, WORDS, pattern);
    ok &= check(who, "heap", r->heap, HEAP_WORDS, pattern);
    ok &= check(who, "stack", r->stack, STACK_WORDS, pattern);
    if (with_child_only)
        ok &= check(who, "child_only", child_only, WORDS, pattern);
    return ok;
}

__attribute__((noreturn)) static void child(const struct regions *r)
{
    int failed = 0;

    if (!check_all("child", r, BEFORE, true))
        failed |= CHILD_PREFORK_WRONG;
    fill(both, WORDS, CHILD);
    fill(child_only, WORDS, CHILD);
    fill(r->heap, HEAP_WORDS, CHILD);
    fill(r->stack, STACK_WORDS, CHILD);
    for (int i = 0; i < 3; i++)
        yield();
    if (!check_all("child", r, CHILD, true))
        failed |= CHILD_OWN_WRONG;
    _exit(failed);
}

static void test_private_copies(struct regions *r)
{
    fill(both, WORDS, BEFORE);
    fill(child_only, WORDS, BEFORE);
    fill(r->heap, HEAP_WORDS, BEFORE);
    fill(r->stack, STACK_WORDS, BEFORE);

    pid_t pid = fork();
    if (pid == 0)
        child(r);
    if (pid < 0)
        ktap_diag("fork failed: %s", ktap_errno(pid, errno));
    fill(both, WORDS, PARENT);
    fill(r->heap, HEAP_WORDS, PARENT);
    fill(r->stack, STACK_WORDS, PARENT);

    int status = 0;
    pid_t waited = pid > 0 ? waitpid(pid, &status, 0) : -1;
    bool exited = waited == pid && WIFEXITED(status);
    if (pid > 0 && !exited)
        ktap_diag("the child: expected it to exit, it was %s", ktap_status(status));
    int bits = exited ? WEXITSTATUS(status) : 0xff;

    ktap_result(!(bits & CHILD_PREFORK_WRONG), "child_sees_prefork_data");
    ktap_result(!(bits & CHILD_OWN_WRONG), "child_sees_own_writes");
    ktap_result(check_all("parent", r, PARENT, false), "parent_sees_own_writes");
    ktap_result(check("parent", "child_only", child_only, WORDS, BEFORE),
                "parent_misses_child_writes");
}

/* One fork/exit/waitpid cycle whose child dirties data, heap and stack. */
static bool leak_cycle(struct regions *r)
{
    pid_t pid = fork();

    if (pid == 0) {
        fill(both, WORDS, CHILD);
        fill(r->heap, HEAP_WORDS, CHILD);
        fill(r->stack, STACK_WORDS, CHILD);
        _exit(0);
    }
    int status = 0;
    return pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
           WEXITSTATUS(status) == 0;
}

static void test_no_leaks(struct regions *r)
{
    long first = freeframes();

    if (first <= 0)
        ktap_diag("freeframes() = %s, expected a count > 0", ktap_errno(first, errno));
    ktap_result(first > 0, "freeframes_positive");

    bool cycles_ok = leak_cycle(r);     /* the warm-up */
    long before = freeframes();
    int failed_cycles = 0;
    for (int i = 0; i < LEAK_CYCLES; i++)
        failed_cycles += !leak_cycle(r);
    long after = freeframes();

    if (!cycles_ok || failed_cycles > 0)
        ktap_diag("%d of %d fork/exit/waitpid cycles went wrong", failed_cycles + !cycles_ok,
                  LEAK_CYCLES + 1);
    if (after != before)
        ktap_diag("free frames: %ld before %d cycles, %ld after: %ld frame(s) %s", before,
                  LEAK_CYCLES, after, after < before ? before - after : after - before,
                  after < before ? "leaked" : "gained (freed twice?)");
    ktap_result(cycles_ok && failed_cycles == 0 && after == before, "no_frames_leaked");
}

int main(void)
{
    unsigned stack[STACK_WORDS];
    struct regions r = {.heap = malloc(HEAP_WORDS * sizeof(unsigned)), .stack = stack};

    ktap_plan(6);
    if (r.heap == NULL) {
        ktap_diag("malloc(%u) failed: %s", (unsigned)(HEAP_WORDS * sizeof(unsigned)),
                  ktap_errno(-1, errno));
        return 1;
    }
    test_private_copies(&r);
    test_no_leaks(&r);
    return ktap_finish();
}
