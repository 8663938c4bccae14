/*
 * ls.c -- list directories and files.
 *
 *     ls [-1al] [FILE...]
 *
 *     no FILE     lists "."
 *     -a          also names starting with '.' (".", ".." included)
 *     -l          long format (below)
 *     -1          one name per line: always the case, accepted for POSIX
 *
 * Output: one name per line. A FILE that is not a directory is listed
 * as given; a directory is listed by its entries, sorted by name (byte
 * order, as in the C locale). With several FILEs the files come first,
 * then each directory as "\nDIR:\n" and its entries (POSIX's layout;
 * no blank line before the first block if no file came before it).
 * Long format, one line per name:
 *
 *     "%c %8u %s\n"   type (d directory, - file, c device, p pipe), size
 *                     in bytes, name
 *
 * Errors: "ls: FILE: <why>" on stderr, the other FILEs are still listed,
 * and ls exits 1. Not done: -R -d -F -t -r and the other options,
 * columns, "total", permissions, owners and times (the file system has
 * none).
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool all;        /* -a */
static bool longfmt;    /* -l */

static char type_char(unsigned mode)
{
    if (S_ISDIR(mode))
        return 'd';
    if (S_ISCHR(mode))
        return 'c';
    if (S_ISFIFO(mode))
        return 'p';
    return '-';
}

/* Prints one name; path is where to stat it for -l. False on error. */
static bool show(const char *path, const char *name)
{
    struct stat st;

    if (!longfmt) {
        printf("%s\n", name);
        return true;
    }
    if (stat(path, &st) < 0) {
        fprintf(stderr, "ls: %s: %s\n", path, strerror(errno));
        return false;
    }
    printf("%c %8u %s\n", type_char(st.st_mode), st.st_size, name);
    return true;
}

/* qsort's comparison for an array of names: byte order. */
static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Reads the names in directory dir (with -a: all of them) into a
 * malloc'd array of malloc'd strings; their number, or -1 (errno set). */
static int read_names(const char *dir, char ***out)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char **names = NULL;
    int n = 0, cap = 0;

    if (!d)
        return -1;
    errno = 0;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' && !all)
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 32;
            char **bigger = realloc(names, (size_t)cap * sizeof *names);
            if (!bigger)
                goto fail;
            names = bigger;
        }
        if ((names[n] = strdup(e->d_name)) == NULL)
            goto fail;
        n++;
        errno = 0;
    }
    if (errno)
        goto fail;
    closedir(d);
    *out = names;
    return n;
fail:;
    int saved = errno;
    while (n > 0)
        free(names[--n]);
    free(names);
    closedir(d);
    errno = saved;
    return -1;
}

/* Lists the entries of directory dir. False on error. */
static bool list_dir(const char *dir)
{
    char **names;
    int n = read_names(dir, &names);
    bool ok = true;

    if (n < 0) {
        fprintf(stderr, "ls: %s: %s\n", dir, strerror(errno));
        return false;
    }
    qsort(names, (size_t)n, sizeof *names, by_name);
    for (int i = 0; i < n; i++) {
        char path[PATH_MAX];
        if (longfmt && snprintf(path, sizeof path, "%s/%s", dir, names[i]) >= (int)sizeof path) {
            fprintf(stderr, "ls: %s/%s: %s\n", dir, names[i], strerror(ENAMETOOLONG));
            ok = false;
        } else if (!show(path, names[i])) {
            ok = false;
        }
        free(names[i]);
    }
    free(names);
    return ok;
}

int main(int argc, char **argv)
{
    int c, status = 0;

    while ((c = getopt(argc, argv, "1al")) != -1) {
        if (c == 'a')
            all = true;
        else if (c == 'l')
            longfmt = true;
        else if (c != '1') {
            fprintf(stderr, "usage: ls [-1al] [FILE...]\n");
            return 1;
        }
    }
    if (optind == argc)
        return list_dir(".") ? 0 : 1;

    /* POSIX's order: the files first, then the directories. */
    int nfiles = 0;
    for (int i = optind; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) < 0) {
            fprintf(stderr, "ls: %s: %s\n", argv[i], strerror(errno));
            status = 1;
        } else if (!S_ISDIR(st.st_mode)) {
            nfiles++;
            if (!show(argv[i], argv[i]))
                status = 1;
        }
    }
    bool several = argc - optind > 1, blank = nfiles > 0;
    for (int i = optind; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) < 0 || !S_ISDIR(st.st_mode))
            continue;
        if (several)
            printf("%s%s:\n", blank ? "\n" : "", argv[i]);
        blank = true;
        if (!list_dir(argv[i]))
            status = 1;
    }
    return status;
}
