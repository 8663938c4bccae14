/*
 * rm.c -- remove files (and, with -r, directories with all they hold).
 *
 *     rm [-fr] FILE...
 *
 *     -r, -R  remove a directory and everything in it
 *     -f      say nothing of a FILE that does not exist, and exit 0 for
 *             it; no FILE at all is then no error either
 *
 * Errors: "rm: FILE: <why>" on stderr (No such file or directory, and
 * "Is a directory" for a directory without -r), the other FILEs are
 * still removed, and rm exits 1. A FILE whose last component is "." or
 * "..", as POSIX asks, and the root, as GNU rm does, are refused:
 * "rm: FILE: refusing to remove /, . or ..". Not done: -i (rm never asks), -d.
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

static bool recursive;  /* -r */
static bool force;      /* -f */

static bool remove_path(const char *path);

static bool report(const char *path)
{
    if (!(force && errno == ENOENT))
        fprintf(stderr, "rm: %s: %s\n", path, strerror(errno));
    return force && errno == ENOENT;
}

/* Whether path is one rm refuses: its last component is "." or ".."
 * (POSIX), or it is the root ("/", "//": as GNU's --preserve-root). */
static bool is_refused(const char *path)
{
    size_t n = strlen(path);

    if (n > 0 && strspn(path, "/") == n)
        return true;

    while (n > 1 && path[n - 1] == '/')
        n--;
    size_t start = n;
    while (start > 0 && path[start - 1] != '/')
        start--;
    size_t len = n - start;
    return (len == 1 && path[start] == '.') ||
           (len == 2 && path[start] == '.' && path[start + 1] == '.');
}

/* The first entry of directory dir other than "." and "..", copied to
 * name; 1 if there is one, 0 if dir is empty, -1 on error (errno set).
 * Reading one name at a time, and opening the directory anew each time,
 * keeps no directory open across the recursion (descriptors are few)
 * and never reads a directory while removing from it. */
static int first_entry(const char *dir, char name[NAME_MAX + 1])
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int found = 0;

    if (!d)
        return -1;
    errno = 0;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
            strlcpy(name, e->d_name, NAME_MAX + 1);
            found = 1;
            break;
        }
    }
    int saved = errno;
    closedir(d);
    errno = saved;
    return found || !errno ? found : -1;
}

/* rm -r of a directory: its entries, then itself. */
static bool remove_tree(const char *dir)
{
    char name[NAME_MAX + 1];
    int r;

    while ((r = first_entry(dir, name)) > 0) {
        size_t size = strlen(dir) + strlen(name) + 2;
        char *path = malloc(size);
        if (!path)
            return report(dir);
        snprintf(path, size, "%s/%s", dir, name);
        bool ok = remove_path(path);
        free(path);
        if (!ok)
            return false;       /* it would come first again: stop here */
    }
    if (r < 0 || rmdir(dir) < 0)
        return report(dir);
    return true;
}

static bool remove_path(const char *path)
{
    struct stat st;

    if (stat(path, &st) < 0)
        return report(path);
    if (S_ISDIR(st.st_mode)) {
        if (!recursive) {
            errno = EISDIR;
            return report(path);
        }
        return remove_tree(path);
    }
    if (unlink(path) < 0)
        return report(path);
    return true;
}

int main(int argc, char **argv)
{
    int c, status = 0;

    while ((c = getopt(argc, argv, "frR")) != -1) {
        if (c == 'f')
            force = true;
        else if (c == 'r' || c == 'R')
            recursive = true;
        else
            goto usage;
    }
    if (optind == argc && !force)
        goto usage;
    for (int i = optind; i < argc; i++) {
        if (is_refused(argv[i])) {
            fprintf(stderr, "rm: %s: refusing to remove /, . or ..\n", argv[i]);
            status = 1;
        } else if (!remove_path(argv[i])) {
            status = 1;
        }
    }
    return status;
usage:
    fprintf(stderr, "usage: rm [-fr] FILE...\n");
    return 1;
}
