/* fcntl.h -- open() flags (Linux's values). */
#ifndef ABI_FCNTL_H
#define ABI_FCNTL_H

#define O_RDONLY    0
#define O_WRONLY    1
#define O_RDWR      2
#define O_ACCMODE   3
#define O_CREAT     0100
#define O_EXCL      0200
#define O_TRUNC     01000
#define O_APPEND    02000
#define O_CLOEXEC   02000000

#define SEEK_SET    0           /* lseek()'s whence */
#define SEEK_CUR    1
#define SEEK_END    2

#endif
