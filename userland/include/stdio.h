/*
 * stdio.h -- formatted output (the user libc).
 *
 * The formatter is libk's vformat(): the conversions it knows, and what
 * it does where C leaves the choice open, are listed in libk's stdio.h
 * (included below; see assert.h for why by path). In short: d i u o x X
 * c s p %, with flags, width, precision and hh h l ll z t j; no floating
 * point.
 *
 * There is no buffering across calls: each printf() formats into a
 * buffer on the stack and write()s it out when the buffer is full and at
 * its end, so a line shorter than STDIO_CHUNK bytes printed by one call
 * reaches the file descriptor in one write() -- which keeps the lines of
 * processes writing to one console whole. A FILE is only a descriptor.
 */
#ifndef USER_STDIO_H
#define USER_STDIO_H

#include <stdarg.h>
#include <stddef.h>

#include "../../libk/include/stdio.h"

#define EOF (-1)
#define STDIO_CHUNK 256

typedef struct FILE FILE;
extern FILE *stdin;
extern FILE *stdout;
extern FILE *stderr;

int printf(const char *fmt, ...) PRINTF_LIKE(1, 2);
int fprintf(FILE *f, const char *fmt, ...) PRINTF_LIKE(2, 3);
int dprintf(int fd, const char *fmt, ...) PRINTF_LIKE(2, 3);
int vprintf(const char *fmt, va_list ap) PRINTF_LIKE(1, 0);
int vfprintf(FILE *f, const char *fmt, va_list ap) PRINTF_LIKE(2, 0);
int vdprintf(int fd, const char *fmt, va_list ap) PRINTF_LIKE(2, 0);

/* puts and fputs write s with one write() (puts adds the newline in the
 * same write). They return a non-negative number, or EOF on error. */
int puts(const char *s);
int fputs(const char *s, FILE *f);
int fputc(int c, FILE *f);
int putchar(int c);
#define putc(c, f) fputc(c, f)

/* Nothing is buffered, so there is nothing to flush: returns 0. */
int fflush(FILE *f);

/* "s: strerror(errno)\n" on stderr (just the message if s is NULL or ""). */
void perror(const char *s);

/* The descriptor behind a FILE. */
int fileno(FILE *f);

#endif
