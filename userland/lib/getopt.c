/*
 * getopt.c -- POSIX getopt(): the next option letter of argv.
 *
 * Options are "-x", clustered "-xyz", with an argument "-ofile" or
 * "-o file". Scanning stops at the first argument that is not an option
 * (no GNU permutation), at "-" (an operand by convention: stdin) and
 * after "--". optind is the index of the next argument to look at; when
 * getopt returns -1 it is the index of the first operand.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

char *optarg;
int optind = 1;
int opterr = 1;
int optopt;

/* Where in argv[cluster] the next letter of a cluster is. Valid only
 * while optind == cluster: a caller who resets optind starts afresh. */
static int cluster;
static int pos = 1;

static void complain(const char *optstring, const char *prog, const char *what, int c)
{
    if (opterr && optstring[0] != ':')
        fprintf(stderr, "%s: %s -- %c\n", prog, what, c);
}

/* Steps to the next letter, or to the next argument after the last. */
static void advance(char *const argv[])
{
    if (argv[optind][++pos] == '\0') {
        optind++;
        pos = 1;
    }
    cluster = optind;
}

int getopt(int argc, char *const argv[], const char *optstring)
{
    if (optind <= 0) {          /* glibc's way to start over, even midway */
        optind = 1;
        cluster = 0;
    }
    if (cluster != optind)
        pos = 1;
    optarg = NULL;
    if (optind >= argc || argv[optind] == NULL || argv[optind][0] != '-' ||
        argv[optind][1] == '\0')
        return -1;
    if (pos == 1 && strcmp(argv[optind], "--") == 0) {
        optind++;
        return -1;
    }
    const char *prog = argv[0] != NULL ? argv[0] : "getopt";
    int c = (unsigned char)argv[optind][pos];
    const char *spec = c != ':' ? strchr(optstring, c) : NULL;

    if (spec == NULL) {
        optopt = c;
        complain(optstring, prog, "illegal option", c);
        advance(argv);
        return '?';
    }
    if (spec[1] != ':') {
        advance(argv);
        return c;
    }
    /* The argument: the rest of this word, or else the next word. */
    if (argv[optind][pos + 1] != '\0') {
        optarg = &argv[optind][pos + 1];
        optind++;
    } else if (optind + 1 < argc) {
        optarg = argv[optind + 1];
        optind += 2;
    } else {
        optopt = c;
        optind++;
        pos = 1;
        complain(optstring, prog, "option requires an argument", c);
        return optstring[0] == ':' ? ':' : '?';
    }
    pos = 1;
    cluster = optind;
    return c;
}
