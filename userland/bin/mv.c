/*
 * mv.c -- move (rename) files and directories.
 *
 *     mv [-f] SRC DST       renames SRC to DST (DST not a directory)
 *     mv [-f] SRC... DIR    moves each SRC into the directory DIR
 *
 *     -f   accepted: mv never asks before replacing a file
 *
 * A DST that exists is replaced as rename() replaces it. Errors:
 * "mv: SRC: <why>" on stderr (the name that was given), the other SRCs
 * are still moved, and mv exits 1; "mv: DIR: Not a directory" when
 * several SRCs go to a non-directory; "usage: ..." and exit 1 for fewer
 * than two names. Not done: -i, and moves between file systems (there
 * is only one).
 */
#include <errno.h>
#include <limits.h>
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

/* The last component of path ("a/b/" -> "b/": the caller's join drops
 * nothing, and rename resolves the trailing '/'). */
static const char *last_name(const char *path)
{
    const char *end = path + strlen(path);

    while (end > path + 1 && end[-1] == '/')
        end--;
    while (end > path && end[-1] != '/')
        end--;
    return end;
}

/* Moves src into directory dir. False on error (reported). */
static bool move_into(const char *src, const char *dir)
{
    char dst[PATH_MAX];

    if (snprintf(dst, sizeof dst, "%s/%s", dir, last_name(src)) >= (int)sizeof dst) {
        fprintf(stderr, "mv: %s: %s\n", src, strerror(ENAMETOOLONG));
        return false;
    }
    if (rename(src, dst) < 0) {
        fprintf(stderr, "mv: %s: %s\n", src, strerror(errno));
        return false;
    }
    return true;
}

int main(int argc, char **argv)
{
    int c, status = 0;

    while ((c = getopt(argc, argv, "f")) != -1)
        if (c != 'f')
            goto usage;
    int n = argc - optind;
    if (n < 2)
        goto usage;
    const char *last = argv[argc - 1];
    if (is_dir(last)) {
        for (int i = optind; i < argc - 1; i++)
            if (!move_into(argv[i], last))
                status = 1;
        return status;
    }
    if (n > 2) {
        fprintf(stderr, "mv: %s: %s\n", last, strerror(ENOTDIR));
        return 1;
    }
    if (rename(argv[optind], last) < 0) {
        fprintf(stderr, "mv: %s: %s\n", argv[optind], strerror(errno));
        return 1;
    }
    return 0;
usage:
    fprintf(stderr, "usage: mv [-f] SRC DST\n       mv [-f] SRC... DIR\n");
    return 1;
}
