/*
 * dirent.c -- opendir, readdir, closedir over getdents().
 *
 * A DIR holds the directory's descriptor and a buffer of whole records
 * that getdents() filled; readdir() hands them out one at a time and
 * refills the buffer when it runs dry.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <tidepool.h>
#include <unistd.h>

#define DIR_RECORDS 16          /* records per getdents() call: 1 KiB */

struct DIR {
    int fd;
    int next;                   /* index of the next record to return */
    int count;                  /* records in buf */
    struct dirent buf[DIR_RECORDS];
};

DIR *opendir(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    if (fd == -1)
        return NULL;
    struct stat st;
    if (fstat(fd, &st) == -1 || !S_ISDIR(st.st_mode)) {
        if (errno != EBADF)
            errno = ENOTDIR;
        close(fd);
        return NULL;
    }
    DIR *dir = malloc(sizeof *dir);
    if (dir == NULL) {
        close(fd);
        return NULL;            /* errno: ENOMEM */
    }
    dir->fd = fd;
    dir->next = dir->count = 0;
    return dir;
}

struct dirent *readdir(DIR *dir)
{
    if (dir->next == dir->count) {
        int bytes = getdents(dir->fd, dir->buf, sizeof dir->buf);
        if (bytes <= 0)
            return NULL;        /* the end (0), or an error with errno set */
        dir->count = bytes / (int)sizeof dir->buf[0];
        dir->next = 0;
    }
    return &dir->buf[dir->next++];
}

void rewinddir(DIR *dir)
{
    lseek(dir->fd, 0, SEEK_SET);
    dir->next = dir->count = 0;
}

int dirfd(DIR *dir)
{
    return dir->fd;
}

int closedir(DIR *dir)
{
    int r = close(dir->fd);

    free(dir);
    return r;
}
