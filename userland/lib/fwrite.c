/*
 * fwrite.c -- writing to a stream: fputc, fputs, puts, fwrite.
 *
 * All of them go through file_write() (file.c), which buffers as the
 * stream's mode says.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "stdio_impl.h"

/* The common case inline: a stream already writing (wlen > 0 says the
 * buffer, the direction and the permission are settled) with room for
 * this byte and no flush due after it. */
int fputc(int c, FILE *f)
{
    unsigned char ch = (unsigned char)c;

    if (f->wlen != 0 && f->wlen + 1 < f->size && (f->mode == _IOFBF || ch != '\n')) {
        f->buf[f->wlen++] = ch;
        return ch;
    }
    return file_write(f, &ch, 1) == 1 ? ch : EOF;
}

int putc(int c, FILE *f)
{
    return fputc(c, f);
}

int putchar(int c)
{
    return fputc(c, stdout);
}

int fputs(const char *s, FILE *f)
{
    size_t n = strlen(s);

    /* SAFETY: pointer -> pointer: the string's bytes as unsigned char. */
    return file_write(f, (const unsigned char *)s, n) == n ? 0 : EOF;
}

int puts(const char *s)
{
    if (fputs(s, stdout) == EOF || fputc('\n', stdout) == EOF)
        return EOF;
    return 0;
}

size_t fwrite(const void *buf, size_t size, size_t n, FILE *f)
{
    if (size == 0 || n == 0)
        return 0;
    if (n > SIZE_MAX / size)
        n = SIZE_MAX / size;
    return file_write(f, buf, size * n) / size;
}
