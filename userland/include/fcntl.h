/*
 * fcntl.h -- open() and its flags (the user libc).
 *
 * The flags are the kernel's (kernel/abi/fcntl.h). In lab 4 the only
 * files are the initrd's, and they are read-only: O_RDONLY.
 */
#ifndef USER_FCNTL_H
#define USER_FCNTL_H

/* The next fcntl.h on the include path: kernel/abi's. */
#include_next <fcntl.h>

/* Variadic as in POSIX, so that open(path, O_CREAT, 0644) compiles;
 * the kernel takes no mode yet, so a third argument is ignored. */
int open(const char *path, int flags, ...);

#endif
