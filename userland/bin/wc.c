/*
 * wc.c -- count lines, words and bytes.
 *
 *     wc [-clw] [FILE...]
 *
 *     -l lines (newlines), -w words (runs of non-space), -c bytes; no
 *     option means all three. FILE "-", or no FILE: standard input.
 *
 * Output, one line per FILE: the chosen counts in the order lines,
 * words, bytes, each "%7lu" and separated by a space, then " FILE" if
 * a FILE was named; with several FILEs a last line for the sums, named
 * "total". One exception, as GNU wc does: a single count of standard
 * input with no FILE named is printed without padding ("3", so that
 * `echo hi | wc -c` prints 3).
 *
 * Errors: "wc: FILE: <why>" on stderr, the other FILEs are still
 * counted, and wc exits 1. Not done: -m (characters: bytes are them).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <wcount.h>

#define BUF_SIZE (64 * 1024)

static char buf[BUF_SIZE];
static bool show_lines, show_words, show_bytes;

/* Counts fd into *c; false (errno set) if a read failed. */
static bool count_fd(int fd, struct wcount *c)
{
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n == 0)
            return true;
        if (n < 0)
            return false;
        wcount_add(c, buf, (size_t)n);
    }
}

/* Prints the line for one FILE (name NULL: none named), in one piece. */
static void print_counts(const struct wcount *c, const char *name, bool pad)
{
    char line[128];
    int n = 0, width = pad ? 7 : 0;
    const char *sep = "";

    if (show_lines)
        n += snprintf(line + n, sizeof line - n, "%s%*lu", sep, width, c->lines), sep = " ";
    if (show_words)
        n += snprintf(line + n, sizeof line - n, "%s%*lu", sep, width, c->words), sep = " ";
    if (show_bytes)
        n += snprintf(line + n, sizeof line - n, "%s%*lu", sep, width, c->bytes);
    printf("%s%s%s\n", line, name ? " " : "", name ? name : "");
}

/* Counts one FILE and prints its line; false on error (reported). */
static bool wc_file(const char *path, struct wcount *total)
{
    struct wcount c = { 0 };
    bool std = strcmp(path, "-") == 0;
    int fd = std ? STDIN_FILENO : open(path, O_RDONLY);
    bool ok = fd >= 0 && count_fd(fd, &c);

    if (!ok)
        fprintf(stderr, "wc: %s: %s\n", path, strerror(errno));
    if (fd >= 0 && !std)
        close(fd);
    if (!ok)
        return false;
    print_counts(&c, path, true);
    total->lines += c.lines;
    total->words += c.words;
    total->bytes += c.bytes;
    return true;
}

int main(int argc, char **argv)
{
    int c, status = 0;
    struct wcount total = { 0 };

    while ((c = getopt(argc, argv, "clw")) != -1) {
        if (c == 'l')
            show_lines = true;
        else if (c == 'w')
            show_words = true;
        else if (c == 'c')
            show_bytes = true;
        else {
            fprintf(stderr, "usage: wc [-clw] [FILE...]\n");
            return 1;
        }
    }
    if (!show_lines && !show_words && !show_bytes)
        show_lines = show_words = show_bytes = true;

    if (optind == argc) {
        if (!count_fd(STDIN_FILENO, &total)) {
            perror("wc: -");
            return 1;
        }
        print_counts(&total, NULL, show_lines + show_words + show_bytes > 1);
        return 0;
    }
    for (int i = optind; i < argc; i++)
        if (!wc_file(argv[i], &total))
            status = 1;
    if (argc - optind > 1)
        print_counts(&total, "total", true);
    return status;
}
