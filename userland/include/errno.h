/*
 * errno.h -- error numbers and `errno` (the user libc).
 *
 * The numbers are the kernel's (kernel/abi/errno.h, Linux's values): a
 * system call fails by returning -ENAME, and the libc wrapper stores
 * ENAME in errno and returns -1. A successful call leaves errno alone.
 *
 * errno is one variable per process, not per thread: threads made with
 * thread_create() share it (there is no thread-local storage yet).
 */
#ifndef USER_ERRNO_H
#define USER_ERRNO_H

/* The next errno.h on the include path: kernel/abi's. */
#include_next <errno.h>

extern int errno;

#endif
