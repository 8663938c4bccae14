/*
 * head.c -- copy the first lines of files.
 *
 *     head [-n N | -N] [FILE...]
 *
 *     -n N, -N   the first N lines (default 10); N = 0 prints nothing
 *     FILE "-", or no FILE: standard input
 *
 * Output: the lines as they are. With several FILEs, each one's lines
 * come after a header "==> FILE <==", and a blank line comes before
 * every header but the first (POSIX's format). head stops reading a
 * FILE at its Nth newline, so `yes | head -n 3` ends.
 *
 * Errors: "head: FILE: <why>" on stderr, the other FILEs are still
 * copied, and head exits 1; "head: invalid number of lines: N" and a
 * usage line, exit 1, for a bad N. Not done: -c BYTES.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char buf[4096];

/* Writes n bytes of p to stdout, or exits 1. */
static void write_all(const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(STDOUT_FILENO, p, n);
        if (w <= 0) {
            fprintf(stderr, "head: write error: %s\n", strerror(w < 0 ? errno : EIO));
            exit(1);
        }
        p += w;
        n -= (size_t)w;
    }
}

/* Copies the first lines lines of fd; false (errno set) on a read error. */
static bool head_fd(int fd, unsigned long lines)
{
    while (lines > 0) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n == 0)
            return true;
        if (n < 0)
            return false;
        size_t take = 0;
        while (take < (size_t)n && lines > 0)
            if (buf[take++] == '\n')
                lines--;
        write_all(buf, take);
    }
    return true;
}

/* Parses N (decimal digits only); false if it is not one. */
static bool parse_count(const char *s, unsigned long *n)
{
    bool overflow;
    char *end;

    if (!isdigit((unsigned char)*s))
        return false;
    *n = strtoul_checked(s, &end, 10, &overflow);
    return *end == '\0' && !overflow;
}

int main(int argc, char **argv)
{
    unsigned long lines = 10;
    const char *count = NULL;
    int first, c, status = 0;

    if (argc > 1 && argv[1][0] == '-' && isdigit((unsigned char)argv[1][1])) {
        count = argv[1] + 1;            /* the old form: head -N */
        first = 2;
    } else {
        while ((c = getopt(argc, argv, "n:")) != -1) {
            if (c != 'n')
                goto usage;
            count = optarg;
        }
        first = optind;
    }
    if (count && !parse_count(count, &lines)) {
        fprintf(stderr, "head: invalid number of lines: %s\n", count);
        goto usage;
    }

    if (first == argc)
        return head_fd(STDIN_FILENO, lines) ? 0 : (perror("head: -"), 1);
    bool printed = false;               /* a header went out already */
    for (int i = first; i < argc; i++) {
        bool std = strcmp(argv[i], "-") == 0;
        int fd = std ? STDIN_FILENO : open(argv[i], O_RDONLY);
        if (fd >= 0 && argc - first > 1) {
            char header[PATH_MAX + 16];
            int len = snprintf(header, sizeof header, "%s==> %s <==\n",
                               printed ? "\n" : "", std ? "standard input" : argv[i]);
            write_all(header, len < (int)sizeof header ? (size_t)len : sizeof header - 1);
            printed = true;
        }
        if (fd < 0 || !head_fd(fd, lines)) {
            fprintf(stderr, "head: %s: %s\n", argv[i], strerror(errno));
            status = 1;
        }
        if (fd >= 0 && !std)
            close(fd);
    }
    return status;
usage:
    fprintf(stderr, "usage: head [-n N | -N] [FILE...]\n");
    return 1;
}
