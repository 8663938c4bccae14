/*
 * fuzz_stubs.c -- what kernel code calls that the fuzz harnesses provide.
 *
 * kprintf formats into a buffer and throws it away: the format and its
 * arguments are still checked (ASan, UBSan), but a parser that warns on
 * every bad input does not spend the run writing to the terminal.
 * FUZZ_VERBOSE=1 in the environment prints it (replaying one input).
 * A panic is a finding: a malformed input must never stop the kernel.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

int kprintf(const char *fmt, ...);
void panic_at(const char *file, int line, const char *fmt, ...);

bool panic_exits;

static int verbose = -1;

int kprintf(const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    if (verbose < 0)
        verbose = getenv("FUZZ_VERBOSE") != NULL;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (verbose)
        fputs(buf, stderr);
    return n;
}

void panic_at(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "kernel panic at %s:%d: ", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}
