/*
 * compat.c -- TEMPORARY weak wrappers for the calls of compat.h (see
 * there): each is one system call through syscall_raw(), -1 and errno
 * on failure, as the libc's own.
 */
#include <errno.h>
#include <sys/stat.h>
#include <tidepool.h>
#include <unistd.h>

#include "compat.h"

#define WEAK __attribute__((weak))

static long result(long r)
{
    if (r < 0 && r >= -4095) {
        errno = (int)-r;
        return -1;
    }
    return r;
}

/* SAFETY: pointer -> integer casts below: the kernel takes user
 * addresses as register values and checks them itself. */
WEAK int pipe(int fds[2])
{
    return (int)result(syscall_raw(SYS_pipe, (long)fds, 0, 0, 0, 0));
}

WEAK int dup2(int fd, int newfd)
{
    return (int)result(syscall_raw(SYS_dup2, fd, newfd, 0, 0, 0));
}

WEAK int chdir(const char *path)
{
    return (int)result(syscall_raw(SYS_chdir, (long)path, 0, 0, 0, 0));
}

WEAK char *getcwd(char *buf, size_t size)
{
    return result(syscall_raw(SYS_getcwd, (long)buf, (long)size, 0, 0, 0)) < 0 ? NULL : buf;
}

WEAK int setpgid(pid_t pid, pid_t pgid)
{
    return (int)result(syscall_raw(SYS_setpgid, pid, pgid, 0, 0, 0));
}

WEAK int tcsetpgrp(int fd, pid_t pgid)
{
    return (int)result(syscall_raw(SYS_tcsetpgrp, fd, pgid, 0, 0, 0));
}

WEAK pid_t tcgetpgrp(int fd)
{
    return (pid_t)result(syscall_raw(SYS_tcgetpgrp, fd, 0, 0, 0, 0));
}

/* A character device is the console. A kernel without fstat on the
 * console (before the VFS) has no other fd 0: say yes. */
WEAK int isatty(int fd)
{
    struct stat st;

    if (fstat(fd, &st) < 0)
        return errno != EBADF;
    return S_ISCHR(st.st_mode);
}

int sh_set_signal(int sig, int disposition)
{
    return (int)result(syscall_raw(SYS_signal, sig, disposition, 0, 0, 0));
}
