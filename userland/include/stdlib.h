/*
 * stdlib.h -- memory, exit, environment, numbers (the user libc).
 *
 * strtol, strtoul, their *_checked variants and atoi are libk's (its
 * header is included below; see assert.h for why by path). Unlike C's,
 * they do not set errno on overflow: they clamp, and strtol_checked()
 * reports the overflow through its last argument.
 */
#ifndef USER_STDLIB_H
#define USER_STDLIB_H

#include <stddef.h>

#include "../../libk/include/stdlib.h"

#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1

/* A first-fit heap over sbrk() (lib/malloc.c). Blocks are 16-byte
 * aligned. Not thread-safe: only one thread of a process may use it at a
 * time. Out of memory: NULL with errno = ENOMEM. free() of a pointer
 * malloc did not return (or of one already freed) aborts the program. */
void *malloc(size_t size);
void *calloc(size_t n, size_t size);
/* realloc keeps the first min(old, new) bytes; shrinking stays in place
 * and gives the tail back. n * size overflowing in calloc is ENOMEM. */
void *realloc(void *ptr, size_t size);
void free(void *ptr);

/* exit() runs the atexit() handlers (the last registered first), writes
 * out every stdio stream's buffered output, then ends the whole process,
 * every thread of it, with status (_exit() in unistd.h skips the first
 * two). atexit() returns 0, or -1 once ATEXIT_MAX handlers are set. */
#define ATEXIT_MAX 32
__attribute__((noreturn)) void exit(int status);
int atexit(void (*fn)(void));
/* Kills the process with SIGKILL (Tidepool has no SIGABRT); if even
 * that fails, exits with status 137 (128 + SIGKILL, as a shell shows it). */
__attribute__((noreturn)) void abort(void);

/* The value of NAME in environ, or NULL. */
char *getenv(const char *name);

/* Sorts n elements of size bytes at base into ascending order by cmp
 * (negative, 0, positive as for strcmp); not stable (lib/qsort.c). */
void qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));

int abs(int x);
long labs(long x);

#endif
