/*
 * syscalls.c -- one C function per system call of kernel/abi/syscall.h.
 *
 * Each passes its arguments to libc_syscallN() (libc.h: N arguments,
 * through the door chosen at start; in a unikernel build the direct call
 * of the handler) and turns a -ENAME result into errno = ENAME and -1,
 * as POSIX functions do. The exceptions say why next to them.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <tidepool.h>
#include <unistd.h>

#include <meminfo.h>     /* kernel/abi */
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
    return sys_result(libc_syscall0(nr));
}

static long sys1(long nr, long a1)
{
    return sys_result(libc_syscall1(nr, a1));
}

static long sys2(long nr, long a1, long a2)
{
    return sys_result(libc_syscall2(nr, a1, a2));
}

static long sys3(long nr, long a1, long a2, long a3)
{
    return sys_result(libc_syscall3(nr, a1, a2, a3));
}

/* ---- processes */

/* SYS_exit does not return; if a broken kernel let it, trying again is
 * better than running on into code that assumes we are gone. exit(),
 * which runs atexit handlers and flushes stdio first, is in exit.c. */
void _exit(int status)
{
    for (;;)
        libc_syscall1(SYS_exit, status);
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

/* The kernel takes and returns the ints SIG_DISPOSITION_DFL/IGN; only
 * the two marker "handlers" translate to them (signal.h). */
sighandler_t signal(int sig, sighandler_t handler)
{
    int disposition;

    if (handler == SIG_DFL) {
        disposition = SIG_DISPOSITION_DFL;
    } else if (handler == SIG_IGN) {
        disposition = SIG_DISPOSITION_IGN;
    } else {
        errno = EINVAL;         /* Tidepool has no handlers to call */
        return SIG_ERR;
    }
    long old = sys2(SYS_signal, sig, disposition);
    if (old == -1)
        return SIG_ERR;
    return old == SIG_DISPOSITION_IGN ? SIG_IGN : SIG_DFL;
}

/* ---- process groups and the console's foreground group */

pid_t getpgid(pid_t pid)
{
    return (pid_t)sys1(SYS_getpgid, pid);
}

int setpgid(pid_t pid, pid_t pgid)
{
    return (int)sys2(SYS_setpgid, pid, pgid);
}

pid_t getpgrp(void)
{
    return getpgid(0);
}

int tcsetpgrp(int fd, pid_t pgrp)
{
    return (int)sys2(SYS_tcsetpgrp, fd, pgrp);
}

pid_t tcgetpgrp(int fd)
{
    return (pid_t)sys1(SYS_tcgetpgrp, fd);
}

int procinfo(struct procinfo *buf, int max)
{
    return (int)sys2(SYS_procinfo, user_arg(buf), max);
}

#if LAB >= 5
int cpuinfo(struct cpus_info *buf)
{
    return (int)sys2(SYS_cpuinfo, user_arg(buf), (long)sizeof *buf);
}

int lockinfo(struct locks_info *buf)
{
    return (int)sys2(SYS_lockinfo, user_arg(buf), (long)sizeof *buf);
}
#endif

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

/* The mode argument is there only with O_CREAT (reading a variadic
 * argument that was not passed is undefined behaviour). */
int open(const char *path, int flags, ...)
{
    mode_t mode = 0;

    if (flags & O_CREAT) {
        va_list ap;
        va_start(ap, flags);
        mode = va_arg(ap, mode_t);
        va_end(ap);
    }
    return (int)sys3(SYS_open, user_arg(path), flags, (long)mode);
}

int creat(const char *path, mode_t mode)
{
    return open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
}

int close(int fd)
{
    return (int)sys1(SYS_close, fd);
}

int dup(int fd)
{
    return (int)sys1(SYS_dup, fd);
}

int dup2(int fd, int newfd)
{
    return (int)sys2(SYS_dup2, fd, newfd);
}

int pipe(int fds[2])
{
    return (int)sys1(SYS_pipe, user_arg(fds));
}

off_t lseek(int fd, off_t offset, int whence)
{
    return (off_t)sys3(SYS_lseek, fd, offset, whence);
}

/* The kernel takes an unsigned length: a negative one is EINVAL here,
 * not a huge file. */
int ftruncate(int fd, off_t length)
{
    if (length < 0) {
        errno = EINVAL;
        return -1;
    }
    return (int)sys2(SYS_ftruncate, fd, length);
}

int unlink(const char *path)
{
    return (int)sys1(SYS_unlink, user_arg(path));
}

int rename(const char *from, const char *to)
{
    return (int)sys2(SYS_rename, user_arg(from), user_arg(to));
}

int mkdir(const char *path, mode_t mode)
{
    return (int)sys2(SYS_mkdir, user_arg(path), (long)mode);
}

int rmdir(const char *path)
{
    return (int)sys1(SYS_rmdir, user_arg(path));
}

int chdir(const char *path)
{
    return (int)sys1(SYS_chdir, user_arg(path));
}

int getdents(int fd, struct dirent *buf, size_t n)
{
    return (int)sys3(SYS_getdents, fd, user_arg(buf), (long)n);
}

/* The kernel returns the length with the NUL; POSIX's getcwd returns buf.
 * With buf == NULL (glibc's extension) the buffer is malloc'd: of size
 * bytes, or of PATH_MAX bytes if size is 0. */
char *getcwd(char *buf, size_t size)
{
    char *mine = NULL;

    if (buf == NULL) {
        size_t want = size != 0 ? size : PATH_MAX;
        buf = mine = malloc(want);
        if (mine == NULL)
            return NULL;
        if (size == 0)
            size = want;
    }
    if (size == 0) {
        errno = EINVAL;
        return NULL;
    }
    if (sys2(SYS_getcwd, user_arg(buf), (long)size) == -1) {
        free(mine);
        return NULL;
    }
    return buf;
}

/* A terminal is what fstat calls a character device: the console. */
int isatty(int fd)
{
    struct stat st;

    if (fstat(fd, &st) == -1)
        return 0;               /* errno: EBADF */
    if (!S_ISCHR(st.st_mode)) {
        errno = ENOTTY;
        return 0;
    }
    return 1;
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
        libc_syscall(SYS_thread_exit, status, 0, 0, 0, 0);
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

int meminfo(struct meminfo *m)
{
    return (int)sys2(SYS_meminfo, user_arg(m), (long)sizeof *m);
}
