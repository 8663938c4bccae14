/* stat.h -- what stat() and fstat() return. */
#ifndef ABI_STAT_H
#define ABI_STAT_H

#define S_IFMT   0170000
#define S_IFREG  0100000    /* a regular file */
#define S_IFDIR  0040000    /* a directory */
#define S_IFCHR  0020000    /* a character device (the console) */
#define S_IFIFO  0010000    /* a pipe */
#if LAB >= 6
#define S_IFSOCK 0140000    /* a socket */
#define S_ISSOCK(m) (((m) & S_IFMT) == S_IFSOCK)
#endif

#define S_ISREG(m) (((m) & S_IFMT) == S_IFREG)
#define S_ISDIR(m) (((m) & S_IFMT) == S_IFDIR)
#define S_ISCHR(m) (((m) & S_IFMT) == S_IFCHR)
#define S_ISFIFO(m) (((m) & S_IFMT) == S_IFIFO)

struct stat {
    unsigned int st_ino;    /* which file: unique within the file system */
    unsigned int st_mode;   /* S_IF* type and permission bits */
    unsigned int st_nlink;
    unsigned int st_size;   /* bytes */
};

#endif
