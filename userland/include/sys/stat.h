/*
 * sys/stat.h -- stat(), fstat() and mkdir() (the user libc).
 *
 * struct stat and the S_IF* bits are the kernel's (kernel/abi/stat.h):
 * the kernel copies exactly that struct out to the caller.
 */
#ifndef USER_SYS_STAT_H
#define USER_SYS_STAT_H

#include <sys/types.h>
#include <stat.h>       /* kernel/abi */

int stat(const char *path, struct stat *st);
int fstat(int fd, struct stat *st);
/* The in-memory file system keeps no permissions: mode is passed on and
 * the kernel may ignore it. */
int mkdir(const char *path, mode_t mode);

#endif
