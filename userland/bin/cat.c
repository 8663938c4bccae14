/*
 * cat.c -- copy files (or standard input) to standard output.
 *
 *     cat [-nu] [FILE...]
 *
 *     FILE "-", or no FILE: standard input
 *     -n   number the lines: "%6lu\t" before each line, counting on
 *          across files (as GNU and BSD cat do)
 *     -u   accepted and ignored: cat never buffers its output
 *
 * A file that cannot be opened or read is reported on stderr as
 * "cat: FILE: <why>", the others are still copied, and cat exits 1.
 * A failed write prints "cat: write error: <why>" and exits 1 at once.
 *
 * The copy goes through one 64 KiB buffer with read() and write(), not
 * through stdio: pipe throughput tests measure cat.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BUF_SIZE (64 * 1024)

static char buf[BUF_SIZE];
static bool number;             /* -n */
static unsigned long line_no;   /* -n: the last line number printed */
static bool at_line_start = true;

/* Writes n bytes of p to stdout, or exits 1. */
static void write_all(const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(STDOUT_FILENO, p, n);
        if (w <= 0) {
            fprintf(stderr, "cat: write error: %s\n", strerror(w < 0 ? errno : EIO));
            exit(1);
        }
        p += w;
        n -= (size_t)w;
    }
}

/* Writes n bytes of p with a number before each line (-n). */
static void write_numbered(const char *p, size_t n)
{
    char tag[24];

    while (n > 0) {
        if (at_line_start) {
            int len = snprintf(tag, sizeof tag, "%6lu\t", ++line_no);
            write_all(tag, (size_t)len);
        }
        const char *nl = memchr(p, '\n', n);
        size_t len = nl ? (size_t)(nl - p) + 1 : n;
        write_all(p, len);
        at_line_start = nl != NULL;
        p += len;
        n -= len;
    }
}

/* Copies fd to stdout; false (errno set) if a read failed. */
static bool copy(int fd)
{
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n == 0)
            return true;
        if (n < 0)
            return false;
        if (number)
            write_numbered(buf, (size_t)n);
        else
            write_all(buf, (size_t)n);
    }
}

static bool cat_file(const char *path)
{
    if (strcmp(path, "-") == 0)
        return copy(STDIN_FILENO);
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return false;
    bool ok = copy(fd);
    int saved = errno;
    close(fd);
    errno = saved;
    return ok;
}

int main(int argc, char **argv)
{
    int c, status = 0;

    while ((c = getopt(argc, argv, "nu")) != -1) {
        if (c == 'n')
            number = true;
        else if (c != 'u') {
            fprintf(stderr, "usage: cat [-nu] [FILE...]\n");
            return 1;
        }
    }
    if (optind == argc)
        return cat_file("-") ? 0 : (perror("cat: -"), 1);
    for (int i = optind; i < argc; i++) {
        if (!cat_file(argv[i])) {
            fprintf(stderr, "cat: %s: %s\n", argv[i], strerror(errno));
            status = 1;
        }
    }
    return status;
}
