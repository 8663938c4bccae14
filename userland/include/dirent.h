/*
 * dirent.h -- reading directories: opendir, readdir, closedir (lib/dirent.c).
 *
 * struct dirent is the kernel's (kernel/abi/dirent.h: d_ino, d_type,
 * d_name), included by path because that header has this one's name.
 * readdir() returns "." and ".." too, as POSIX allows; the entry it
 * returns lives in the DIR and is overwritten by the next readdir().
 */
#ifndef USER_DIRENT_H
#define USER_DIRENT_H

#include "../../kernel/abi/dirent.h"

typedef struct DIR DIR;

/* NULL with errno set (ENOENT, ENOTDIR, EMFILE, ENOMEM, ...) on failure. */
DIR *opendir(const char *path);
/* The next entry, or NULL at the end (errno untouched) or on an error
 * (errno set: clear errno before the call to tell them apart). */
struct dirent *readdir(DIR *dir);
int closedir(DIR *dir);
/* Starts again from the first entry. */
void rewinddir(DIR *dir);
/* The descriptor behind dir. */
int dirfd(DIR *dir);

#endif
