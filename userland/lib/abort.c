/*
 * abort.c -- how a program stops itself on a bug: abort() and assert().
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <assert.h>

/* Tidepool has no SIGABRT: the process kills itself with SIGKILL, so its
 * parent sees it killed (WIFSIGNALED), not exited. Should kill() fail,
 * exit with the status a shell gives a process killed by signal 9. */
void abort(void)
{
    kill(getpid(), SIGKILL);
    _exit(128 + SIGKILL);
}

void __assert_fail(const char *expr, const char *file, int line, const char *func)
{
    fprintf(stderr, "%s:%d: %s: assertion failed: %s\n", file, line, func, expr);
    abort();
}
