/*
 * ps.c -- list the processes.
 *
 *     ps
 *
 * Output: a header, then one line per process (zombies included) in
 * the order procinfo() gives them (by pid):
 *
 *     "  PID  PPID  PGID S THR MEM(KiB) NAME\n"
 *     "%5d %5d %5d %c %3d %8u %s\n"
 *
 * S is R (running or ready), S (sleeping) or Z (zombie); THR the live
 * threads; MEM the user memory mapped, in KiB; NAME the program's name.
 * Errors: "ps: <why>" on stderr, exit 1; any argument: a usage line and
 * exit 1. Not done: every option (POSIX's -e -f -o ...); ps always
 * lists every process, as -e would.
 */
#include <limits.h>
#include <stdio.h>
#include <tidepool.h>

static struct procinfo procs[CHILD_MAX];

int main(int argc, char **argv)
{
    (void)argv;
    if (argc > 1) {
        fprintf(stderr, "usage: ps\n");
        return 1;
    }
    int n = procinfo(procs, CHILD_MAX);
    if (n < 0) {
        perror("ps");
        return 1;
    }
    printf("  PID  PPID  PGID S THR MEM(KiB) NAME\n");
    for (int i = 0; i < n; i++) {
        const struct procinfo *p = &procs[i];
        printf("%5d %5d %5d %c %3d %8u %.*s\n", p->pid, p->ppid, p->pgid,
               p->state, p->threads, p->mem_pages * 4, PI_NAME_MAX, p->name);
    }
    return 0;
}
