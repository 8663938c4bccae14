/*
 * printf.c -- printf and friends: libk's vformat() into a stream.
 *
 * There is one formatter, libk's vformat(); this file only decides where
 * its characters go. Into a buffered stream they go straight into the
 * stream's buffer (written out at '\n' if line-buffered, when full, at
 * fflush). An unbuffered stream (stderr) and dprintf() get a chunk on
 * the stack instead, written out with one write() per STDIO_CHUNK bytes
 * -- so an error message is one write, not one per character.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "stdio_impl.h"

/* ---- into a stream's buffer */

struct into_stream {
    FILE *f;
    bool failed;                /* a write failed: the call returns -1 */
};

static void stream_emit(char c, void *ctx)
{
    struct into_stream *s = ctx;
    FILE *f = s->f;

    if (f->wlen == f->size && !file_flush_output(f))
        s->failed = true;
    f->buf[f->wlen++] = (unsigned char)c;
    if (c == '\n' && f->mode == _IOLBF && !file_flush_output(f))
        s->failed = true;
}

/* ---- into a chunk on the stack, then a stream or a descriptor */

struct chunk {
    FILE *f;                    /* where a full chunk goes: f, or else fd */
    int fd;
    size_t len;
    bool failed;
    char buf[STDIO_CHUNK];
};

static bool write_fd(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w <= 0)
            return false;
        p += w;
        n -= (size_t)w;
    }
    return true;
}

static void chunk_flush(struct chunk *c)
{
    bool ok;

    if (c->len == 0 || c->failed)
        ok = true;
    else if (c->f != NULL)
        /* SAFETY: pointer -> pointer: the chunk's bytes as unsigned char. */
        ok = file_write(c->f, (const unsigned char *)c->buf, c->len) == c->len;
    else
        ok = write_fd(c->fd, c->buf, c->len);
    if (!ok)
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

static int chunked(struct chunk *c, const char *fmt, va_list ap)
{
    int n = vformat(chunk_emit, c, fmt, ap);

    chunk_flush(c);
    return c->failed ? -1 : n;
}

/* ---- the printf family */

int vfprintf(FILE *f, const char *fmt, va_list ap)
{
    if (!file_start_writing(f))
        return -1;
    if (f->mode == _IONBF) {
        struct chunk c = {.f = f, .fd = -1, .len = 0, .failed = false};
        return chunked(&c, fmt, ap);
    }
    struct into_stream s = {.f = f, .failed = false};
    int n = vformat(stream_emit, &s, fmt, ap);
    return s.failed ? -1 : n;
}

int fprintf(FILE *f, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    int n = vfprintf(f, fmt, ap);
    va_end(ap);
    return n;
}

int vprintf(const char *fmt, va_list ap)
{
    return vfprintf(stdout, fmt, ap);
}

int printf(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    int n = vfprintf(stdout, fmt, ap);
    va_end(ap);
    return n;
}

int vdprintf(int fd, const char *fmt, va_list ap)
{
    struct chunk c = {.f = NULL, .fd = fd, .len = 0, .failed = false};

    return chunked(&c, fmt, ap);
}

int dprintf(int fd, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    int n = vdprintf(fd, fmt, ap);
    va_end(ap);
    return n;
}

/* No limit: the caller promises the room (prefer snprintf). */
int vsprintf(char *buf, const char *fmt, va_list ap)
{
    return vsnprintf(buf, SIZE_MAX, fmt, ap);
}

int sprintf(char *buf, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    int n = vsprintf(buf, fmt, ap);
    va_end(ap);
    return n;
}

/* errno is saved: writing the message must not change what it reports. */
void perror(const char *s)
{
    int saved = errno;
    const char *message = strerror(saved);

    if (s != NULL && *s != '\0')
        fprintf(stderr, "%s: %s\n", s, message);
    else
        fprintf(stderr, "%s\n", message);
    errno = saved;
}
