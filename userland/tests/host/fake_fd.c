/*
 * fake_fd.c -- the system calls stdio makes, over files in memory.
 *
 * The libc's stdio, exit and getopt are compiled for the host with their
 * read, write, lseek, open, close, isatty, _exit and errno renamed to
 * these (host_libc_names.h). Each fake descriptor is a byte array with
 * a position, plus a record of the calls made on it, so that a test can
 * check not only what was written but in how many write()s.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <string.h>
#include <sys/types.h>

#include "host_libc.h"

struct fake_file fake_fd[FAKE_FDS];
char fake_trace[256];
jmp_buf fake_exit_jump;

static struct fake_file *file_of(int fd)
{
    if (fd < 0 || fd >= FAKE_FDS || !fake_fd[fd].open) {
        fake_errno = EBADF;
        return NULL;
    }
    return &fake_fd[fd];
}

static void trace(char what, int fd)
{
    size_t len = strlen(fake_trace);

    if (len + 3 < sizeof fake_trace) {
        fake_trace[len] = what;
        fake_trace[len + 1] = (char)('0' + fd);
        fake_trace[len + 2] = '\0';
    }
}

void fake_reset(void)
{
    memset(fake_fd, 0, sizeof fake_fd);
    fake_trace[0] = '\0';
    for (int fd = 0; fd < 3; fd++)
        fake_fd[fd].open = true;
}

void fake_set_input(int fd, const char *text)
{
    fake_fd[fd].len = strlen(text);
    memcpy(fake_fd[fd].data, text, fake_fd[fd].len);
    fake_fd[fd].pos = 0;
}

const char *fake_output(int fd)
{
    fake_fd[fd].data[fake_fd[fd].len] = '\0';
    return (const char *)fake_fd[fd].data;
}

ssize_t fake_read(int fd, void *buf, size_t n)
{
    struct fake_file *f = file_of(fd);

    if (f == NULL)
        return -1;
    f->reads++;
    trace('r', fd);
    size_t have = f->len - f->pos;
    if (n > have)
        n = have;
    if (f->read_max != 0 && n > f->read_max)
        n = f->read_max;
    if (f->line_reads) {
        const unsigned char *nl = memchr(f->data + f->pos, '\n', n);
        if (nl != NULL)
            n = (size_t)(nl - (f->data + f->pos)) + 1;
    }
    memcpy(buf, f->data + f->pos, n);
    f->pos += n;
    return (ssize_t)n;
}

ssize_t fake_write(int fd, const void *buf, size_t n)
{
    struct fake_file *f = file_of(fd);

    if (f == NULL)
        return -1;
    trace('w', fd);
    if (f->writes < FAKE_LOG)
        f->write_len[f->writes] = n;
    f->writes++;
    if (f->fail_writes) {
        fake_errno = EIO;
        return -1;
    }
    if (f->oflags & O_APPEND)
        f->pos = f->len;
    if (f->pos + n >= FAKE_DATA) {
        fake_errno = ENOSPC;
        return -1;
    }
    memcpy(f->data + f->pos, buf, n);
    f->pos += n;
    if (f->pos > f->len)
        f->len = f->pos;
    return (ssize_t)n;
}

off_t fake_lseek(int fd, off_t offset, int whence)
{
    struct fake_file *f = file_of(fd);

    if (f == NULL)
        return -1;
    if (f->pipe || f->tty) {
        fake_errno = ESPIPE;
        return -1;
    }
    off_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? (off_t)f->pos : (off_t)f->len;
    if (base + offset < 0 || base + offset > (off_t)f->len) {
        fake_errno = EINVAL;
        return -1;
    }
    f->pos = (size_t)(base + offset);
    return (off_t)f->pos;
}

/* Opens the lowest closed fake descriptor, empty (whatever the path),
 * and remembers the flags and mode it was given. */
int fake_open(const char *path, int flags, ...)
{
    va_list ap;

    (void)path;
    va_start(ap, flags);
    unsigned mode = (flags & O_CREAT) ? va_arg(ap, unsigned) : 0;
    va_end(ap);
    for (int fd = 3; fd < FAKE_FDS; fd++) {
        if (!fake_fd[fd].open) {
            memset(&fake_fd[fd], 0, sizeof fake_fd[fd]);
            fake_fd[fd].open = true;
            fake_fd[fd].oflags = flags;
            fake_fd[fd].mode = mode;
            return fd;
        }
    }
    fake_errno = EMFILE;
    return -1;
}

int fake_close(int fd)
{
    struct fake_file *f = file_of(fd);

    if (f == NULL)
        return -1;
    f->open = false;
    return 0;
}

int fake_isatty(int fd)
{
    struct fake_file *f = file_of(fd);

    if (f == NULL)
        return 0;
    if (!f->tty)
        fake_errno = ENOTTY;
    return f->tty;
}

unsigned fake_slept;
unsigned long fake_auxval;

int fake_sleep_ticks(unsigned ticks)
{
    fake_slept = ticks;
    return 0;
}

unsigned long fake_getauxval(unsigned long type)
{
    (void)type;
    return fake_auxval;
}

void fake__exit(int status)
{
    longjmp(fake_exit_jump, status + 1);
}
