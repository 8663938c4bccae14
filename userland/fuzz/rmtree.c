/* rmtree.c -- rm -r (rmtree.h). */
#include "rmtree.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <limits.h>

/* Removes the entries of dir, depth first. The directory is read again
 * from the start after each removal: entries never move under readdir. */
static int empty_dir(const char *dir)
{
    for (;;) {
        DIR *d = opendir(dir);
        if (d == NULL)
            return -1;
        struct dirent *e;
        char child[PATH_MAX];
        int found = 0;
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            snprintf(child, sizeof child, "%s/%s", dir, e->d_name);
            found = 1;
            break;
        }
        closedir(d);
        if (!found)
            return 0;
        if (rmtree(child) != 0)
            return -1;
    }
}

int rmtree(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return errno == ENOENT ? 0 : -1;
    if (!S_ISDIR(st.st_mode))
        return unlink(path);
    if (empty_dir(path) != 0)
        return -1;
    return rmdir(path);
}
