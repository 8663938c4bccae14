/*
 * procs.c -- group "proc": kill aimed where it must not land, bombs
 * against the limits, threads that die in awkward moments, and a stack
 * that runs into its guard.
 *
 *   kill       init (EPERM, whoever asks), the caller's parent (it dies),
 *              pid 0 (the caller's own group: it dies), itself (by the
 *              signal it sent), INT_MIN (ESRCH, not a group)
 *   bombs      a fork bomb whose every process forks until EAGAIN (the
 *              process table, TP_PROC_MAX) and then all go away; a thread
 *              bomb: threads until the kernel says no (EAGAIN at
 *              TP_THREAD_MAX), never a panic; a disk hog: files of
 *              32 MiB until ENOSPC, a fork on the full disk, then every
 *              frame back
 *   threads    one exits while its siblings block on a pipe (they still
 *              get their data); the process exits while they block;
 *              one faults while they block (the whole process dies);
 *              the main thread exits first and another ends the process;
 *              a new thread that has not run yet when its process exits,
 *              and then sleeps for 1000 s (the exit must not wait for it);
 *              the process exits while two threads block writing a full
 *              pipe; a thread's descriptor is closed while it reads it;
 *              thread_join of itself (EINVAL) or of another process's
 *              thread (ESRCH); fork from a second thread; every thread
 *              ending by thread_exit (the last one's status is the
 *              process's); two threads waiting for one child (one gets
 *              it, the other ECHILD); a process table full of zombies
 *              left to init
 *   stack      recursion without end runs into the guard page below the
 *              stack: SIGSEGV; a frame too big to touch page by page
 *              jumps over the guard: SIGSEGV as well
 *
 * These run in a child of the case's child where the case must watch a
 * process die (kill of the parent).
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

#include <rlimit.h>     /* kernel/abi: TP_PROC_MAX, TP_THREAD_MAX */
#if LAB >= 6
#include <sys/socket.h>
#endif

#include <ktap.h>

#include "hostile.h"

static void sleep_forever(void)
{
    for (;;)
        sleep_ticks(1000);
}

/* ---- kill */

static long kill_init(long sig) { return sys3(SYS_kill, 1, sig, 0); }
static long kill_intmin(long sig) { return sys3(SYS_kill, (long)0x80000000u, sig, 0); }

/* The case's process sends sig to itself (pid 0: to its group, which is
 * it alone) and must not get past it. */
static long kill_self(long sig)
{
    long r = sys3(SYS_kill, getpid(), sig, 0);
    yield();
    return r;
}

static long kill_own_group(long sig)
{
    long r = sys3(SYS_kill, 0, sig, 0);
    yield();
    return r;
}

/* A child kills its parent -- this process -- which waits for nothing
 * but that. The child, orphaned, is init's to reap. */
static long killed_by_child(long sig)
{
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0)
        _exit(sys3(SYS_kill, parent, sig, 0) == 0 ? 0 : 1);
    sleep_forever();
    return 0;
}

/* ---- bombs */

/* Every process forks until fork fails, then waits for its pipe to
 * close, reaps its own children and exits with 1 if some fork in its
 * subtree failed with EAGAIN (and nothing else). The top (the case's
 * process) closes the pipe once its own forking stops. */
static int bomb(int rd)
{
    int saw = 0;
    for (;;) {
        pid_t pid = fork();
        if (pid == 0) {
            saw = 0;
            continue;           /* the child bombs too */
        }
        if (pid < 0) {
            saw = errno == EAGAIN ? 1 : 2;
            break;
        }
    }
    char c;
    if (rd >= 0)
        read(rd, &c, 1);        /* until the top closes the write end */
    int st;
    while (wait(&st) > 0)
        if (WIFEXITED(st) && WEXITSTATUS(st) > saw)
            saw = WEXITSTATUS(st);
    return saw;
}

static long fork_bomb(long unused)
{
    (void)unused;
    int p[2];
    if (pipe(p) != 0)
        return -errno;
    pid_t pid = fork();
    if (pid == 0) {
        close(p[1]);
        _exit(bomb(p[0]));      /* the bomb's root, below us */
    }
    close(p[0]);
    /* Every process of the bomb holds the read end only: when the
     * table is full (procinfo says TP_PROC_MAX), let them all go. */
    static struct procinfo info[TP_PROC_MAX];
    for (long tries = 0; tries < 2000000; tries++) {
        if (sys3(SYS_procinfo, word(info), TP_PROC_MAX, 0) == TP_PROC_MAX)
            break;
        yield();
    }
    close(p[1]);
    int st = 0;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -9000 - st;
}

static char bomb_stack[256] __attribute__((aligned(16)));

static int bomb_thread(void *arg)
{
    (void)arg;
    sleep_forever();
    return 0;
}

/* Threads (all on one small stack: they never run past sleep) until
 * thread_create fails: it must fail with EAGAIN at the limit, and the
 * process's exit then frees them all (the free-frame check). */
static long thread_bomb(long unused)
{
    (void)unused;
    int n = 0;
    for (; n < 100000; n++) {
        if (thread_create(bomb_thread, NULL, bomb_stack + sizeof bomb_stack) < 0)
            break;
    }
    long err = errno;
    if (n != TP_THREAD_MAX - 1)
        ktap_diag("%d threads made, then %s; expected EAGAIN after %d (TP_THREAD_MAX "
                  "with the main thread)", n, ktap_errno(-1, err), TP_THREAD_MAX - 1);
    return -err;
}

/* Files of the largest size ramfs allows (RAMFS_MAX_SIZE, 32 MiB), one
 * after the other, until a write says ENOSPC before the file is full:
 * the file system keeps its reserve of frames (docs/userland.md), so a
 * fork still works on the full disk; then every file goes (and every
 * frame with it: the last case, frames.back_to_start, counts). 0 if so. */
enum { HOG_CHUNK = 64 * 1024, HOG_FILES = 8 };
static char hog_chunk[HOG_CHUNK];

/* Fills one file: its size when a write failed, and that write's errno. */
static long fill_file(int fd, int *err)
{
    long size = 0;
    for (;;) {
        long n = write(fd, hog_chunk, HOG_CHUNK);
        if (n < 0) {
            *err = errno;
            return size;
        }
        size += n;
    }
}

static long disk_hog(long unused)
{
    (void)unused;
    long first_size = -1, r = -24000;
    char name[32];
    int files = 0;
    for (; files < HOG_FILES; files++) {
        snprintf(name, sizeof name, "/hostile.hog%d", files);
        int fd = open(name, O_CREAT | O_TRUNC | O_WRONLY, 0644);
        if (fd < 0)
            break;
        int err = 0;
        long size = fill_file(fd, &err);
        close(fd);
        if (first_size < 0)
            first_size = size;      /* the most a file may hold */
        if (size < first_size) {    /* the disk, not the file, is full */
            r = err == ENOSPC ? 0 : -24000 - err;
            files++;
            break;
        }
    }
    pid_t pid = fork();
    if (pid == 0)
        _exit(0);
    int st = -1;
    if (pid < 0 || waitpid(pid, &st, 0) != pid || st != 0)
        r = -24100;             /* no fork on a full disk */
    for (int i = 0; i < files; i++) {
        snprintf(name, sizeof name, "/hostile.hog%d", i);
        unlink(name);
    }
    return r;                   /* the frames: frames.back_to_start */
}

#if LAB >= 6
/* Eight children each open datagram sockets until socket() fails, and
 * hold them: 8 x 8 (16 descriptors, less what they inherit) is more than
 * the system's SOCK_MAX (48), so somebody gets ENOBUFS (the others
 * EMFILE). Then they all exit and a socket can be had again. 0 if so. */
enum { SOCK_KIDS = 8 };

static __attribute__((noreturn)) void socket_hog(int report, int go)
{
    int err = 0;
    while (err == 0)
        if (socket(AF_INET, SOCK_DGRAM, 0) < 0)
            err = errno;
    write(report, &err, sizeof err);
    char c;
    read(go, &c, 1);            /* hold them until the parent lets go */
    _exit(0);
}

static long socket_bomb(long unused)
{
    (void)unused;
    int report[2], go[2];
    if (pipe(report) != 0 || pipe(go) != 0)
        return -26000;
    for (int i = 0; i < SOCK_KIDS; i++) {
        pid_t pid = fork();
        if (pid == 0) {
            close(go[1]);
            socket_hog(report[1], go[0]);
        }
        if (pid < 0)
            return -26001;
    }
    int enobufs = 0, other = 0, err;
    for (int i = 0; i < SOCK_KIDS; i++) {
        if (read(report[0], &err, sizeof err) != sizeof err)
            return -26002;
        enobufs += err == ENOBUFS;
        other += err != ENOBUFS && err != EMFILE;
    }
    close(go[1]);
    while (wait(NULL) > 0)
        ;
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    if (s < 0 || enobufs == 0 || other != 0)
        ktap_diag("%d of %d got ENOBUFS, %d something else; a socket afterwards: %s",
                  enobufs, SOCK_KIDS, other, ktap_errno(s, errno));
    return s >= 0 && enobufs > 0 && other == 0 ? 0 : -26003;
}
#endif

/* ---- threads */

static int block_pipe[2];
static char stacks[3][4096] __attribute__((aligned(16)));

static int reader(void *arg)
{
    (void)arg;
    char c = 0;
    return read(block_pipe[0], &c, 1) == 1 && c == 'r' ? 0 : 1;
}

static int exiter(void *arg)
{
    (void)arg;
    thread_exit(0);
}

static int faulter(void *arg)
{
    (void)arg;
    /* SAFETY: meant to fault: address 0 is below user space. */
    __asm__ volatile("movl $1, 0" ::: "memory");
    return 1;
}

static int ender(void *arg)
{
    (void)arg;
    exit(42);
}

static int start_readers(void)
{
    if (pipe(block_pipe) != 0)
        return -1;
    for (int i = 0; i < 2; i++)
        if (thread_create(reader, NULL, stacks[i] + sizeof stacks[i]) < 0)
            return -1;
    return 0;
}

/* A third thread exits while two read an empty pipe; then the pipe gets
 * their two bytes: both readers finish. */
static long exit_while_siblings_block(long unused)
{
    (void)unused;
    if (start_readers() != 0)
        return -11000;
    int t = thread_create(exiter, NULL, stacks[2] + sizeof stacks[2]);
    if (t < 0 || thread_join(t) != 0)
        return -11001;
    write(block_pipe[1], "rr", 2);
    /* the readers' tids are t - 2 and t - 1: tids count up */
    int a = thread_join(t - 2), b = thread_join(t - 1);
    return a == 0 && b == 0 ? 0 : -11002;
}

/* The process exits (status 7) while two threads block in read. */
static long exit_process_while_blocked(long unused)
{
    (void)unused;
    if (start_readers() != 0)
        return -12000;
    yield();
    exit(7);
}

/* A third thread faults while two block: the whole process dies. */
static long fault_while_siblings_block(long unused)
{
    (void)unused;
    if (start_readers() != 0 || thread_create(faulter, NULL, stacks[2] + sizeof stacks[2]) < 0)
        return -13000;
    sleep_forever();
    return 0;
}

/* The main thread leaves first; the other ends the process with 42. */
static long main_thread_exits_first(long unused)
{
    (void)unused;
    if (thread_create(ender, NULL, stacks[0] + sizeof stacks[0]) < 0)
        return -14000;
    thread_exit(0);
}

static int long_sleeper(void *arg)
{
    (void)arg;
    sleep_ticks(100000);        /* 1000 s: the watchdog's bound is 30 s */
    return 0;
}

/* Exits (status 9) right after making a thread that has not run yet.
 * The exit's wake-up of the process's sleeping threads passes over it
 * (it is not asleep yet); it must not then start its sleep, nor run
 * user code at all. A kernel that lets it sleeps 1000 s before the
 * process can end (t_hostile found that; the watchdog kills the case). */
static long exit_before_new_thread_sleeps(long unused)
{
    (void)unused;
    if (thread_create(long_sleeper, NULL, stacks[0] + sizeof stacks[0]) < 0)
        return -17000;
    exit(9);
}

/* thread_join of itself (EINVAL), and of a thread of another process:
 * t_hostile's watchdog (ESRCH: it is not ours to join). */
static long join_self(long unused) { (void)unused; return sys3(SYS_thread_join, gettid(), 0, 0); }
static long join_foreign(long unused)
{
    (void)unused;
    return watchdog_tid > 0 ? sys3(SYS_thread_join, watchdog_tid, 0, 0) : -ESRCH;
}

static int eof_reader(void *arg)
{
    (void)arg;
    char c;
    return (int)read(block_pipe[0], &c, 1);     /* 0 at EOF */
}

/* A thread blocks reading a pipe; the main thread closes the very
 * descriptor it reads, then the write end: the reader's read goes on
 * (it holds the open file, not the number) and ends with EOF. */
static long close_while_reading(long unused)
{
    (void)unused;
    if (pipe(block_pipe) != 0)
        return -18000;
    int t = thread_create(eof_reader, NULL, stacks[0] + sizeof stacks[0]);
    if (t < 0)
        return -18001;
    yield();                    /* let it block (if it does not yet, EOF all the same) */
    close(block_pipe[0]);
    close(block_pipe[1]);
    return thread_join(t);
}

__attribute__((noreturn)) static int full_writer(void *arg)
{
    (void)arg;
    static char chunk[TP_PIPE_BUF];
    for (;;)
        write(block_pipe[1], chunk, sizeof chunk);
}

/* Two threads block writing into a full pipe nobody reads; the process
 * exits (status 8) meanwhile. */
static long exit_while_writers_block(long unused)
{
    (void)unused;
    if (pipe(block_pipe) != 0)
        return -19000;
    for (int i = 0; i < 2; i++)
        if (thread_create(full_writer, NULL, stacks[i] + sizeof stacks[i]) < 0)
            return -19001;
    yield();
    exit(8);
}

/* Children that exit at once until the process table is full, never
 * reaped: the process then exits, and its zombies go to init, which must
 * be told (t_hostile, as init, reaps them; the next case forks again). */
static long zombies_to_init(long unused)
{
    (void)unused;
    for (int i = 0; i < TP_PROC_MAX; i++) {
        pid_t pid = fork();
        if (pid == 0)
            _exit(0);
        if (pid < 0)
            return errno == EAGAIN ? 0 : -errno;
    }
    return -20000;              /* TP_PROC_MAX forks and no limit */
}

static pid_t waited_child;
static long waited[2];

static int waiter(void *arg)
{
    /* SAFETY: pointer -> integer: arg is the thread's slot, 0 or 1. */
    int slot = (int)(uintptr_t)arg;
    waited[slot] = sys3(SYS_waitpid, waited_child, 0, 0);
    return 0;
}

/* Two threads wait for the same child: one gets it, the other ECHILD
 * (it must be woken too, not left asleep for a child that is gone). */
static long two_threads_wait_one_child(long unused)
{
    (void)unused;
    int p[2];
    if (pipe(p) != 0)
        return -21000;
    waited_child = fork();
    if (waited_child == 0) {
        char c;
        close(p[1]);
        read(p[0], &c, 1);
        _exit(4);
    }
    int t[2];
    for (int i = 0; i < 2; i++)
        /* SAFETY: integer -> pointer: the slot number as the argument. */
        t[i] = thread_create(waiter, (void *)(uintptr_t)i, stacks[i] + sizeof stacks[i]);
    if (t[0] < 0 || t[1] < 0)
        return -21001;
    yield();
    close(p[1]);                /* the child exits */
    thread_join(t[0]);
    thread_join(t[1]);
    long got = (waited[0] == waited_child) + (waited[1] == waited_child);
    long echild = (waited[0] == -ECHILD) + (waited[1] == -ECHILD);
    return got == 1 && echild == 1 ? 0 : -21100 - 10 * got - echild;
}

static int forker(void *arg)
{
    (void)arg;
    pid_t pid = fork();
    if (pid == 0)
        _exit(3);
    int st = 0;
    return waitpid(pid, &st, 0) == pid && WIFEXITED(st) ? WEXITSTATUS(st) : 100;
}

/* fork from a second thread while the first blocks: the child (one
 * thread, on the second thread's stack) runs and exits 3. */
static long fork_from_second_thread(long unused)
{
    (void)unused;
    if (pipe(block_pipe) != 0)
        return -22000;
    int r = thread_create(reader, NULL, stacks[0] + sizeof stacks[0]);
    int f = thread_create(forker, NULL, stacks[1] + sizeof stacks[1]);
    if (r < 0 || f < 0)
        return -22001;
    long status = thread_join(f);
    write(block_pipe[1], "r", 1);
    return thread_join(r) == 0 ? status : -22002;
}

static int last_thread(void *arg)
{
    (void)arg;
    thread_exit(5);
}

/* Every thread ends with thread_exit: the process ends with the last
 * one, as if that one had called exit() with its status (5 here; the
 * main thread's 6 goes nowhere). */
static long all_threads_exit(long unused)
{
    (void)unused;
    if (thread_create(last_thread, NULL, stacks[0] + sizeof stacks[0]) < 0)
        return -23000;
    thread_exit(6);
}

/* ---- the stack */

/* Each frame is a page that it touches: the stack grows down one page
 * per call into the guard. depth never reaches 0 (the stack is 64 KiB);
 * it only keeps GCC from seeing infinite recursion.
 * SAFETY: volatile keeps each frame's page and its write: the point is
 * to use the stack; nothing else sees it. */
static int recurse(unsigned depth)
{
    volatile char page[PAGE_SIZE];
    page[0] = (char)depth;
    if (depth == 0)
        return page[0];
    return recurse(depth - 1) + page[0];
}

static long stack_recursion(long unused)
{
    (void)unused;
    return recurse(0x7fffffff);
}

/* One frame of 1 MiB: its first write lands far below the guard page,
 * in the unmapped gap above the heap. */
static long stack_jump_over_guard(long unused)
{
    (void)unused;
    /* SAFETY: meant to fault: moves esp 1 MiB down, past the stack and
     * its guard, and writes there; the process dies at the write. */
    __asm__ volatile("subl $0x100000, %%esp\n\t"
                     "movl $1, (%%esp)\n\t"
                     "addl $0x100000, %%esp" ::: "memory");
    return 0;
}

static const struct hcase cases[] = {
    {"proc.kill.init.sigkill", RETURNS, -EPERM, kill_init, SIGKILL},
    {"proc.kill.init.sigterm", RETURNS, -EPERM, kill_init, SIGTERM},
    {"proc.kill.init.sig0_exists", RETURNS, 0, kill_init, 0},
    {"proc.kill.intmin", RETURNS, -ESRCH, kill_intmin, SIGKILL},
    {"proc.kill.self.sigkill", KILLED_BY, SIGKILL, kill_self, SIGKILL},
    {"proc.kill.self.sigsegv", KILLED_BY, SIGSEGV, kill_self, SIGSEGV},
    {"proc.kill.pid0.own_group", KILLED_BY, SIGTERM, kill_own_group, SIGTERM},
    {"proc.kill.parent.by_child", KILLED_BY, SIGTERM, killed_by_child, SIGTERM},
    {"proc.fork_bomb.eagain_then_all_gone", RETURNS, 1, fork_bomb, 0},
    {"proc.thread_bomb.eagain", RETURNS, -EAGAIN, thread_bomb, 0},
    {"proc.disk_hog.enospc_then_all_back", RETURNS, 0, disk_hog, 0},
#if LAB >= 6
    {"proc.socket_bomb.enobufs_then_all_back", RETURNS, 0, socket_bomb, 0},
#endif
    {"proc.thread.exit_while_siblings_block", RETURNS, 0, exit_while_siblings_block, 0},
    {"proc.thread.process_exit_while_blocked", EXITS, 7, exit_process_while_blocked, 0},
    {"proc.thread.fault_while_siblings_block", KILLED_BY, SIGSEGV, fault_while_siblings_block, 0},
    {"proc.thread.main_exits_first", EXITS, 42, main_thread_exits_first, 0},
    {"proc.thread.exit_before_new_thread_sleeps", EXITS, 9, exit_before_new_thread_sleeps, 0},
    {"proc.thread.exit_while_writers_block", EXITS, 8, exit_while_writers_block, 0},
    {"proc.thread.close_while_reading", RETURNS, 0, close_while_reading, 0},
    {"proc.thread.fork_from_second_thread", RETURNS, 3, fork_from_second_thread, 0},
    {"proc.thread.all_exit_by_thread_exit", EXITS, 5, all_threads_exit, 0},
    {"proc.waitpid.two_threads_one_child", RETURNS, 0, two_threads_wait_one_child, 0},
    {"proc.zombies_to_init", RETURNS, 0, zombies_to_init, 0},
    {"proc.thread_join.self", RETURNS, -EINVAL, join_self, 0},
    {"proc.thread_join.other_process", RETURNS, -ESRCH, join_foreign, 0},
    {"proc.stack.recursion_into_guard", KILLED_BY, SIGSEGV, stack_recursion, 0},
    {"proc.stack.frame_over_guard", KILLED_BY, SIGSEGV, stack_jump_over_guard, 0},
};

const struct hgroup proc_cases = HGROUP(cases);
