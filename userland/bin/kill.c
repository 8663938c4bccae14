/*
 * kill.c -- end processes (Tidepool's signals end a process; there
 * are no handlers: kernel/abi/wait.h).
 *
 *     kill [-s SIG | -SIG] PID...
 *     kill -l
 *
 *     SIG    a name, with or without "SIG", any case (INT, TERM, KILL,
 *            PIPE, ILL, FPE, SEGV), or a number; TERM by default
 *     PID    a process, or -PGID for a whole process group (write
 *            `kill -- -PGID` or `kill -TERM -PGID`: a lone -N is a SIG)
 *     -l     prints the names: "INT ILL FPE KILL SEGV PIPE TERM\n"
 *
 * Errors: "kill: PID: <why>" on stderr (No such process, ...), the
 * other PIDs still get the signal, and kill exits 1; a bad SIG
 * ("kill: SIG: invalid signal") or PID ("kill: PID: invalid process
 * id"), or no PID: exit 1 (with a usage line for no PID). Not done:
 * `kill -l STATUS`, job ids (%1: the shell's business).
 */
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *name;
    int sig;
} signals[] = {
    { "INT", SIGINT }, { "ILL", SIGILL }, { "FPE", SIGFPE }, { "KILL", SIGKILL },
    { "SEGV", SIGSEGV }, { "PIPE", SIGPIPE }, { "TERM", SIGTERM },
};
#define NSIGNALS (int)(sizeof signals / sizeof signals[0])

/* Parses an int (optionally negative) that is all of s. */
static bool parse_int(const char *s, int *out)
{
    bool overflow;
    char *end;
    long v;

    if (!isdigit((unsigned char)(*s == '-' ? s[1] : s[0])))
        return false;
    v = strtol_checked(s, &end, 10, &overflow);
    if (*end != '\0' || overflow || v != (int)v)
        return false;
    *out = (int)v;
    return true;
}

/* The signal named by s ("TERM", "SIGTERM", "term", "15"), or -1. */
static int parse_signal(const char *s)
{
    int n;

    if (parse_int(s, &n))
        return n >= 0 && n < 128 ? n : -1;
    if (strncmp(s, "SIG", 3) == 0 || strncmp(s, "sig", 3) == 0)
        s += 3;
    for (int i = 0; i < NSIGNALS; i++) {
        const char *a = signals[i].name, *b = s;
        while (*a && toupper((unsigned char)*b) == *a)
            a++, b++;
        if (*a == '\0' && *b == '\0')
            return signals[i].sig;
    }
    return -1;
}

int main(int argc, char **argv)
{
    const char *sigarg = NULL;
    int sig = SIGTERM, i = 1, status = 0;

    if (argc == 2 && strcmp(argv[1], "-l") == 0) {
        for (int j = 0; j < NSIGNALS; j++)
            printf("%s%s", signals[j].name, j + 1 < NSIGNALS ? " " : "\n");
        return 0;
    }
    if (i < argc && strcmp(argv[i], "-s") == 0) {
        if (i + 1 == argc)
            goto usage;
        sigarg = argv[i + 1];
        i += 2;
    } else if (i < argc && argv[i][0] == '-' && argv[i][1] != '\0' && strcmp(argv[i], "--") != 0) {
        sigarg = argv[i] + 1;
        i++;
    }
    if (i < argc && strcmp(argv[i], "--") == 0)
        i++;
    if (sigarg && (sig = parse_signal(sigarg)) < 0) {
        fprintf(stderr, "kill: %s: invalid signal\n", sigarg);
        return 1;
    }
    if (i == argc)
        goto usage;
    for (; i < argc; i++) {
        int pid;
        if (!parse_int(argv[i], &pid)) {
            fprintf(stderr, "kill: %s: invalid process id\n", argv[i]);
            status = 1;
        } else if (kill(pid, sig) < 0) {
            fprintf(stderr, "kill: %s: %s\n", argv[i], strerror(errno));
            status = 1;
        }
    }
    return status;
usage:
    fprintf(stderr, "usage: kill [-s SIG | -SIG] PID...\n       kill -l\n");
    return 1;
}
