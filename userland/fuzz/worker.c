/* worker.c -- a fuzzing process: its threads, their calls, the checks
 * on each result (worker.h). */
#include "worker.h"

#include <stdio.h>
#include <string.h>
#include <tidepool.h>
#include <unistd.h>

#include <stat.h>       /* kernel/abi */
#include <wait.h>       /* kernel/abi: SIGPIPE, SIG_IGN, WNOHANG */
#if LAB >= 5
#include <futex.h>      /* kernel/abi */
#endif

#include "calls.h"
#include "trace.h"
#include "values.h"

#define PAGE 4096u
#define THREAD_STACK (64 * 1024)
#define HEAP_SCRATCH (64 * 1024)
#define MAX_REPORTS 5           /* check failures printed per thread */
#define PROGRESS_EVERY 10000    /* a line per this many calls of a thread: a long run shows it moves */
#define STALL_SECONDS 1         /* no call returned for 1 s: one is blocked (close_all) */
#define STUCK_SECONDS 30        /* for 30 s, close_all notwithstanding: say where */

struct thread_ctx {
    const struct fuzz_opts *o;
    int worker, thread;
    uint32_t budget;
    /* SAFETY: volatile: written by this thread, read by the worker's
     * first thread while it waits for the others to finish. */
    volatile uint32_t done;
    volatile int finished;
    int failures;
    struct rng rng;
    struct regions g;
    struct caller who;
    struct trace trace;
    struct call current;        /* the call being made: what a stuck thread is in */
    char path[1024];            /* two PATH_SLOTs (calls.c) */
    uint32_t futex_word;        /* FUTEX_WAIT's word: nothing writes it (defang_futex) */
};

/* Scratch the kernel may write anything into (values.h): nothing of the
 * fuzzer lives there. */
static char data_scratch[16384] __attribute__((aligned(16)));
static char thread_stacks[MAX_THREADS][THREAD_STACK] __attribute__((aligned(16)));
static struct thread_ctx threads[MAX_THREADS];
static uint32_t heap_lo, heap_hi;

extern char _etext[], _end[];    /* user.ld: the end of rodata, of .bss */

/* SAFETY: pointer -> integer, for the address arithmetic of regions. */
#define ADDR(p) ((uint32_t)(uintptr_t)(p))

int worker_threads(const struct fuzz_opts *o, int w)
{
    return w % 2 == 1 && o->threads > 1 ? (o->threads > MAX_THREADS ? MAX_THREADS : o->threads) : 1;
}

/* Every thread gets the same share (so single-threaded workers are not
 * left running alone at the end); the remainder goes to worker 0. */
uint32_t worker_share(const struct fuzz_opts *o, int w, int t)
{
    uint32_t threads = 0;
    for (int i = 0; i < o->workers; i++)
        threads += (uint32_t)worker_threads(o, i);
    if (threads == 0)
        return 0;           /* no workers (-p 0): no calls to share */
    uint32_t share = o->calls / threads;
    return share + (w == 0 && t == 0 ? o->calls % threads : 0);
}

/* The code and read-only data end here (a multiple of 4: user.ld). */
static uint32_t text_end(void)
{
    return ADDR(_etext) & ~3u;
}

static uint32_t checksum_text(uint32_t lo, uint32_t hi)
{
    uint32_t sum = 0;
    for (uint32_t a = lo; a < hi; a += 4)
        /* SAFETY: integer -> pointer: [lo, hi) is the program's own text,
         * always mapped readable; only read here. */
        sum = (sum << 5 | sum >> 27) ^ *(const uint32_t *)(uintptr_t)a;
    return sum;
}

static void setup_regions(struct thread_ctx *t, uint32_t stack_hi)
{
    struct regions *g = &t->g;
    g->text_lo = USER_TEXT;
    g->text_hi = text_end();
    g->data_lo = ADDR(data_scratch);
    g->data_hi = ADDR(data_scratch) + sizeof data_scratch;
    g->data_tail = (ADDR(_end) + PAGE - 1) & ~(PAGE - 1);
    /* The bytes between the end of .bss and its page's end are mapped
     * and no variable's: scratch at the very end of a mapping. */
    g->data_tail_room = g->data_tail - ADDR(_end) >= 16 ? (g->data_tail - ADDR(_end)) & ~15u : 0;
    g->heap_lo = heap_lo;
    g->heap_hi = heap_hi;
    /* Below this frame: the stack the calls' own frames never reach
     * (they take well under 8 KiB; the thread has 64). */
    g->stack_hi = stack_hi - 8192;
    g->stack_lo = g->stack_hi - 32768;
    g->path = ADDR(t->path);
    g->path_buf = t->path;
}

/* Fills the last bytes of user space with non-NUL bytes: the
 * unterminated strings of values_path() point there. */
static void fill_user_top(void)
{
    /* SAFETY: integer -> pointer: the last 64 bytes of user space are
     * the top of the first thread's stack, mapped, above anything the
     * worker still uses (its argv and environment strings, read before). */
    memset((void *)(uintptr_t)(USER_TOP - 64), 'x', 64);
}

/* argv/envp arrays: in data scratch, entries of every kind. */
static void fill_strvec(struct thread_ctx *t, uint32_t at, int kind)
{
    if (kind != PTR_DATA && kind != PTR_STACK)
        return;                 /* not scratch the fuzzer may write itself */
    if (kind == PTR_STACK)
        return;                 /* the stack's scratch moves under calls: leave it */
    /* SAFETY: integer -> pointer: `at` is inside data_scratch (PTR_DATA),
     * which the fuzzer owns; 4-byte entries up to its end. */
    uint32_t *vec = (uint32_t *)(uintptr_t)(at & ~3u);
    uint32_t room = (t->g.data_hi - (at & ~3u)) / 4;
    uint32_t n = rng_below(&t->rng, 4);
    for (uint32_t i = 0; i < n && i + 1 < room; i++) {
        enum ptr_kind k;
        vec[i] = pick_ptr(&t->rng, &t->g, &k);
    }
    if (n < room)
        vec[n] = 0;
}

static int32_t raw(uint32_t nr, const uint32_t *a)
{
    return (int32_t)syscall_raw((long)nr, (long)a[0], (long)a[1], (long)a[2], (long)a[3], (long)a[4]);
}

/* read/write on a pipe, the console or a socket could block: 0 bytes. */
static void defang_stream_io(struct call *c)
{
    struct stat st;
    /* SAFETY: pointer -> integer: st is this frame's, for the raw call. */
    uint32_t a[5] = { c->a[0], ADDR(&st), 0, 0, 0 };
    if (raw(SYS_fstat, a) == 0 && (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode)))
        c->a[2] = 0;
}

#if LAB >= 5
/* FUTEX_WAIT sleeps if the word holds the expected value, and nobody
 * would wake it. A pointer into memory that can change (scratch: other
 * threads and the kernel write there) becomes one into the thread's
 * own futex word, which nothing writes, and the expected value is made
 * to differ from it; text never changes; the bad kinds fail anyway. */
static void defang_futex(struct thread_ctx *t, struct call *c)
{
    if (c->a[1] != FUTEX_WAIT)
        return;
    uint8_t k = c->ptr_kind[0];
    if (k == PTR_TEXT && (c->a[0] & 3) == 0) {
        /* SAFETY: integer -> pointer: an aligned word of the program's
         * text, mapped, readable and never written. */
        c->a[2] = *(const uint32_t *)(uintptr_t)c->a[0] + 1;
        return;
    }
    if (k == PTR_DATA || k == PTR_DATA_TAIL || k == PTR_HEAP || k == PTR_HEAP_TAIL ||
        k == PTR_STACK || k == PTR_USER_TOP || k == PTR_MISALIGNED) {
        c->a[0] = ADDR(&t->futex_word) + (c->a[0] & 3);   /* misaligned stays so: EINVAL */
        c->a[2] = t->futex_word + 1;
    }
}
#endif

/* Fork's child leaves at once with FORK_CHILD_STATUS; the parent reaps
 * it and says (in *status) how it ended: anything else is a kernel bug
 * (all the child did was return from fork and call exit). */
#define FORK_CHILD_STATUS 42
static int32_t do_fork(int *status)
{
    uint32_t none[5] = { 0 };
    int32_t pid = raw(SYS_fork, none);
    if (pid == 0) {
        uint32_t code[5] = { FORK_CHILD_STATUS, 0, 0, 0, 0 };
        raw(SYS_exit, code);
    }
    *status = W_EXITCODE(FORK_CHILD_STATUS);
    if (pid > 0) {
        /* SAFETY: pointer -> integer: status is the caller's, for the raw call. */
        uint32_t w[5] = { (uint32_t)pid, ADDR(status), 0, 0, 0 };
        if (raw(SYS_waitpid, w) != pid)
            *status = W_EXITCODE(FORK_CHILD_STATUS);   /* another thread's waitpid took it */
    }
    return pid;
}

/* pipe, write n bytes from one pointer, read at most that many into
 * another, close both: real bytes through a pipe, never blocking. */
static int32_t do_pipe_roundtrip(struct call *c)
{
    int32_t fds[2] = { -1, -1 };    /* the kernel fills them (cppcheck cannot see it) */
    uint32_t a[5] = { ADDR(fds), 0, 0, 0, 0 };
    int32_t r = raw(SYS_pipe, a);
    if (r != 0)
        return r;
    uint32_t n = c->a[1] > 4096 ? 4096 : c->a[1];   /* what the pipe holds without blocking */
    uint32_t w[5] = { (uint32_t)fds[1], c->a[0], n, 0, 0 };
    int32_t wrote = raw(SYS_write, w);
    if (wrote > 0) {
        uint32_t m = c->a[3] < (uint32_t)wrote ? c->a[3] : (uint32_t)wrote;
        uint32_t rd[5] = { (uint32_t)fds[0], c->a[2], m, 0, 0 };
        r = raw(SYS_read, rd);
    } else {
        r = wrote;
    }
    for (int i = 0; i < 2; i++) {
        uint32_t cl[5] = { (uint32_t)fds[i], 0, 0, 0, 0 };
        raw(SYS_close, cl);
    }
    return r;
}

/* Bytes the kernel may write from p on: what is left of its region, if
 * the fuzzer's own memory lies above it (data scratch: other variables;
 * stack scratch: the live frames), else no limit (the heap scratch has
 * the unmapped space above the break over it, the end of user space
 * nothing). */
static uint32_t room_above(const struct thread_ctx *t, uint32_t p, uint8_t kind)
{
    const struct regions *g = &t->g;
    if ((kind == PTR_DATA || kind == PTR_MISALIGNED) && p >= g->data_lo && p < g->data_hi)
        return g->data_hi - p;
    if (kind == PTR_STACK && p >= g->stack_lo && p < g->stack_hi)
        return g->stack_hi - p;     /* 8 KiB of margin above stack_hi for small structs */
    return 0xffffffffu;
}

/* A size argument never lets the kernel write past the scratch the
 * pointers of the call point into: a read of 64 KiB into the stack's
 * scratch would overwrite the frames above it (seen: a return address
 * of 0 from a file's hole, the worker killed at eip 0). poll's count is
 * of 8-byte records. */
static void clamp_sizes(const struct thread_ctx *t, struct call *c)
{
    uint32_t room = 0xffffffffu;
    for (int i = 0; i < 5; i++)
        if (c->ptr_kind[i] < PTR_KINDS) {
            uint32_t r = room_above(t, c->a[i], c->ptr_kind[i]);
            room = r < room ? r : room;
        }
    if (room == 0xffffffffu)
        return;
#if LAB >= 6
    if (c->spec->nr == SYS_poll)
        room /= 8;
#endif
    for (int i = 0; i < 5; i++)
        if (c->spec->args[i] == A_SIZE && c->a[i] > room)
            c->a[i] = room;
}

/* Everything that rewrites the drawn arguments (calls.h's list), so
 * that -v prints the call as it is made. */
static void prepare_call(struct thread_ctx *t, struct call *c)
{
    defang(c, &t->who);
    switch (c->spec->nr) {
    case SYS_read:
    case SYS_write:
        defang_stream_io(c);
        break;
    case SYS_execve:
        fill_strvec(t, c->a[1], c->ptr_kind[1]);
        fill_strvec(t, c->a[2], c->ptr_kind[2]);
        break;
#if LAB >= 5
    case SYS_futex:
        defang_futex(t, c);
        break;
#endif
    }
    clamp_sizes(t, c);
    for (int i = 0; i < 5; i++)
        if (c->ptr_kind[i] == PTR_USER_TOP)
            fill_user_top();
}

static int32_t make_call(struct call *c, int *fork_status)
{
    switch (c->spec->nr) {
    case SYS_fork:
        return do_fork(fork_status);
    case CALL_PIPE_ROUNDTRIP:
        return do_pipe_roundtrip(c);
    }
    return raw(c->nr, c->a);
}

/* What a result must never be, whatever the arguments. */
static const char *check_result(const struct call *c, int32_t r)
{
    if (r < 0 && r < -4095)
        return "a result below -4095: neither a value nor an errno";
    int out = c->spec->out_arg;
    if (out >= 0 && (r > 0 || (r == 0 && c->spec->zero_is_write))) {
        uint8_t k = c->ptr_kind[out];
        if (k == PTR_NULL || k == PTR_KERNEL || k == PTR_BELOW_USER || k == PTR_WRAP)
            return "success writing through a pointer outside user space";
    }
    if (c->spec->nr == SYS_execve && r == 0)
        return "execve of a file that must not run succeeded";
    if (c->spec->nr == SYS_thread_create && r >= 0)
        return "thread_create with an entry outside user space succeeded";
    return NULL;
}

static void print_replay(const struct thread_ctx *t)
{
    dprintf(FD_REPORT, "sysfuzz:   replay: run=/bin/sysfuzz -s %u -n %u -p %d -t %d -w %d -v\n",
            (unsigned)t->o->seed, (unsigned)t->o->calls, t->o->workers, t->o->threads, t->worker);
}

static void report(struct thread_ctx *t, const struct call *c, uint32_t index, int32_t r,
                   const char *what)
{
    if (++t->failures > MAX_REPORTS)
        return;
    char line[256];
    trace_format(line, sizeof line, c, index, r, 1);
    dprintf(FD_REPORT, "sysfuzz: FAIL seed %u worker %d thread %d: %s\n", (unsigned)t->o->seed,
            t->worker, t->thread, what);
    dprintf(FD_REPORT, "sysfuzz:   %s\n", line);
    dprintf(FD_REPORT, "sysfuzz:   the calls before it:\n");
    trace_dump(&t->trace, FD_REPORT, "sysfuzz:     ");
    print_replay(t);
}

static void fuzz_loop(struct thread_ctx *t)
{
    char here;
    setup_regions(t, ADDR(&here));
    for (uint32_t i = 0; i < t->budget; i++) {
        struct call c;
        call_draw(&t->rng, &t->g, &c);
        prepare_call(t, &c);
        if (t->o->verbose) {
            char line[256];
            trace_format(line, sizeof line, &c, i, 0, 0);
            dprintf(FD_REPORT, "[%d.%d] %s\n", t->worker, t->thread, line);
        }
        t->current = c;
        int fork_status = W_EXITCODE(FORK_CHILD_STATUS);
        int32_t r = make_call(&c, &fork_status);
        if (t->o->verbose)
            dprintf(FD_REPORT, "[%d.%d] #%u = %d\n", t->worker, t->thread, (unsigned)i, (int)r);
        const char *bad = fork_status != W_EXITCODE(FORK_CHILD_STATUS)
                              ? "fork's child did not exit with the status it asked for"
                              : check_result(&c, r);
        if (bad != NULL)
            report(t, &c, i, r, bad);
        trace_add(&t->trace, &c, i, r);
        /* SAFETY: volatile store: the count the first thread watches
         * (wait_for_threads); one aligned word, written only here. */
        t->done = i + 1;
        if ((i + 1) % PROGRESS_EVERY == 0)
            dprintf(FD_REPORT, "sysfuzz: worker %d thread %d: %u calls at tick %lu\n", t->worker,
                    t->thread, (unsigned)(i + 1), uptime());
    }
}

static int thread_main(void *arg)
{
    struct thread_ctx *t = arg;
    t->who.tid = gettid();
    fuzz_loop(t);
    /* SAFETY: volatile store: the flag the first thread watches; set
     * once, after this thread's last call. */
    t->finished = 1;
    return 0;
}

/* Closing every descriptor ends any read or write blocked on a pipe
 * another thread made between our fstat and its read (calls.h). */
static void close_all(void)
{
    for (uint32_t fd = 0; fd < FD_POOL; fd++) {
        uint32_t a[5] = { fd, 0, 0, 0, 0 };
        raw(SYS_close, a);
    }
}

/* The live threads the kernel counts in this process (ps's THR), or -1. */
static int live_threads(void)
{
    static struct procinfo table[64];   /* only this thread calls it */
    int pid = getpid(), n = procinfo(table, 64);
    for (int i = 0; i < n; i++)
        if (table[i].pid == pid)
            return table[i].threads;
    return -1;
}

/* The threads that have not finished after STUCK_SECONDS without a call
 * returning: the call each is in (as far as this thread can see: a
 * thread that is stuck keeps its `current` still), the calls before it,
 * and how many threads the kernel says are alive. A hang then explains
 * itself on the console (the soak's timeout only says that it hung). */
static void report_stuck(int n, uint32_t ticks)
{
    dprintf(FD_REPORT, "sysfuzz: STUCK seed %u worker %d: no call has returned for %u s; "
            "the kernel counts %d live threads of %d\n", (unsigned)threads[0].o->seed,
            threads[0].worker, (unsigned)(ticks / ticks_per_second()), live_threads(), n);
    for (int i = 1; i < n; i++) {
        const struct thread_ctx *t = &threads[i];
        /* SAFETY: volatile loads: that thread's count and flag, which it
         * may still write; one aligned word each, read once here. */
        uint32_t done = t->done;
        int finished = t->finished;
        if (finished)
            continue;
        char line[256] = "none: it has made no call yet";
        if (done == t->budget)
            snprintf(line, sizeof line, "none: it is past its last call");
        else if (t->current.spec != NULL)
            trace_format(line, sizeof line, &t->current, done, 0, 0);
        dprintf(FD_REPORT, "sysfuzz:   thread %d (tid %d), %u of %u calls made; the call it is in: %s\n",
                t->thread, t->who.tid, (unsigned)done, (unsigned)t->budget, line);
        dprintf(FD_REPORT, "sysfuzz:   the calls before it:\n");
        trace_dump(&t->trace, FD_REPORT, "sysfuzz:     ");
    }
    print_replay(&threads[0]);
}

/* Waits for the other threads: when none has made a call for a second,
 * one is blocked (calls.h says how that can happen): close_all. When
 * that does not help for STUCK_SECONDS, the kernel may be at fault: say
 * where the threads are, once, and keep waiting. */
static void wait_for_threads(int n)
{
    const uint32_t hz = (uint32_t)ticks_per_second();
    uint32_t last_sum = 0, since = uptime(), progress = since;
    int reported = 0;
    for (;;) {
        uint32_t sum = 0;
        int running = 0;
        for (int i = 1; i < n; i++) {
            sum += threads[i].done;
            running += !threads[i].finished;
        }
        if (running == 0)
            return;
        uint32_t now = uptime();
        if (sum != last_sum) {
            last_sum = sum;
            since = progress = now;
        } else if (now - since > STALL_SECONDS * hz) {
            close_all();
            since = now;
        }
        if (!reported && now - progress > STUCK_SECONDS * hz) {
            report_stuck(n, now - progress);
            reported = 1;
        }
        yield();
    }
}

static void reap_children(void)
{
    uint32_t a[5] = { (uint32_t)-1, 0, 0, 0, 0 };
    while (raw(SYS_waitpid, a) > 0)
        ;
}

static void init_thread(struct thread_ctx *t, const struct fuzz_opts *o, int w, int i)
{
    memset(t, 0, sizeof *t);
    t->o = o;
    t->worker = w;
    t->thread = i;
    t->budget = worker_share(o, w, i);
    rng_seed(&t->rng, o->seed, (uint32_t)w, (uint32_t)i);
    t->who.pid = getpid();
    t->who.ppid = getppid();
}

int worker_run(const struct fuzz_opts *o, int w, const char *dir)
{
    dup2(1, FD_REPORT);
    close_all();
    uint32_t ign[5] = { SIGPIPE, SIG_IGN, 0, 0, 0 };
    raw(SYS_signal, ign);
    if (chdir(dir) != 0) {
        dprintf(FD_REPORT, "sysfuzz: worker %d: cannot chdir to %s\n", w, dir);
        return 1;
    }
    /* Heap scratch, page-aligned, never touched by the fuzzer itself:
     * its pages appear when the kernel first writes them. */
    uint32_t brk = ADDR(sbrk(0));
    sbrk((intptr_t)(((brk + PAGE - 1) & ~(PAGE - 1)) - brk + HEAP_SCRATCH));
    heap_lo = (brk + PAGE - 1) & ~(PAGE - 1);
    heap_hi = heap_lo + HEAP_SCRATCH;
    uint32_t sum0 = checksum_text(USER_TEXT, text_end());

    int n = worker_threads(o, w);
    for (int i = 0; i < n; i++)
        init_thread(&threads[i], o, w, i);
    int tids[MAX_THREADS] = { 0 };
    for (int i = 1; i < n; i++)
        if ((tids[i] = thread_create(thread_main, &threads[i], thread_stacks[i] + THREAD_STACK)) < 0)
            threads[i].finished = 1;
    threads[0].who.tid = gettid();
    fuzz_loop(&threads[0]);
    wait_for_threads(n);
    int failures = 0;
    for (int i = 1; i < n; i++)
        if (tids[i] > 0)
            thread_join(tids[i]);
    for (int i = 0; i < n; i++)
        failures += threads[i].failures;
    close_all();
    reap_children();
    if (checksum_text(USER_TEXT, text_end()) != sum0) {
        dprintf(FD_REPORT, "sysfuzz: FAIL seed %u worker %d: the program's text changed\n",
                (unsigned)o->seed, w);
        failures++;
    }
    return failures != 0;
}
