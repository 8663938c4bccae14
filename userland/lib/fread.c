/*
 * fread.c -- reading from a stream: fgetc, ungetc, fgets, getline, fread.
 *
 * Each takes what the buffer holds and refills it with one read() when
 * it runs dry (file.c). As C says, once the EOF flag is set every read
 * returns EOF until clearerr() (on the console: after Ctrl-D).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stdio_impl.h"

/* True if f has no buffered input and cannot get more. */
static bool refill_failed(FILE *f)
{
    if (f->flags & FILE_EOF)
        return true;
    return !file_start_reading(f) || file_fill(f) <= 0;
}

int fgetc(FILE *f)
{
    if (f->ungot != EOF) {
        int c = f->ungot;
        f->ungot = EOF;
        return c;
    }
    if (f->rpos == f->rend && refill_failed(f))
        return EOF;
    return f->buf[f->rpos++];
}

int getc(FILE *f)
{
    return fgetc(f);
}

int getchar(void)
{
    return fgetc(stdin);
}

int ungetc(int c, FILE *f)
{
    if (c == EOF || f->ungot != EOF || !(f->flags & FILE_READ))
        return EOF;
    f->ungot = (unsigned char)c;
    f->flags &= ~FILE_EOF;
    return f->ungot;
}

char *fgets(char *s, int n, FILE *f)
{
    int len = 0;

    if (n <= 0)
        return NULL;
    while (len < n - 1) {
        int c = fgetc(f);
        if (c == EOF)
            break;
        s[len++] = (char)c;
        if (c == '\n')
            break;
    }
    s[len] = '\0';
    if (len == 0 && n > 1)
        return NULL;            /* nothing read: end of file or an error */
    return s;
}

/* Makes room for at least need bytes in *line, doubling its size. */
static bool grow(char **line, size_t *cap, size_t need)
{
    if (need <= *cap)
        return true;
    size_t size = *cap < 64 ? 64 : *cap;
    while (size < need) {
        if (size > SIZE_MAX / 2) {
            errno = ENOMEM;
            return false;
        }
        size *= 2;
    }
    char *bigger = realloc(*line, size);
    if (bigger == NULL)
        return false;           /* errno: ENOMEM; *line is still the caller's */
    *line = bigger;
    *cap = size;
    return true;
}

ssize_t getdelim(char **line, size_t *cap, int delim, FILE *f)
{
    size_t len = 0;

    if (line == NULL || cap == NULL) {
        errno = EINVAL;
        return -1;
    }
    if (*line == NULL)
        *cap = 0;
    for (;;) {
        int c = fgetc(f);
        if (c == EOF)
            break;
        if (!grow(line, cap, len + 2))  /* this byte and the NUL */
            return -1;
        (*line)[len++] = (char)c;
        if (c == delim)
            break;
    }
    if (len == 0)
        return -1;              /* end of file, or an error (ferror) */
    (*line)[len] = '\0';
    return (ssize_t)len;
}

ssize_t getline(char **line, size_t *cap, FILE *f)
{
    return getdelim(line, cap, '\n', f);
}

size_t fread(void *buf, size_t size, size_t n, FILE *f)
{
    if (size == 0 || n == 0)
        return 0;
    if (n > SIZE_MAX / size)
        n = SIZE_MAX / size;
    unsigned char *p = buf;
    size_t want = size * n;
    size_t got = 0;

    if (f->ungot != EOF) {
        p[got++] = (unsigned char)f->ungot;
        f->ungot = EOF;
    }
    while (got < want) {
        size_t have = f->rend - f->rpos;
        if (have > 0) {
            size_t take = have < want - got ? have : want - got;
            memcpy(p + got, f->buf + f->rpos, take);
            f->rpos += take;
            got += take;
            continue;
        }
        if ((f->flags & FILE_EOF) || !file_start_reading(f))
            break;
        if (want - got >= f->size) {    /* at least a bufferful: no copy */
            long r = file_read_raw(f, p + got, want - got);
            if (r <= 0)
                break;
            got += (size_t)r;
        } else if (file_fill(f) <= 0) {
            break;
        }
    }
    return got / size;
}
