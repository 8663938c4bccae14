/*
 * sys/stat.h -- stat() and fstat() (the user libc).
 *
 * struct stat and the S_IF* bits are the kernel's (kernel/abi/stat.h):
 * the kernel copies exactly that struct out to the caller.
 */
#ifndef USER_SYS_STAT_H
#define USER_SYS_STAT_H

#include <stat.h>       /* kernel/abi */

int stat(const char *path, struct stat *st);
int fstat(int fd, struct stat *st);

#endif
