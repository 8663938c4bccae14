/*
 * file.c -- FILE streams: opening, closing, buffers, direction, flushing.
 *
 * stdio.h says how each stream is buffered and why; stdio_impl.h what a
 * FILE holds. Reading and writing through the buffer are in fread.c and
 * fwrite.c, formatting in printf.c; this file owns the buffer itself:
 * when it is allocated, when it is written out, when it changes
 * direction. Every open stream is on one list, so that fflush(NULL) and
 * exit() reach them all.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libc.h"
#include "stdio_impl.h"

static unsigned char stdin_buf[BUFSIZ];
static unsigned char stdout_buf[BUFSIZ];

static FILE std_files[3] = {
    {.fd = STDIN_FILENO, .flags = FILE_READ | FILE_STATIC, .mode = _IOLBF,
     .buf = stdin_buf, .size = BUFSIZ, .ungot = EOF, .next = &std_files[1]},
    {.fd = STDOUT_FILENO, .flags = FILE_WRITE | FILE_STATIC | FILE_TTY_MODE, .mode = _IOFBF,
     .buf = stdout_buf, .size = BUFSIZ, .ungot = EOF, .next = &std_files[2]},
    {.fd = STDERR_FILENO, .flags = FILE_WRITE | FILE_STATIC, .mode = _IONBF,
     .buf = &std_files[2].one, .size = 1, .ungot = EOF, .next = NULL},
};
FILE *stdin = &std_files[0];
FILE *stdout = &std_files[1];
FILE *stderr = &std_files[2];

static FILE *open_files = &std_files[0];

/* ---- opening and closing */

/* fopen's mode string as open() flags and FILE_READ/FILE_WRITE; false
 * for a mode C does not define. */
static bool parse_mode(const char *mode, int *oflags, unsigned *fflags)
{
    switch (mode[0]) {
    case 'r':
        *oflags = O_RDONLY;
        *fflags = FILE_READ;
        break;
    case 'w':
        *oflags = O_WRONLY | O_CREAT | O_TRUNC;
        *fflags = FILE_WRITE;
        break;
    case 'a':
        *oflags = O_WRONLY | O_CREAT | O_APPEND;
        *fflags = FILE_WRITE;
        break;
    default:
        return false;
    }
    for (const char *m = mode + 1; *m != '\0'; m++) {
        if (*m == '+') {
            *oflags = (*oflags & ~O_ACCMODE) | O_RDWR;
            *fflags = FILE_READ | FILE_WRITE;
        } else if (*m == 'e') {
            *oflags |= O_CLOEXEC;
        } else if (*m == 'x') {
            *oflags |= O_EXCL;
        } else if (*m != 'b') {
            return false;
        }
    }
    return true;
}

/* A new fully buffered stream over fd, on the list; its buffer comes
 * at the first read or write (so that setvbuf can still choose). */
static FILE *file_new(int fd, unsigned flags)
{
    FILE *f = calloc(1, sizeof *f);

    if (f == NULL)
        return NULL;
    f->fd = fd;
    f->flags = flags;
    f->mode = _IOFBF;
    f->ungot = EOF;
    f->next = open_files;
    open_files = f;
    return f;
}

FILE *fopen(const char *path, const char *mode)
{
    int oflags;
    unsigned fflags;

    if (!parse_mode(mode, &oflags, &fflags)) {
        errno = EINVAL;
        return NULL;
    }
    int fd = open(path, oflags, 0666);
    if (fd == -1)
        return NULL;
    FILE *f = file_new(fd, fflags);
    if (f == NULL)
        close(fd);              /* errno stays ENOMEM */
    return f;
}

FILE *fdopen(int fd, const char *mode)
{
    int oflags;
    unsigned fflags;

    if (!parse_mode(mode, &oflags, &fflags)) {
        errno = EINVAL;
        return NULL;
    }
    if (fd < 0) {
        errno = EBADF;
        return NULL;
    }
    return file_new(fd, fflags);
}

static void unlink_from_list(FILE *f)
{
    for (FILE **p = &open_files; *p != NULL; p = &(*p)->next) {
        if (*p == f) {
            *p = f->next;
            return;
        }
    }
}

int fclose(FILE *f)
{
    int r = fflush(f);

    if (close(f->fd) == -1)
        r = EOF;
    if (f->flags & FILE_STATIC) {
        f->flags = FILE_STATIC | FILE_ERROR;    /* closed: every use fails */
        f->rpos = f->rend = f->wlen = 0;
        f->ungot = EOF;
        return r;
    }
    unlink_from_list(f);
    if (f->flags & FILE_OWN_BUF)
        free(f->buf);
    free(f);
    return r;
}

/* ---- the buffer */

/* Chooses stdout's mode at its first use, and allocates a buffer for a
 * stream that has none. If malloc fails the stream works unbuffered. */
static void file_ensure_buffer(FILE *f)
{
    if (f->flags & FILE_TTY_MODE) {
        f->flags &= ~FILE_TTY_MODE;
        int saved = errno;      /* isatty's ENOTTY is no error of the caller's */
        f->mode = isatty(f->fd) ? _IOLBF : _IOFBF;
        errno = saved;
    }
    if (f->buf != NULL)
        return;
    if (f->mode != _IONBF) {
        f->buf = malloc(BUFSIZ);
        f->size = BUFSIZ;
        if (f->buf != NULL) {
            f->flags |= FILE_OWN_BUF;
            return;
        }
        f->mode = _IONBF;
    }
    f->buf = &f->one;
    f->size = 1;
}

int setvbuf(FILE *f, char *buf, int mode, size_t size)
{
    if ((mode != _IOFBF && mode != _IOLBF && mode != _IONBF) ||
        f->wlen != 0 || f->rpos != f->rend) {
        errno = EINVAL;
        return -1;
    }
    if (f->flags & FILE_OWN_BUF)
        free(f->buf);
    f->flags &= ~(FILE_OWN_BUF | FILE_TTY_MODE);
    f->mode = mode;
    f->buf = NULL;
    f->size = 0;
    f->rpos = f->rend = 0;
    if (mode == _IONBF) {
        f->buf = &f->one;
        f->size = 1;
    } else if (buf != NULL && size > 0) {
        /* SAFETY: pointer -> pointer: the caller's bytes, as unsigned char. */
        f->buf = (unsigned char *)buf;
        f->size = size;
    }
    return 0;
}

void setbuf(FILE *f, char *buf)
{
    setvbuf(f, buf, buf != NULL ? _IOFBF : _IONBF, BUFSIZ);
}

/* ---- moving data in and out */

/* Writes n bytes to f's descriptor, looping over short writes; the
 * count written (n unless the error flag got set). */
static size_t write_all(FILE *f, const unsigned char *p, size_t n)
{
    size_t done = 0;

    while (done < n) {
        ssize_t w = write(f->fd, p + done, n - done);
        if (w <= 0) {
            f->flags |= FILE_ERROR;
            break;
        }
        done += (size_t)w;
    }
    return done;
}

/* The output is gone either way: after a failed write the bytes are
 * dropped (and ferror says so) rather than tried again at every call. */
bool file_flush_output(FILE *f)
{
    size_t n = f->wlen;

    f->wlen = 0;
    return write_all(f, f->buf, n) == n;
}

/* C: input from an unbuffered or line-buffered stream first writes out
 * every line-buffered output stream (the prompt before a read). */
static void flush_line_buffered(void)
{
    for (FILE *f = open_files; f != NULL; f = f->next) {
        if (f->mode == _IOLBF && f->wlen > 0)
            file_flush_output(f);
    }
}

long file_read_raw(FILE *f, void *p, size_t n)
{
    if (f->mode != _IOFBF)
        flush_line_buffered();
    ssize_t r = read(f->fd, p, n);
    if (r == 0)
        f->flags |= FILE_EOF;
    else if (r < 0)
        f->flags |= FILE_ERROR;
    return r;
}

long file_fill(FILE *f)
{
    long r = file_read_raw(f, f->buf, f->size);

    f->rpos = 0;
    f->rend = r > 0 ? (size_t)r : 0;
    return r;
}

/* Returns the bytes that reached the descriptor or stay buffered: when a
 * flush fails, this call's bytes in the buffer are lost and not counted. */
size_t file_write(FILE *f, const unsigned char *p, size_t n)
{
    if (!file_start_writing(f))
        return 0;
    if (f->mode == _IONBF)
        return write_all(f, p, n);
    size_t done = 0;
    size_t in_buffer = 0;       /* of this call's bytes, since the last flush */
    while (done < n) {
        if (f->mode == _IOFBF && f->wlen == 0 && n - done >= f->size)
            return done + write_all(f, p + done, n - done);  /* too big to buffer */
        size_t len = n - done;
        if (len > f->size - f->wlen)
            len = f->size - f->wlen;
        const unsigned char *newline = NULL;
        if (f->mode == _IOLBF) {
            newline = memchr(p + done, '\n', len);
            if (newline != NULL)
                len = (size_t)(newline - (p + done)) + 1;
        }
        memcpy(f->buf + f->wlen, p + done, len);
        f->wlen += len;
        done += len;
        in_buffer += len;
        if (newline != NULL || f->wlen == f->size) {
            if (!file_flush_output(f))
                return done - in_buffer;
            in_buffer = 0;
        }
    }
    return done;
}

/* ---- direction */

/* The input read ahead (and an ungetc'd character) goes back: the
 * descriptor's offset moves back to where the reader is. False if the
 * file cannot seek (a pipe, the console): the input then stays. */
static bool give_back_input(FILE *f)
{
    off_t unread = (off_t)(f->rend - f->rpos) + (f->ungot != EOF);

    if (unread > 0 && lseek(f->fd, -unread, SEEK_CUR) == -1)
        return false;
    f->rpos = f->rend = 0;
    f->ungot = EOF;
    return true;
}

bool file_start_reading(FILE *f)
{
    if (!(f->flags & FILE_READ)) {
        f->flags |= FILE_ERROR;
        errno = EBADF;
        return false;
    }
    file_ensure_buffer(f);
    return f->wlen == 0 || file_flush_output(f);
}

bool file_start_writing(FILE *f)
{
    if (!(f->flags & FILE_WRITE)) {
        f->flags |= FILE_ERROR;
        errno = EBADF;
        return false;
    }
    file_ensure_buffer(f);
    if (f->rpos != f->rend || f->ungot != EOF) {
        int saved = errno;
        give_back_input(f);
        f->rpos = f->rend = 0;  /* even unseekable: a write ends the reading */
        f->ungot = EOF;
        errno = saved;
    }
    return true;
}

/* ---- flushing */

int fflush(FILE *f)
{
    if (f == NULL) {
        int r = 0;
        for (FILE *p = open_files; p != NULL; p = p->next) {
            if (p->wlen > 0 && !file_flush_output(p))
                r = EOF;
        }
        return r;
    }
    if (f->wlen > 0)
        return file_flush_output(f) ? 0 : EOF;
    if (f->rpos != f->rend || f->ungot != EOF) {
        int saved = errno;
        give_back_input(f);
        errno = saved;
    }
    return 0;
}

void stdio_flush_all(void)
{
    fflush(NULL);
}

/* ---- position */

int fseek(FILE *f, long offset, int whence)
{
    if (fflush(f) == EOF)
        return -1;
    if (whence == SEEK_CUR)     /* from where the reader is, not the descriptor */
        offset -= (long)(f->rend - f->rpos) + (f->ungot != EOF);
    if (lseek(f->fd, offset, whence) == -1)
        return -1;
    f->rpos = f->rend = 0;
    f->ungot = EOF;
    f->flags &= ~FILE_EOF;
    return 0;
}

long ftell(FILE *f)
{
    off_t at = lseek(f->fd, 0, SEEK_CUR);

    if (at == -1)
        return -1;
    return at - (long)(f->rend - f->rpos) - (f->ungot != EOF) + (long)f->wlen;
}

void rewind(FILE *f)
{
    fseek(f, 0, SEEK_SET);
    f->flags &= ~FILE_ERROR;
}

/* ---- state */

int feof(FILE *f)
{
    return (f->flags & FILE_EOF) != 0;
}

int ferror(FILE *f)
{
    return (f->flags & FILE_ERROR) != 0;
}

void clearerr(FILE *f)
{
    f->flags &= ~(FILE_EOF | FILE_ERROR);
}

int fileno(FILE *f)
{
    return f->fd;
}
