/*
 * file.h -- open files and each process's descriptor table.
 *
 * A descriptor is an index into the process's files[]; several
 * descriptors (dup) and processes (fork) can share one struct file, which
 * is counted and freed when the last one closes it. Two kinds in this
 * lab: the console (fds 0, 1, 2 of init, inherited by everyone) and
 * read-only files of the initrd.
 */
#ifndef FS_FILE_H
#define FS_FILE_H

#if LAB >= 4
#include "fs/initrd.h"
#include <stddef.h>
#include <stdint.h>

enum file_kind { FILE_CONSOLE, FILE_INITRD };

struct file {
    enum file_kind kind;
    int refs;
    int flags;                  /* open()'s O_ACCMODE part */
    struct initrd_file node;    /* FILE_INITRD */
    size_t offset;
};

struct process;
struct stat;

/* fds 0, 1, 2 of p: the console. 0 or -ENOMEM. */
int file_open_console(struct process *p);
/* For fork: the child shares every open file of the parent. */
void file_table_copy(struct process *child, struct process *parent);
/* For exit: close every descriptor. */
void file_table_close(struct process *p);

/* The system calls' work; the user buffers are already in the kernel
 * except for read/write, which copy in chunks (fs/sys_file.c). */
int file_open(struct process *p, const char *path, int flags);
struct file *file_get(struct process *p, int fd);
int file_close(struct process *p, int fd);
int file_dup(struct process *p, int fd);
/* Read up to n bytes into the kernel buffer buf; for the console, one
 * line at most. Bytes read, 0 at the end, or -errno. */
int file_read(struct file *f, char *buf, size_t n);
int file_write(struct file *f, const char *buf, size_t n);
void file_stat(struct file *f, struct stat *st);
void initrd_stat(const struct initrd_file *node, struct stat *st);
#endif /* LAB >= 4 */

#endif
