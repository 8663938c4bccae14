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
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <tidepool.h>
#include <unistd.h>

#define SHELL "/bin/sh"
#define EXEC_FAILED 127
#define RETRY_TICKS 100

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
    pid_t shell = start_shell();

    for (;;) {
        int status;
        pid_t pid = waitpid(-1, &status, 0);

        if (pid < 0) {
            /* No child at all: the fork of the shell failed. Try again
             * later rather than spin. */
            sleep_ticks(RETRY_TICKS);
            shell = start_shell();
            continue;
        }
        if (pid != shell)
            continue;           /* an orphan, reaped */
        report_shell_end(pid, status);
        if (WIFEXITED(status) && WEXITSTATUS(status) == EXEC_FAILED)
            sleep_ticks(RETRY_TICKS);
        shell = start_shell();
    }
}
