/*
 * sleep.c -- wait for a while.
 *
 *     sleep SECONDS
 *
 * SECONDS is a whole number, or one with a decimal fraction ("0.25"),
 * to the timer's resolution. Ctrl-C (SIGINT) ends sleep as any program.
 * Exit 0 after the time; "sleep: invalid time interval: X" on stderr
 * and exit 1 for a bad SECONDS, a usage line and exit 1 for none.
 * Not done: several operands, suffixes (s m h d), "inf".
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Parses "N" or "N.FFF" into whole seconds and microseconds. */
static bool parse_seconds(const char *s, unsigned long *secs, unsigned long *usecs)
{
    bool overflow;
    char *end;

    if (!isdigit((unsigned char)*s) && !(*s == '.' && isdigit((unsigned char)s[1])))
        return false;
    *secs = strtoul_checked(s, &end, 10, &overflow);
    if (overflow)
        return false;
    *usecs = 0;
    if (*end == '.') {
        unsigned long scale = 100000;
        for (end++; isdigit((unsigned char)*end); end++, scale /= 10)
            *usecs += (unsigned long)(*end - '0') * scale;
    }
    return *end == '\0';
}

int main(int argc, char **argv)
{
    unsigned long secs, usecs;

    if (argc != 2) {
        fprintf(stderr, "usage: sleep SECONDS\n");
        return 1;
    }
    if (!parse_seconds(argv[1], &secs, &usecs)) {
        fprintf(stderr, "sleep: invalid time interval: %s\n", argv[1]);
        return 1;
    }
    /* sleep() returns the seconds left if something cut it short.
     * (unsigned long and unsigned are both 32 bits on i386.) */
    while (secs > 0)
        secs = sleep((unsigned)secs);
    if (usecs > 0)
        usleep((useconds_t)usecs);
    return 0;
}
