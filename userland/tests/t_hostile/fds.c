/*
 * fds.c -- group "fd": every system call that takes a descriptor, with a
 * bad one of every kind, and with one of the wrong kind.
 *
 * The bad kinds (each case's last word):
 *   minus1   -1
 *   closed   a descriptor this process had and closed
 *   limit    TP_OPEN_MAX: one past the table
 *   huge     0x7fffffff
 *   intmin   0x80000000 (negative as an int, huge as an unsigned)
 * All of them are EBADF for every call (kernel/abi/rlimit.h, docs/abi.md).
 *
 * Then the wrong kinds: a pipe's end that goes the other way, a file
 * opened for the other direction, a directory where data is read, a
 * file where a directory or a terminal is wanted, and, from lab 6, a
 * file where a socket is wanted (ENOTSOCK), and poll's POLLNVAL.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <tidepool.h>
#include <unistd.h>

#include <dirent.h>     /* kernel/abi: struct dirent */
#include <rlimit.h>     /* kernel/abi: TP_OPEN_MAX */
#if LAB >= 6
#include <poll.h>       /* kernel/abi */
#include <socket.h>     /* kernel/abi */
#endif

#include "hostile.h"

enum fd_kind { MINUS1, CLOSED, LIMIT, HUGE, INTMIN, FD_KINDS };

static long bad_fd(long kind)
{
    switch ((enum fd_kind)kind) {
    case MINUS1:
        return -1;
    case CLOSED: {
        int fd = dup(0);        /* a real number, just closed */
        close(fd);
        return fd;
    }
    case LIMIT:
        return TP_OPEN_MAX;
    case HUGE:
        return 0x7fffffff;
    default:
        return (long)0x80000000u;
    }
}

static char buf[sizeof(struct dirent) * 4];

static long do_read(long fd) { return sys3(SYS_read, fd, word(buf), 16); }
static long do_write(long fd) { return sys3(SYS_write, fd, word("x"), 1); }
static long do_close(long fd) { return sys3(SYS_close, fd, 0, 0); }
static long do_dup(long fd) { return sys3(SYS_dup, fd, 0, 0); }
static long do_dup2_old(long fd) { return sys3(SYS_dup2, fd, 5, 0); }
static long do_dup2_new(long fd) { return sys3(SYS_dup2, 0, fd, 0); }
static long do_lseek(long fd) { return sys3(SYS_lseek, fd, 0, SEEK_SET); }
static long do_fstat(long fd) { return sys3(SYS_fstat, fd, word(buf), 0); }
static long do_getdents(long fd) { return sys3(SYS_getdents, fd, word(buf), sizeof buf); }
static long do_ftruncate(long fd) { return sys3(SYS_ftruncate, fd, 0, 0); }
static long do_tcgetpgrp(long fd) { return sys3(SYS_tcgetpgrp, fd, 0, 0); }
static long do_tcsetpgrp(long fd) { return sys3(SYS_tcsetpgrp, fd, getpgid(0), 0); }

/* ---- the bad kinds: one function per call, the kind as its argument */

#define BAD(call)                                             \
    static long bad_##call(long kind) { return do_##call(bad_fd(kind)); }
BAD(read) BAD(write) BAD(close) BAD(dup) BAD(dup2_old) BAD(dup2_new) BAD(lseek) BAD(fstat)
BAD(getdents) BAD(ftruncate) BAD(tcgetpgrp) BAD(tcsetpgrp)
#undef BAD

/* ---- the wrong kinds */

static int pipe_end(long which)
{
    int p[2];
    if (pipe(p) != 0)
        return -1;
    return p[which];
}

static int scratch_file(int flags)
{
    int fd = open("/hostile.tmp", O_CREAT | O_TRUNC | O_WRONLY, 0644);
    if (fd >= 0 && (flags & O_ACCMODE) != O_WRONLY) {
        close(fd);
        fd = open("/hostile.tmp", flags);
    }
    unlink("/hostile.tmp");     /* the open descriptor keeps it */
    return fd;
}

static long read_write_end(long unused) { (void)unused; return do_read(pipe_end(1)); }
static long write_read_end(long unused) { (void)unused; return do_write(pipe_end(0)); }
static long write_rdonly_file(long unused) { (void)unused; return do_write(file_fd); }
static long read_wronly_file(long u) { (void)u; return do_read(scratch_file(O_WRONLY)); }
static long read_directory(long unused) { (void)unused; return do_read(dir_fd); }
static long lseek_pipe(long unused) { (void)unused; return do_lseek(pipe_end(0)); }
static long getdents_file(long unused) { (void)unused; return do_getdents(file_fd); }
static long getdents_pipe(long unused) { (void)unused; return do_getdents(pipe_end(0)); }
static long ftruncate_pipe(long unused) { (void)unused; return do_ftruncate(pipe_end(1)); }
static long ftruncate_dir(long unused) { (void)unused; return do_ftruncate(dir_fd); }
static long ftruncate_rdonly(long unused) { (void)unused; return do_ftruncate(file_fd); }
static long tcgetpgrp_file(long unused) { (void)unused; return do_tcgetpgrp(file_fd); }
static long tcsetpgrp_pipe(long unused) { (void)unused; return do_tcsetpgrp(pipe_end(0)); }
static long dup2_same(long unused) { (void)unused; return do_dup2_new(0); }

static long open_dir_for_writing(long unused)
{
    (void)unused;
    return sys3(SYS_open, word("/bin"), O_WRONLY, 0);
}

/* Closing the same descriptor twice: the second is EBADF, and nothing
 * else got closed on the way (stdout still writes). */
static long close_twice(long unused)
{
    (void)unused;
    int fd = dup(1);
    close(fd);
    long r = do_close(fd);
    return write(1, "", 0) == 0 ? r : -1;
}

/* One thread asks tcgetpgrp(12) over and over while another makes fd 12
 * the console and closes it again: every answer is the foreground group
 * or EBADF, and the kernel's look at the file holds a reference (a
 * close in between must not free it under the look: KASAN would say,
 * on several CPUs or when a tick preempts the call). 0 if so. */
enum { RACE_FD = 12, RACE_ROUNDS = 3000 };
static int race_done;                   /* __atomic */
static char race_stack[4096] __attribute__((aligned(16)));

static int dup_close_loop(void *arg)
{
    (void)arg;
    for (int i = 0; i < RACE_ROUNDS; i++) {
        dup2(0, RACE_FD);
        close(RACE_FD);
    }
    __atomic_store_n(&race_done, 1, __ATOMIC_RELEASE);
    return 0;
}

static long tcgetpgrp_while_closed(long unused)
{
    (void)unused;
    long fg = do_tcgetpgrp(0), wrong = 0;
    int t = thread_create(dup_close_loop, NULL, race_stack + sizeof race_stack);
    if (fg <= 0 || t < 0)
        return -30000;
    while (!__atomic_load_n(&race_done, __ATOMIC_ACQUIRE)) {
        long r = do_tcgetpgrp(RACE_FD);
        wrong += r != fg && r != -EBADF;
    }
    thread_join(t);
    return wrong;
}

#if LAB >= 6
static long sock_addr[4];       /* a struct sockaddr_in's room, zeroed */

static long do_bind(long fd) { return sys3(SYS_bind, fd, word(sock_addr), 16); }
static long do_connect(long fd) { return sys3(SYS_connect, fd, word(sock_addr), 16); }
static long do_listen(long fd) { return sys3(SYS_listen, fd, 1, 0); }
static long do_shutdown(long fd) { return sys3(SYS_shutdown, fd, SHUT_RDWR, 0); }

static long do_accept(long fd)
{
    return syscall_raw(SYS_accept4, fd, 0, 0, 0, 0);
}

static long do_getsockname(long fd)
{
    long len = 16;
    return sys3(SYS_getsockname, fd, word(sock_addr), word(&len));
}

/* poll says POLLNVAL in revents for a descriptor that is not open, and
 * counts it as ready: 1. */
static long poll_bad(long kind)
{
    struct pollfd p = {.fd = (int)bad_fd(kind), .events = POLLIN};
    long r = sys3(SYS_poll, word(&p), 1, 0);
    return r == 1 && p.revents == POLLNVAL ? 1 : r == 1 ? -4000 - p.revents : r;
}

#define ON_FILE(call)                                                       \
    static long call##_file(long unused) { (void)unused; return do_##call(file_fd); } \
    static long call##_bad(long kind) { return do_##call(bad_fd(kind)); }
ON_FILE(bind) ON_FILE(connect) ON_FILE(listen) ON_FILE(shutdown) ON_FILE(accept)
ON_FILE(getsockname)
#undef ON_FILE
#endif

/* Every kind but "closed", which is a fine number for dup2's newfd. */
#define OUT_OF_RANGE(name, fn)                                       \
    {"fd." name ".minus1", RETURNS, -EBADF, fn, MINUS1},             \
    {"fd." name ".limit", RETURNS, -EBADF, fn, LIMIT},               \
    {"fd." name ".huge", RETURNS, -EBADF, fn, HUGE},                 \
    {"fd." name ".intmin", RETURNS, -EBADF, fn, INTMIN}
#define ALL_KINDS(name, fn) OUT_OF_RANGE(name, fn),                  \
    {"fd." name ".closed", RETURNS, -EBADF, fn, CLOSED}

static const struct hcase cases[] = {
    ALL_KINDS("read", bad_read),
    ALL_KINDS("write", bad_write),
    ALL_KINDS("close", bad_close),
    ALL_KINDS("dup", bad_dup),
    ALL_KINDS("dup2.old", bad_dup2_old),
    OUT_OF_RANGE("dup2.new", bad_dup2_new),
    ALL_KINDS("lseek", bad_lseek),
    ALL_KINDS("fstat", bad_fstat),
    ALL_KINDS("getdents", bad_getdents),
    ALL_KINDS("ftruncate", bad_ftruncate),
    ALL_KINDS("tcgetpgrp", bad_tcgetpgrp),
    ALL_KINDS("tcsetpgrp", bad_tcsetpgrp),
    {"fd.close.twice", RETURNS, -EBADF, close_twice, 0},
    {"fd.dup2.same_fd", RETURNS, 0, dup2_same, 0},
    {"fd.read.pipe_write_end", RETURNS, -EBADF, read_write_end, 0},
    {"fd.write.pipe_read_end", RETURNS, -EBADF, write_read_end, 0},
    {"fd.write.rdonly_file", RETURNS, -EBADF, write_rdonly_file, 0},
    {"fd.read.wronly_file", RETURNS, -EBADF, read_wronly_file, 0},
    {"fd.read.directory", RETURNS, -EISDIR, read_directory, 0},
    {"fd.open.directory_for_writing", RETURNS, -EISDIR, open_dir_for_writing, 0},
    {"fd.lseek.pipe", RETURNS, -ESPIPE, lseek_pipe, 0},
    {"fd.getdents.file", RETURNS, -ENOTDIR, getdents_file, 0},
    {"fd.getdents.pipe", RETURNS, -ENOTDIR, getdents_pipe, 0},
    {"fd.ftruncate.pipe", RETURNS, -EINVAL, ftruncate_pipe, 0},
    {"fd.ftruncate.directory", RETURNS, -EINVAL, ftruncate_dir, 0},
    {"fd.ftruncate.rdonly_file", RETURNS, -EBADF, ftruncate_rdonly, 0},
    {"fd.tcgetpgrp.file", RETURNS, -ENOTTY, tcgetpgrp_file, 0},
    {"fd.tcsetpgrp.pipe", RETURNS, -ENOTTY, tcsetpgrp_pipe, 0},
    {"fd.tcgetpgrp.while_another_thread_closes", RETURNS, 0, tcgetpgrp_while_closed, 0},
#if LAB >= 6
    {"fd.bind.file", RETURNS, -ENOTSOCK, bind_file, 0},
    {"fd.bind.minus1", RETURNS, -EBADF, bind_bad, MINUS1},
    {"fd.connect.file", RETURNS, -ENOTSOCK, connect_file, 0},
    {"fd.connect.huge", RETURNS, -EBADF, connect_bad, HUGE},
    {"fd.listen.file", RETURNS, -ENOTSOCK, listen_file, 0},
    {"fd.listen.closed", RETURNS, -EBADF, listen_bad, CLOSED},
    {"fd.accept4.file", RETURNS, -ENOTSOCK, accept_file, 0},
    {"fd.accept4.intmin", RETURNS, -EBADF, accept_bad, INTMIN},
    {"fd.shutdown.file", RETURNS, -ENOTSOCK, shutdown_file, 0},
    {"fd.shutdown.limit", RETURNS, -EBADF, shutdown_bad, LIMIT},
    {"fd.getsockname.file", RETURNS, -ENOTSOCK, getsockname_file, 0},
    {"fd.getsockname.minus1", RETURNS, -EBADF, getsockname_bad, MINUS1},
    {"fd.poll.closed_is_pollnval", RETURNS, 1, poll_bad, CLOSED},
    {"fd.poll.huge_is_pollnval", RETURNS, 1, poll_bad, HUGE},
#endif
};

const struct hgroup fd_cases = HGROUP(cases);
