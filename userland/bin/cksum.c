/*
 * cksum.c -- POSIX cksum: the CRC and the size of files.
 *
 *     cksum [FILE...]
 *
 * One line per FILE: "CRC SIZE FILE", both decimal, as the host's
 * cksum prints them (so a file fetched over the network can be compared
 * with the original by eye or by a test). No FILE, or "-": standard
 * input, and the line has no name. The CRC is lib/cksum.c's.
 *
 * Errors: "cksum: FILE: <why>" on stderr, the other FILEs are still
 * done, and cksum exits 1.
 */
#if LAB >= 6
#include <cksum.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define BUF_SIZE (64 * 1024)

static char buf[BUF_SIZE];

/* Sums fd into *c; false (errno set) if a read failed. */
static bool sum_fd(int fd, struct cksum *c)
{
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n == 0)
            return true;
        if (n < 0)
            return false;
        cksum_update(c, buf, (size_t)n);
    }
}

/* Sums one FILE (NULL: standard input) and prints its line. */
static bool sum_one(const char *name)
{
    bool is_stdin = name == NULL || strcmp(name, "-") == 0;
    int fd = is_stdin ? STDIN_FILENO : open(name, O_RDONLY);
    struct cksum c;

    if (fd < 0) {
        fprintf(stderr, "cksum: %s: %s\n", name, strerror(errno));
        return false;
    }
    cksum_init(&c);
    bool ok = sum_fd(fd, &c);
    int saved = errno;
    if (!is_stdin)
        close(fd);
    if (!ok) {
        fprintf(stderr, "cksum: %s: %s\n", is_stdin ? "-" : name, strerror(saved));
        return false;
    }
    printf("%u %llu%s%s\n", (unsigned)cksum_final(&c), (unsigned long long)c.length,
           name ? " " : "", name ? name : "");
    return true;
}

int main(int argc, char **argv)
{
    bool ok = true;

    if (argc < 2)
        return sum_one(NULL) ? 0 : 1;
    for (int i = 1; i < argc; i++)
        ok = sum_one(argv[i]) && ok;
    return ok ? 0 : 1;
}

#endif /* LAB >= 6 */
