/*
 * syscalls.c -- one C function per system call of kernel/abi/syscall.h.
 *
 * Each passes its arguments to syscall_raw() (which takes the path
 * chosen at start) and turns a -ENAME result into errno = ENAME and -1,
 * as POSIX functions do. The exceptions say why next to them.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <tidepool.h>
#include <unistd.h>

#include "libc.h"

/* The kernel's errors are -1 .. -4095, as in Linux; anything else is a
 * result, even a "negative" one such as an address above 2 GiB. */
#define MAX_ERRNO 4095

long sys_result(long r)
{
    if (r < 0 && r >= -MAX_ERRNO) {
        errno = (int)-r;
        return -1;
    }
    return r;
}

static long sys0(long nr)
{
    return sys_result(syscall_raw(nr, 0, 0, 0, 0, 0));
}

static long sys1(long nr, long a1)
{
    return sys_result(syscall_raw(nr, a1, 0, 0, 0, 0));
}

static long sys2(long nr, long a1, long a2)
{
    return sys_result(syscall_raw(nr, a1, a2, 0, 0, 0));
}

static long sys3(long nr, long a1, long a2, long a3)
{
    return sys_result(syscall_raw(nr, a1, a2, a3, 0, 0));
}

/* ---- processes */

/* exit() and _exit() are the same: nothing is buffered, there is no
 * atexit(). SYS_exit does not return; if a broken kernel let it, trying
 * again is better than running on into code that assumes we are gone. */
void _exit(int status)
{
    for (;;)
        syscall_raw(SYS_exit, status, 0, 0, 0, 0);
}

void exit(int status)
{
    _exit(status);
}

pid_t fork(void)
{
    return (pid_t)sys0(SYS_fork);
}

int execve(const char *path, char *const argv[], char *const envp[])
{
    return (int)sys3(SYS_execve, user_arg(path), user_arg(argv), user_arg(envp));
}

int execv(const char *path, char *const argv[])
{
    return execve(path, argv, environ);
}

pid_t waitpid(pid_t pid, int *status, int options)
{
    return (pid_t)sys3(SYS_waitpid, pid, user_arg(status), options);
}

pid_t wait(int *status)
{
    return waitpid(-1, status, 0);
}

/* getpid and getppid cannot fail (POSIX): no errno handling needed, but
 * sys0 is harmless. */
pid_t getpid(void)
{
    return (pid_t)sys0(SYS_getpid);
}

pid_t getppid(void)
{
    return (pid_t)sys0(SYS_getppid);
}

int kill(pid_t pid, int sig)
{
    return (int)sys2(SYS_kill, pid, sig);
}

/* POSIX's sbrk reports failure as (void *)-1 (SBRK_FAILED), not NULL. */
void *sbrk(intptr_t increment)
{
    long old = sys1(SYS_sbrk, increment);

    if (old == -1)
        return SBRK_FAILED;
    /* SAFETY: integer -> pointer: the kernel returned the old break, an
     * address in this process's user space. */
    return (void *)(uintptr_t)old;
}

/* ---- files */

ssize_t read(int fd, void *buf, size_t n)
{
    return (ssize_t)sys3(SYS_read, fd, user_arg(buf), (long)n);
}

ssize_t write(int fd, const void *buf, size_t n)
{
    return (ssize_t)sys3(SYS_write, fd, user_arg(buf), (long)n);
}

int open(const char *path, int flags, ...)
{
    return (int)sys2(SYS_open, user_arg(path), flags);
}

int close(int fd)
{
    return (int)sys1(SYS_close, fd);
}

int dup(int fd)
{
    return (int)sys1(SYS_dup, fd);
}

int stat(const char *path, struct stat *st)
{
    return (int)sys2(SYS_stat, user_arg(path), user_arg(st));
}

int fstat(int fd, struct stat *st)
{
    return (int)sys2(SYS_fstat, fd, user_arg(st));
}

/* ---- threads, time, memory (tidepool.h); thread_create is in threads.c */

int thread_join(int tid)
{
    return (int)sys1(SYS_thread_join, tid);
}

void thread_exit(int status)
{
    for (;;)
        syscall_raw(SYS_thread_exit, status, 0, 0, 0, 0);
}

int gettid(void)
{
    return (int)sys0(SYS_gettid);
}

void yield(void)
{
    sys0(SYS_yield);
}

unsigned long uptime(void)
{
    return (unsigned long)sys0(SYS_uptime);
}

int sleep_ticks(unsigned ticks)
{
    return (int)sys1(SYS_sleep, (long)ticks);
}

long freeframes(void)
{
    return sys0(SYS_freeframes);
}
