/*
 * echo.c -- write the arguments, separated by spaces, and a newline.
 *
 *     echo [-n] [STRING...]
 *
 *     -n   no newline at the end (only as the first argument, as in BSD
 *          and XSI; backslash escapes are not interpreted)
 *
 * Output: the strings joined by single spaces, then "\n" unless -n.
 * The whole line goes out in one write(), so that a reader of a pipe or
 * of the console sees it whole. A failed write prints
 * "echo: write error: <why>" on stderr and exits 1.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    bool newline = true;
    int first = 1;

    if (argc > 1 && strcmp(argv[1], "-n") == 0) {
        newline = false;
        first = 2;
    }

    size_t len = 1;                     /* room for the newline */
    for (int i = first; i < argc; i++)
        len += strlen(argv[i]) + 1;
    char *line = malloc(len);
    if (!line) {
        perror("echo");
        return 1;
    }

    size_t n = 0;
    for (int i = first; i < argc; i++) {
        if (i > first)
            line[n++] = ' ';
        size_t l = strlen(argv[i]);
        memcpy(line + n, argv[i], l);
        n += l;
    }
    if (newline)
        line[n++] = '\n';

    for (size_t done = 0; done < n;) {
        ssize_t w = write(STDOUT_FILENO, line + done, n - done);
        if (w <= 0) {
            fprintf(stderr, "echo: write error: %s\n", strerror(w < 0 ? errno : EIO));
            free(line);         /* make lint: it leaked on this path */
            return 1;
        }
        done += (size_t)w;
    }
    free(line);
    return 0;
}
