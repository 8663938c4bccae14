/*
 * stdio.c -- printf and friends: libk's vformat() into write().
 *
 * Each call formats into a chunk buffer on its own stack and write()s
 * the chunk whenever it fills, and once more at the end; nothing is kept
 * between calls (stdio.h says why). A FILE is just a descriptor.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct FILE {
    int fd;
};

static FILE files[3] = {{STDIN_FILENO}, {STDOUT_FILENO}, {STDERR_FILENO}};
FILE *stdin = &files[0];
FILE *stdout = &files[1];
FILE *stderr = &files[2];

/* Writes all n bytes, looping over short writes; false on an error. */
static bool write_all(int fd, const char *s, size_t n)
{
    while (n > 0) {
        ssize_t done = write(fd, s, n);

        if (done <= 0)
            return false;
        s += done;
        n -= (size_t)done;
    }
    return true;
}

/* Where vformat's characters go: a chunk, flushed to fd when full. */
struct chunk {
    int fd;
    size_t len;
    bool failed;        /* a write failed: the call returns -1 */
    char buf[STDIO_CHUNK];
};

static void chunk_flush(struct chunk *c)
{
    if (c->len > 0 && !c->failed && !write_all(c->fd, c->buf, c->len))
        c->failed = true;
    c->len = 0;
}

static void chunk_emit(char ch, void *ctx)
{
    struct chunk *c = ctx;

    if (c->len == sizeof c->buf)
        chunk_flush(c);
    c->buf[c->len++] = ch;
}

int vdprintf(int fd, const char *fmt, va_list ap)
{
    struct chunk c = {.fd = fd, .len = 0, .failed = false};
    int n = vformat(chunk_emit, &c, fmt, ap);

    chunk_flush(&c);
    return c.failed ? -1 : n;
}

int dprintf(int fd, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    int n = vdprintf(fd, fmt, ap);
    va_end(ap);
    return n;
}

int vfprintf(FILE *f, const char *fmt, va_list ap)
{
    return vdprintf(f->fd, fmt, ap);
}

int fprintf(FILE *f, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    int n = vdprintf(f->fd, fmt, ap);
    va_end(ap);
    return n;
}

int vprintf(const char *fmt, va_list ap)
{
    return vdprintf(STDOUT_FILENO, fmt, ap);
}

int printf(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    int n = vdprintf(STDOUT_FILENO, fmt, ap);
    va_end(ap);
    return n;
}

int fputs(const char *s, FILE *f)
{
    return write_all(f->fd, s, strlen(s)) ? 0 : EOF;
}

/* "%s\n" keeps the string and its newline in one write (if it fits a
 * chunk), which a separate write of "\n" would not. */
int puts(const char *s)
{
    return printf("%s\n", s) < 0 ? EOF : 0;
}

int fputc(int c, FILE *f)
{
    char ch = (char)c;

    return write_all(f->fd, &ch, 1) ? (unsigned char)ch : EOF;
}

int putchar(int c)
{
    return fputc(c, stdout);
}

int fflush(FILE *f)
{
    (void)f;
    return 0;
}

int fileno(FILE *f)
{
    return f->fd;
}

void perror(const char *s)
{
    const char *message = strerror(errno);

    if (s != NULL && *s != '\0')
        fprintf(stderr, "%s: %s\n", s, message);
    else
        fprintf(stderr, "%s\n", message);
}
