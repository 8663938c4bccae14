/*
 * forkbomb.c -- fork forever (for the test that a fork bomb leaves the
 * shell responsive).
 *
 *     forkbomb
 *
 * Every process forks again and again; a fork that fails with EAGAIN
 * (the process limit, kernel/abi/rlimit.h) is retried after a tick, so
 * the bomb keeps the process table full without spinning the CPU
 * away from the shell the test then types into. Nothing ends by
 * itself: Ctrl-C (SIGINT to the foreground process group, which every
 * child inherits) ends them all.
 *
 * Output: "forkbomb: started\n" from the first process, then, once,
 * "forkbomb: limit reached\n" when its first fork gets EAGAIN (a test
 * waits for that line before it checks the shell). Any other fork
 * error is printed "forkbomb: fork: <why>" and retried the same way.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <tidepool.h>
#include <unistd.h>

int main(void)
{
    bool report = true;         /* the original process, until EAGAIN */

    printf("forkbomb: started\n");
    fflush(stdout);
    for (;;) {
        pid_t pid = fork();
        if (pid == 0) {
            report = false;     /* only the original reports */
            continue;
        }
        if (pid > 0)
            continue;
        if (errno != EAGAIN)
            fprintf(stderr, "forkbomb: fork: %s\n", strerror(errno));
        else if (report) {
            printf("forkbomb: limit reached\n");
            fflush(stdout);
            report = false;
        }
        sleep_ticks(1);
    }
}
