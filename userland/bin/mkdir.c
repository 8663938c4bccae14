/*
 * mkdir.c -- make directories.
 *
 *     mkdir [-p] DIR...
 *
 *     -p   make the missing parent directories too, and take a DIR that
 *          is already a directory as done
 *
 * Errors: "mkdir: DIR: <why>" on stderr (File exists, No such file or
 * directory, Not a directory, ...), the other DIRs are still made, and
 * mkdir exits 1; "usage: mkdir [-p] DIR..." and exit 1 for no DIR.
 * Not done: -m MODE (the file system keeps no permissions).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool is_dir(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* mkdir -p: makes each prefix of path that ends before a '/', then path.
 * 0, or -1 with errno set. */
static int make_parents(char *path)
{
    for (char *p = path + 1; *p; p++) {
        if (*p != '/' || p[-1] == '/')
            continue;
        *p = '\0';                      /* path is now the prefix */
        int r = mkdir(path, 0777);
        int saved = errno;
        bool ok = r == 0 || (saved == EEXIST && is_dir(path));
        if (!ok && saved == EEXIST)
            saved = ENOTDIR;            /* a file where a parent should be */
        *p = '/';
        if (!ok) {
            errno = saved;
            return -1;
        }
    }
    if (mkdir(path, 0777) < 0 && !(errno == EEXIST && is_dir(path)))
        return -1;
    return 0;
}

int main(int argc, char **argv)
{
    bool parents = false;
    int c, status = 0;

    while ((c = getopt(argc, argv, "p")) != -1) {
        if (c != 'p')
            goto usage;
        parents = true;
    }
    if (optind == argc)
        goto usage;
    for (int i = optind; i < argc; i++) {
        int r = parents ? make_parents(argv[i]) : mkdir(argv[i], 0777);
        if (r < 0) {
            fprintf(stderr, "mkdir: %s: %s\n", argv[i], strerror(errno));
            status = 1;
        }
    }
    return status;
usage:
    fprintf(stderr, "usage: mkdir [-p] DIR...\n");
    return 1;
}
