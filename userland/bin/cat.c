/*
 * cat.c -- copy files (or standard input) to standard output.
 *
 *     cat [FILE...]      with no FILE, or FILE "-", reads standard input
 *
 * A file that cannot be opened or read is reported on stderr as
 * "cat: FILE: <why>", the others are still copied, and cat exits 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Copies fd to stdout; false (errno set) if a read or write failed. */
static bool copy(int fd)
{
    char buf[512];

    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);

        if (n == 0)
            return true;
        if (n < 0)
            return false;
        for (ssize_t done = 0; done < n;) {
            ssize_t w = write(STDOUT_FILENO, buf + done, (size_t)(n - done));

            if (w <= 0)
                return false;
            done += w;
        }
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
    int status = 0;

    if (argc < 2)
        return copy(STDIN_FILENO) ? 0 : (perror("cat"), 1);
    for (int i = 1; i < argc; i++) {
        if (!cat_file(argv[i])) {
            fprintf(stderr, "cat: %s: %s\n", argv[i], strerror(errno));
            status = 1;
        }
    }
    return status;
}
