/* sys/types.h -- the POSIX integer types the libc's headers use. */
#ifndef USER_SYS_TYPES_H
#define USER_SYS_TYPES_H

#include <stddef.h>

typedef int pid_t;
typedef __PTRDIFF_TYPE__ ssize_t;   /* the signed twin of size_t: int on i386 */
typedef unsigned int mode_t;

#endif
