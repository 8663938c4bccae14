/*
 * snprintf.c -- vformat() into a caller's buffer.
 *
 * C99 semantics: at most size-1 characters are stored, followed by a
 * NUL whenever size > 0; the return value is the length the complete
 * output would have had, so the caller can detect truncation (result
 * >= size) or measure first with snprintf(NULL, 0, ...).
 */
#include "stdio.h"

struct buffer {
    char *buf;
    size_t size;
    size_t len; /* characters produced so far, stored or not */
};

/* Stores c if there is room, always keeping the last byte for the NUL. */
static void buffer_emit(char c, void *ctx)
{
    struct buffer *b = ctx;

    if (b->len + 1 < b->size)
        b->buf[b->len] = c;
    b->len++;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct buffer b = {.buf = buf, .size = size, .len = 0};
    int n = vformat(buffer_emit, &b, fmt, ap);

    if (size > 0)
        buf[b.len < size ? b.len : size - 1] = '\0';
    return n;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    int n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
