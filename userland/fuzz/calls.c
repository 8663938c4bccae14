/* calls.c -- the fuzzer's call table, drawing, and defanging (calls.h). */
#include "calls.h"

#include <string.h>

#include "../../kernel/abi/fcntl.h"
#if LAB >= 6
#include "../../kernel/abi/socket.h"    /* SOCK_NONBLOCK, MSG_DONTWAIT */
#endif
#include "../../kernel/abi/syscall.h"
#include "../../kernel/abi/wait.h"      /* SIGPIPE, SIG_IGN */

#define PATH_SLOT 512   /* each argument's path has its own slot in g->path */

/* One line per call: number, name, its arguments' kinds, which pointer
 * the kernel writes through (-1: none). */
const struct call_spec call_table[] = {
    { SYS_fork, "fork", { 0 }, -1, 0 },
    { SYS_read, "read", { A_FD, A_PTR, A_SIZE }, 1, 0 },
    { SYS_write, "write", { A_FD, A_PTR, A_SIZE }, -1, 0 },
    { SYS_open, "open", { A_PATH, A_OPEN_FLAGS, A_MODE }, -1, 0 },
    { SYS_close, "close", { A_FD }, -1, 0 },
    { SYS_waitpid, "waitpid", { A_PID, A_PTR, A_INT }, -1, 0 },
    { SYS_unlink, "unlink", { A_PATH }, -1, 0 },
    { SYS_execve, "execve", { A_PATH_EXEC, A_STRVEC, A_STRVEC }, -1, 0 },
    { SYS_chdir, "chdir", { A_PATH }, -1, 0 },
    { SYS_lseek, "lseek", { A_FD, A_INT, A_WHENCE }, -1, 0 },
    { SYS_getpid, "getpid", { 0 }, -1, 0 },
    { SYS_kill, "kill", { A_PID, A_SIG }, -1, 0 },
    { SYS_rename, "rename", { A_PATH, A_PATH }, -1, 0 },
    { SYS_mkdir, "mkdir", { A_PATH, A_MODE }, -1, 0 },
    { SYS_rmdir, "rmdir", { A_PATH }, -1, 0 },
    { SYS_dup, "dup", { A_FD }, -1, 0 },
    { SYS_pipe, "pipe", { A_PTR }, 0, 1 },
    { SYS_sbrk, "sbrk", { A_INT }, -1, 0 },
    { SYS_signal, "signal", { A_SIG, A_INT }, -1, 0 },
    { SYS_setpgid, "setpgid", { A_PID, A_PID }, -1, 0 },
    { SYS_dup2, "dup2", { A_FD, A_FD }, -1, 0 },
    { SYS_getppid, "getppid", { 0 }, -1, 0 },
    { SYS_ftruncate, "ftruncate", { A_FD, A_SIZE }, -1, 0 },
    { SYS_stat, "stat", { A_PATH_READ, A_PTR }, 1, 1 },
    { SYS_fstat, "fstat", { A_FD, A_PTR }, 1, 1 },
    { SYS_getpgid, "getpgid", { A_PID }, -1, 0 },
    { SYS_getdents, "getdents", { A_FD, A_PTR, A_SIZE }, 1, 0 },
    { SYS_yield, "yield", { 0 }, -1, 0 },
    { SYS_sleep, "sleep", { A_TICKS }, -1, 0 },
    { SYS_getcwd, "getcwd", { A_PTR, A_SIZE }, 0, 0 },
    { SYS_uptime, "uptime", { 0 }, -1, 0 },
    { SYS_thread_create, "thread_create", { A_ENTRY, A_INT, A_PTR }, -1, 0 },
    { SYS_thread_join, "thread_join", { A_TID }, -1, 0 },
    { SYS_gettid, "gettid", { 0 }, -1, 0 },
    { SYS_tcsetpgrp, "tcsetpgrp", { A_FD, A_PID }, -1, 0 },
    { SYS_tcgetpgrp, "tcgetpgrp", { A_FD }, -1, 0 },
    { SYS_freeframes, "freeframes", { 0 }, -1, 0 },
    { SYS_procinfo, "procinfo", { A_PTR, A_INT }, 0, 0 },
    { SYS_meminfo, "meminfo", { A_PTR, A_SIZE }, 0, 1 },
    { CALL_NOSYS, "nosys", { A_INT, A_INT, A_INT, A_INT, A_INT }, -1, 0 },
    { CALL_PIPE_ROUNDTRIP, "pipe_roundtrip", { A_PTR, A_SIZE, A_PTR, A_SIZE }, -1, 0 },
#if LAB >= 5
    { SYS_getcpu, "getcpu", { A_PTR, A_PTR }, -1, 0 },
    { SYS_futex, "futex", { A_PTR, A_INT, A_INT }, -1, 0 },
    { SYS_cpuinfo, "cpuinfo", { A_PTR, A_SIZE }, 0, 1 },
    { SYS_lockinfo, "lockinfo", { A_PTR, A_SIZE }, 0, 1 },
#endif
#if LAB >= 6
    { SYS_socket, "socket", { A_INT, A_INT, A_INT }, -1, 0 },
    { SYS_bind, "bind", { A_FD, A_PTR, A_SIZE }, -1, 0 },
    { SYS_listen, "listen", { A_FD, A_INT }, -1, 0 },
    { SYS_accept4, "accept4", { A_FD, A_PTR, A_PTR, A_INT }, -1, 0 },
    { SYS_getsockname, "getsockname", { A_FD, A_PTR, A_PTR }, -1, 0 },
    { SYS_getpeername, "getpeername", { A_FD, A_PTR, A_PTR }, -1, 0 },
    { SYS_sendto, "sendto", { A_FD, A_PTR, A_SIZE, A_INT, A_PTR }, -1, 0 },
    { SYS_recvfrom, "recvfrom", { A_FD, A_PTR, A_SIZE, A_INT, A_PTR }, -1, 0 },
    { SYS_shutdown, "shutdown", { A_FD, A_INT }, -1, 0 },
    { SYS_setsockopt, "setsockopt", { A_FD, A_INT, A_INT, A_PTR, A_SIZE }, -1, 0 },
    { SYS_getsockopt, "getsockopt", { A_FD, A_INT, A_INT, A_PTR, A_PTR }, -1, 0 },
    { SYS_poll, "poll", { A_PTR, A_SIZE, A_INT }, -1, 0 },
    { SYS_netstat, "netstat", { A_PTR, A_SIZE }, 0, 0 },
    { SYS_pcilist, "pcilist", { A_PTR, A_INT }, 0, 0 },
#endif
};
const unsigned call_count = sizeof call_table / sizeof call_table[0];

static uint32_t pick_open_flags(struct rng *r)
{
    static const uint32_t flags[] = {
        O_RDONLY, O_WRONLY, O_RDWR, O_CREAT | O_RDWR, O_CREAT | O_EXCL | O_WRONLY,
        O_TRUNC | O_RDWR, O_APPEND | O_WRONLY, O_CREAT | O_TRUNC | O_WRONLY, O_CLOEXEC | O_RDONLY,
        O_ACCMODE, 0x7fffffff, 0xffffffffu,
    };
    return flags[rng_below(r, sizeof flags / sizeof flags[0])];
}

static uint32_t pick_pid(struct rng *r)
{
    static const uint32_t pids[] = {
        0, 1, 2, 3, 4, 5, 8, 63, 64, 65, 99999, 0x7fffffff, (uint32_t)-1, (uint32_t)-2,
        (uint32_t)-99999, 0x80000000u, 0x80000001u,
    };
    return pids[rng_below(r, sizeof pids / sizeof pids[0])];
}

/* argv/envp: NULL, a bad pointer, or an array in scratch whose entries
 * are themselves pointers of every kind (written by the worker: here
 * only the array's address). */
static uint32_t pick_strvec(struct rng *r, const struct regions *g, uint8_t *kind)
{
    enum ptr_kind k;
    uint32_t p = pick_ptr(r, g, &k);
    *kind = (uint8_t)k;
    return p;
}

static uint32_t draw_path(struct rng *r, const struct regions *g, enum path_set set, int slot,
                          uint8_t *kind, char *shown, unsigned shown_room)
{
    char *buf = g->path_buf + slot * PATH_SLOT;     /* 2 * PATH_SLOT bytes (worker.c) */
    /* A bad pointer instead of a name: for a call that only looks, any
     * kind; for one that creates, removes or runs, only kinds with no
     * name behind them: the bytes in scratch or text could start with
     * '/' and make a name outside the worker's directory. */
    static const uint8_t nameless[] = { PTR_NULL, PTR_KERNEL, PTR_BELOW_USER, PTR_UNMAPPED,
                                        PTR_WRAP };
    if (rng_one_in(r, 8)) {
        enum ptr_kind k;
        uint32_t p = pick_ptr(r, g, &k);
        if (set != PATH_SET_READ) {
            k = (enum ptr_kind)nameless[rng_below(r, sizeof nameless)];
            p = ptr_of_kind(r, g, k);
        }
        *kind = (uint8_t)k;
        return p;
    }
    *kind = PTR_DATA;
    if (values_path(r, set, buf, PATH_SLOT) < 0) {
        *kind = PTR_USER_TOP;                   /* unterminated: the worker fills the top */
        return USER_TOP - 1 - rng_below(r, 64);
    }
    strncpy(shown, buf, shown_room - 1);
    return g->path + (uint32_t)slot * PATH_SLOT;
}

static uint32_t draw_arg(struct rng *r, const struct regions *g, enum arg_kind kind, int i,
                         uint8_t *pkind, char *shown, unsigned shown_room)
{
    enum ptr_kind k;
    switch (kind) {
    case A_NONE:
        return 0;
    case A_FD:
        return (uint32_t)pick_fd(r);
    case A_PTR:
        {
            uint32_t p = pick_ptr(r, g, &k);
            *pkind = (uint8_t)k;
            return p;
        }
    case A_SIZE:
        return pick_size(r);
    case A_INT:
        return pick_int(r);
    case A_PATH:
        return draw_path(r, g, PATH_SET_OWN, i & 1, pkind, shown, shown_room);
    case A_PATH_READ:
        return draw_path(r, g, PATH_SET_READ, i & 1, pkind, shown, shown_room);
    case A_PATH_EXEC:
        return draw_path(r, g, PATH_SET_EXEC, i & 1, pkind, shown, shown_room);
    case A_STRVEC:
        return pick_strvec(r, g, pkind);
    case A_OPEN_FLAGS:
        return pick_open_flags(r);
    case A_MODE:
        return rng_one_in(r, 4) ? pick_int(r) : 0644;
    case A_WHENCE:
        return rng_below(r, 5) - 1;             /* -1 .. 3: SEEK_* and bad ones */
    case A_PID:
        return pick_pid(r);
    case A_SIG:
        return rng_one_in(r, 2) ? rng_below(r, 34) : pick_int(r);
    case A_TID:
        return pick_pid(r);                     /* defang() keeps only safe ones */
    case A_TICKS:
        /* Mostly 0 (give up the CPU, come back at once): each tick slept
         * is 10 ms of a run that makes thousands of calls per second. */
        return rng_one_in(r, 8) ? 1 : 0;
    case A_ENTRY:
        {
            uint32_t p = pick_ptr(r, g, &k);
            *pkind = (uint8_t)k;
            return p;
        }
    }
    return 0;
}

/* For the "nosys" entry: a number with no call behind it (above the
 * table, negative, or a hole in it). Never one the table lists: those
 * go through their own defanging; exit and thread_exit are not listed
 * and must not be made. */
static uint32_t pick_unknown_nr(struct rng *r)
{
    static const uint32_t odd[] = { SYS_MAX, SYS_MAX + 1, 0xffffffffu, 0x80000000u, 0x7fffffffu,
                                    1u << 16, 0, 8, 9 };
    for (;;) {
        uint32_t nr = rng_one_in(r, 2) ? odd[rng_below(r, sizeof odd / sizeof odd[0])]
                                       : rng_below(r, SYS_MAX);
        int known = nr == SYS_exit || nr == SYS_thread_exit;
#if LAB >= 6
        known = known || nr == SYS_connect;     /* left out: see calls.h */
#endif
        for (unsigned i = 0; i < call_count && !known; i++)
            known = (uint32_t)call_table[i].nr == nr;
        if (!known)
            return nr;
    }
}

/* The calls call_draw() may pick (calls_only()); all by default. */
static uint16_t enabled[sizeof call_table / sizeof call_table[0]];
static unsigned enabled_count;

static int name_in_list(const char *name, const char *list)
{
    size_t n = strlen(name);
    for (const char *p = list; *p != '\0';) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == n && strncmp(p, name, n) == 0)
            return 1;
        p += len + (end != NULL);
    }
    return 0;
}

int calls_only(const char *list)
{
    enabled_count = 0;
    for (unsigned i = 0; i < call_count; i++)
        if (list == NULL || name_in_list(call_table[i].name, list))
            enabled[enabled_count++] = (uint16_t)i;
    return (int)enabled_count;
}

void call_draw(struct rng *r, const struct regions *g, struct call *c)
{
    memset(c, 0, sizeof *c);
    if (enabled_count == 0)
        calls_only(NULL);
    c->spec = &call_table[enabled[rng_below(r, enabled_count)]];
    c->nr = c->spec->nr == CALL_NOSYS ? pick_unknown_nr(r) : (uint32_t)c->spec->nr;
    for (int i = 0; i < 5; i++) {
        c->ptr_kind[i] = PTR_KINDS;             /* "not a pointer" */
        c->a[i] = draw_arg(r, g, (enum arg_kind)c->spec->args[i], i, &c->ptr_kind[i],
                           c->path[i & 1], sizeof c->path[0]);
    }
}

/* Pids and tids only count up, by one per process or thread made
 * (proc/process.c, proc/thread.c), and are never reused: a long run
 * passes 100,000 within minutes (the soak: httpd forks per connection,
 * the fuzzer forks too), never 2^30. Below that, a pid the fuzzer draws
 * may name a process of somebody else's by the time the call runs. */
int pid_is_absent(int32_t pid)
{
    return pid >= (1 << 30) || pid <= -(1 << 30);
}

/* kill: a real signal only where no process can receive it. */
static int defang_kill(struct call *c)
{
    int32_t pid = (int32_t)c->a[0], sig = (int32_t)c->a[1];
    if (pid_is_absent(pid) || sig == 0 || sig < 0 || sig >= 32)
        return 0;
    c->a[1] = 0;
    return 1;
}

static int defang_thread_join(struct call *c, const struct caller *who)
{
    int32_t tid = (int32_t)c->a[0];
    if (tid == who->tid || tid <= 0 || pid_is_absent(tid))
        return 0;
    c->a[0] = (uint32_t)who->tid;               /* joining oneself: must fail, not hang */
    return 1;
}

/* A thread entry the kernel must refuse: outside user space. */
static int defang_thread_create(struct call *c)
{
    uint32_t e = c->a[0];
    if (e < USER_BASE || e >= USER_TOP)
        return 0;
    c->a[0] = 0x00100000u | (e & 0xfff);       /* the kernel's image */
    return 1;
}

int defang(struct call *c, const struct caller *who)
{
    switch (c->spec->nr) {
    case SYS_kill:
        return defang_kill(c);
    case SYS_thread_join:
        return defang_thread_join(c, who);
    case SYS_thread_create:
        return defang_thread_create(c);
    case SYS_signal:
        /* SIGPIPE stays ignored: a write to a pipe nobody reads must
         * be EPIPE, not the end of the worker. */
        if (c->a[0] != SIGPIPE || c->a[1] == SIG_IGN)
            return 0;
        c->a[1] = SIG_IGN;
        return 1;
    case SYS_sleep:
        if (c->a[0] <= 1)
            return 0;
        c->a[0] = 1;
        return 1;
#if LAB >= 5
    case SYS_futex:
        return 0;       /* FUTEX_WAIT: the worker checks the word (it can read it; we cannot) */
#endif
#if LAB >= 6
    case SYS_socket:
        c->a[1] |= SOCK_NONBLOCK;
        return 1;
    case SYS_sendto:
        c->a[4] = 0;    /* no destination: nothing leaves the machine */
        return 1;
    case SYS_recvfrom:
        c->a[3] |= MSG_DONTWAIT;
        return 1;
    case SYS_poll:
        c->a[2] = 0;
        return 1;
#endif
    }
    return 0;
}
