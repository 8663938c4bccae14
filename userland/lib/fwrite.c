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

int fputc(int c, FILE *f)
{
    unsigned char ch = (unsigned char)c;

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
