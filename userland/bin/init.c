/*
 * init.c -- the first process: keeps a shell running, reaps orphans.
 *
 * The kernel starts it with fds 0, 1 and 2 open on the console, so init
 * opens nothing. It starts /bin/sh with its own environment, then waits
 * for any child with waitpid(-1, ...): that reaps the shell's leftover
 * children too, which the kernel hands to init when their parent dies.
 * When the shell itself ends, init says so in one line and starts a new
 * one. If the shell could not even be exec'd (the child exits 127),
 * init waits a second (timer_hz ticks at the default rate) before the
 * next try, so that a missing /bin/sh costs a line a second, not a flood.
 * A shell that runs but dies within a second, FAST_FAILURES times in a
 * row (a broken sh, a console that always reads EOF), gets the same
 * pause before each new try, until one lives longer.
 *
 * The shell starts with SIGINT at its default: init itself must never
 * be ended by a Ctrl-C, and the shell sets up its own signals.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <tidepool.h>
#include <unistd.h>

#define SHELL "/bin/sh"
#define EXEC_FAILED 127
#define RETRY_TICKS 100
#define FAST_TICKS 100          /* a shell that dies sooner "failed fast" */
#define FAST_FAILURES 3

/* Forks and execs the shell; returns its pid, or -1. */
static pid_t start_shell(void)
{
    pid_t pid = fork();

    if (pid < 0) {
        fprintf(stderr, "init: fork: %s\n", strerror(errno));
        return -1;
    }
    if (pid == 0) {
        char *argv[] = {"sh", NULL};

        signal(SIGINT, SIG_DFL);
        execve(SHELL, argv, environ);
        fprintf(stderr, "init: exec %s: %s\n", SHELL, strerror(errno));
        exit(EXEC_FAILED);
    }
    return pid;
}

static void report_shell_end(pid_t pid, int status)
{
    if (WIFSIGNALED(status))
        printf("init: sh (pid %d) killed by signal %d, starting a new one\n", pid,
               WTERMSIG(status));
    else if (WEXITSTATUS(status) == EXEC_FAILED)
        printf("init: sh (pid %d) could not run %s, trying again\n", pid, SHELL);
    else
        printf("init: sh (pid %d) exited with status %d, starting a new one\n", pid,
               WEXITSTATUS(status));
}

int main(void)
{
    /* Errors are ignored: a kernel without signal() has no Ctrl-C. */
    signal(SIGINT, SIG_IGN);

    pid_t shell = start_shell();
    unsigned long started = uptime();
    int fast_failures = 0;

    for (;;) {
        int status;
        pid_t pid = waitpid(-1, &status, 0);

        if (pid < 0) {
            /* No child at all: the fork of the shell failed. Try again
             * later rather than spin. */
            sleep_ticks(RETRY_TICKS);
            shell = start_shell();
            started = uptime();
            continue;
        }
        if (pid != shell)
            continue;           /* an orphan, reaped */
        report_shell_end(pid, status);
        fast_failures = uptime() - started < FAST_TICKS ? fast_failures + 1 : 0;
        if (WIFEXITED(status) && WEXITSTATUS(status) == EXEC_FAILED) {
            sleep_ticks(RETRY_TICKS);
        } else if (fast_failures >= FAST_FAILURES) {
            printf("init: sh died %d times within a second, pausing before the next\n",
                   fast_failures);
            sleep_ticks(RETRY_TICKS);
        }
        shell = start_shell();
        started = uptime();
    }
}
