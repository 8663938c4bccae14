/*
 * yes.c -- write a line forever (a source for pipe tests).
 *
 *     yes [STRING...]
 *
 * Output: "y\n", or the STRINGs joined by spaces and a newline, again
 * and again, until a write fails: then "yes: write error: <why>" on
 * stderr and exit 1 (a reader that is gone usually ends yes by SIGPIPE
 * first). The writes are 8 KiB of whole lines, so that a pipe
 * benchmark measures the pipe, not the system-call overhead.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define BUF_SIZE 8192

static char buf[BUF_SIZE];

/* The line to repeat, with its newline, in buf; its length, or 0 if it
 * does not fit. */
static size_t make_line(int argc, char **argv)
{
    size_t n = 0;

    if (argc < 2) {
        memcpy(buf, "y\n", 2);
        return 2;
    }
    for (int i = 1; i < argc; i++) {
        size_t l = strlen(argv[i]);
        if (n + l + 1 > BUF_SIZE)
            return 0;
        memcpy(buf + n, argv[i], l);
        n += l;
        buf[n++] = i + 1 < argc ? ' ' : '\n';
    }
    return n;
}

int main(int argc, char **argv)
{
    size_t line = make_line(argc, argv);

    if (line == 0) {
        fprintf(stderr, "yes: line longer than %d bytes\n", BUF_SIZE);
        return 1;
    }
    size_t fill = line;
    while (fill + line <= BUF_SIZE) {   /* as many whole lines as fit */
        memcpy(buf + fill, buf, line);
        fill += line;
    }
    for (;;) {
        for (size_t done = 0; done < fill;) {   /* short writes: the rest */
            ssize_t w = write(STDOUT_FILENO, buf + done, fill - done);
            if (w <= 0) {
                fprintf(stderr, "yes: write error: %s\n", strerror(w < 0 ? errno : EIO));
                return 1;
            }
            done += (size_t)w;
        }
    }
}
