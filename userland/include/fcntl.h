/*
 * fcntl.h -- open() and its flags (the user libc).
 *
 * The flags are the kernel's (kernel/abi/fcntl.h): O_RDONLY, O_WRONLY,
 * O_RDWR, O_CREAT, O_EXCL, O_TRUNC, O_APPEND, O_CLOEXEC; and SEEK_*.
 */
#ifndef USER_FCNTL_H
#define USER_FCNTL_H

#include <sys/types.h>

/* The next fcntl.h on the include path: kernel/abi's. */
#include_next <fcntl.h>

/* Variadic as in POSIX: the third argument, the mode, is read only when
 * flags has O_CREAT (open(path, O_CREAT | O_WRONLY, 0644)). */
int open(const char *path, int flags, ...);
/* open(path, O_WRONLY | O_CREAT | O_TRUNC, mode). */
int creat(const char *path, mode_t mode);

#endif
