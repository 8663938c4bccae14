/* rmtree.c -- rm -r (rmtree.h).
 *
 * The fuzzer's trees can be deeper than any path may be long (chdir "d",
 * mkdir "d", again and again), so this walks with chdir and names one
 * level at a time, never a whole path, and without recursion (the depth
 * is unbounded; the stack is 64 KiB). */
#include "rmtree.h"

#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum step { REMOVED_ONE, FOUND_FULL_DIR, EMPTY, FAILED };

/* Removes one entry of the current directory if it can (a file, or an
 * empty directory); else names a directory that still has entries. */
static enum step remove_one(char *full_dir, size_t room)
{
    DIR *d = opendir(".");
    if (d == NULL)
        return FAILED;
    enum step result = EMPTY;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (unlink(e->d_name) == 0 || rmdir(e->d_name) == 0) {
            result = REMOVED_ONE;
            break;
        }
        if (errno == ENOTEMPTY && result == EMPTY) {
            strncpy(full_dir, e->d_name, room - 1);
            full_dir[room - 1] = '\0';
            result = FOUND_FULL_DIR;
        } else if (errno != ENOTEMPTY) {
            result = FAILED;
            break;
        }
    }
    closedir(d);
    return result;
}

static int empty_cwd(void)
{
    unsigned depth = 0;
    char name[NAME_MAX + 1];
    for (;;) {
        switch (remove_one(name, sizeof name)) {
        case REMOVED_ONE:
            break;
        case FOUND_FULL_DIR:
            if (chdir(name) != 0)
                return -1;
            depth++;
            break;
        case EMPTY:
            if (depth == 0)
                return 0;
            if (chdir("..") != 0)
                return -1;
            depth--;            /* the directory we left is empty: the next scan removes it */
            break;
        case FAILED:
            return -1;
        }
    }
}

int rmtree(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return errno == ENOENT ? 0 : -1;
    if (!S_ISDIR(st.st_mode))
        return unlink(path);
    if (chdir(path) != 0)
        return -1;
    int err = empty_cwd();
    if (chdir("/") != 0 || err != 0)
        return -1;
    return rmdir(path);
}
