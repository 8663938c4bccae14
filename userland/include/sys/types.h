/* sys/types.h -- the POSIX integer types the libc's headers use. */
#ifndef USER_SYS_TYPES_H
#define USER_SYS_TYPES_H

#include <stddef.h>

typedef int pid_t;
typedef __PTRDIFF_TYPE__ ssize_t;   /* the signed twin of size_t: int on i386 */
typedef unsigned int mode_t;
/* File offsets: the kernel's lseek takes and returns an int (files are
 * at most 2 GiB - 1), and long is as wide on i386. */
typedef long off_t;
typedef unsigned int useconds_t;

#endif
