/*
 * stdio.h -- buffered streams and formatted output (the user libc).
 *
 * The formatter is libk's vformat(): the conversions it knows, and what
 * it does where C leaves the choice open, are listed in libk's stdio.h
 * (included below; see assert.h for why by path). In short: d i u o x X
 * c s p %, with flags, width, precision and hh h l ll z t j; no floating
 * point. snprintf and vsnprintf are libk's.
 *
 * BUFFERING (lib/file.c): a FILE keeps a buffer of BUFSIZ bytes.
 *  - stdin is line-buffered: each read() asks for a whole buffer, and on
 *    the console a read() returns one line, so fgets() gets that line.
 *    Reading from a line-buffered or unbuffered stream first flushes
 *    every line-buffered output stream (so a prompt without '\n' shows).
 *  - stdout is line-buffered if it is a terminal (isatty(1)), else fully
 *    buffered (a pipe, a file), as in glibc; decided at its first use.
 *  - stderr is unbuffered: each call is written at once (a printf on it
 *    in one write() per STDIO_CHUNK bytes of output).
 *  - fopen()ed streams are fully buffered.
 * A line-buffered stream is written out at each '\n', so the lines of
 * several processes sharing a console stay whole; a fully buffered one
 * when the buffer fills, at fflush(), fclose() and exit() (not _exit(),
 * and not when a signal or fault ends the process).
 *
 * FORK: a child gets a copy of the parent's unflushed output and, if it
 * calls exit(), writes it again. As in POSIX, call fflush(NULL) (or
 * fflush on the streams involved) before fork(); a child that only
 * execs or _exits is safe either way.
 *
 * Streams are not thread-safe: only one thread at a time may use a FILE.
 */
#ifndef USER_STDIO_H
#define USER_STDIO_H

#include <stdarg.h>
#include <stddef.h>
#include <sys/types.h>

#include "../../libk/include/stdio.h"

#define EOF (-1)
#define BUFSIZ 1024
/* Unbuffered output is formatted in chunks of this many bytes, one
 * write() each; also a handy size for one line of output. */
#define STDIO_CHUNK 256

/* setvbuf's modes. */
#define _IOFBF 0        /* fully buffered */
#define _IOLBF 1        /* line-buffered */
#define _IONBF 2        /* unbuffered */

#ifndef SEEK_SET
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
#endif

typedef struct FILE FILE;
extern FILE *stdin;
extern FILE *stdout;
extern FILE *stderr;

/* ---- opening and closing (lib/file.c) */

/* mode: "r" read, "w" write (create, truncate), "a" append (create),
 * each with "+" for reading and writing; "b" is ignored, "x" adds
 * O_EXCL, "e" adds O_CLOEXEC. Files are created 0666. NULL with errno
 * set on failure (EINVAL for a bad mode). */
FILE *fopen(const char *path, const char *mode);
/* A stream over an open descriptor; mode as for fopen (nothing is
 * created or truncated). */
FILE *fdopen(int fd, const char *mode);
/* Flushes, closes the descriptor, frees the stream (even on error). */
int fclose(FILE *f);
/* Writes out f's buffered output; f == NULL: every output stream. On an
 * input stream, drops what is buffered and moves the descriptor's offset
 * back to where the reader is (when the file can seek). 0 or EOF. */
int fflush(FILE *f);
/* Only before the first read or write: mode is _IOFBF, _IOLBF or _IONBF;
 * buf (size bytes, alive until fclose) or NULL for the libc's own. */
int setvbuf(FILE *f, char *buf, int mode, size_t size);
void setbuf(FILE *f, char *buf);        /* BUFSIZ bytes, or NULL: unbuffered */
int fileno(FILE *f);

/* ---- position (lib/file.c): flush or drop the buffer, then lseek. */
int fseek(FILE *f, long offset, int whence);
long ftell(FILE *f);
void rewind(FILE *f);

/* ---- end of file and errors */
int feof(FILE *f);
int ferror(FILE *f);
void clearerr(FILE *f);

/* ---- reading (lib/fread.c) */
int fgetc(FILE *f);
int getc(FILE *f);
int getchar(void);
/* Pushes one character back (only one: a second ungetc before a read
 * fails); clears the EOF flag. Returns c, or EOF. */
int ungetc(int c, FILE *f);
/* Up to n - 1 characters, up to and including a '\n', then a NUL.
 * NULL at end of file with nothing read, or on an error. */
char *fgets(char *s, int n, FILE *f);
/* A whole line, its '\n' included, into *line (malloc'd, grown as
 * needed: *cap says its size). Returns the length, or -1 at end of file
 * with nothing read or on an error (errno set; ENOMEM). */
ssize_t getline(char **line, size_t *cap, FILE *f);
ssize_t getdelim(char **line, size_t *cap, int delim, FILE *f);
size_t fread(void *buf, size_t size, size_t n, FILE *f);

/* ---- writing (lib/fwrite.c) */
int fputc(int c, FILE *f);
int putc(int c, FILE *f);
int putchar(int c);
/* fputs returns a non-negative number, or EOF on error; puts adds '\n'. */
int fputs(const char *s, FILE *f);
int puts(const char *s);
size_t fwrite(const void *buf, size_t size, size_t n, FILE *f);

/* ---- formatted output (lib/printf.c) */
int printf(const char *fmt, ...) PRINTF_LIKE(1, 2);
int fprintf(FILE *f, const char *fmt, ...) PRINTF_LIKE(2, 3);
int vprintf(const char *fmt, va_list ap) PRINTF_LIKE(1, 0);
int vfprintf(FILE *f, const char *fmt, va_list ap) PRINTF_LIKE(2, 0);
/* Straight to a descriptor, bypassing every FILE buffer: one write()
 * per STDIO_CHUNK bytes of output. */
int dprintf(int fd, const char *fmt, ...) PRINTF_LIKE(2, 3);
int vdprintf(int fd, const char *fmt, va_list ap) PRINTF_LIKE(2, 0);
/* Like snprintf with no limit: buf must be large enough. */
int sprintf(char *buf, const char *fmt, ...) PRINTF_LIKE(2, 3);
int vsprintf(char *buf, const char *fmt, va_list ap) PRINTF_LIKE(2, 0);

/* "s: strerror(errno)\n" on stderr (just the message if s is NULL or "").
 * errno is left as it was. */
void perror(const char *s);

/* ---- files (lib/syscalls.c): POSIX puts rename() here. */
int rename(const char *from, const char *to);

#endif
