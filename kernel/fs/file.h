/*
 * file.h -- open files and each process's descriptor table.
 *
 * A descriptor is an index into the process's files[]; several
 * descriptors (dup) and processes (fork) can share one struct file, which
 * is counted and released when the last one closes it. What a file does
 * is its ops table: the console (fs/tty.c), a regular file or directory
 * of the in-memory file system (vfs.c), or one end of a pipe (pipe.c).
 * FD_CLOEXEC belongs to the descriptor, not the file: a bit per
 * descriptor in p->fd_cloexec, which exec (file_table_exec) honours.
 */
#ifndef FS_FILE_H
#define FS_FILE_H

#if LAB >= 4
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum file_kind {
    FILE_CONSOLE, FILE_RAMFS, FILE_PIPE_READ, FILE_PIPE_WRITE,
#if LAB >= 6
    FILE_SOCKET,
#endif
};

struct file;
struct stat;

struct file_ops {
    /* Up to n bytes into the kernel buffer buf: bytes read, 0 at the end,
     * or -errno. `more`: this read() already has bytes, so do not block
     * (return 0 if nothing is there at once). */
    int (*read)(struct file *f, char *buf, size_t n, bool more);
    /* n bytes from the kernel buffer buf: bytes written or -errno. */
    int (*write)(struct file *f, const char *buf, size_t n);
    /* The new offset or -errno; NULL: -ESPIPE. */
    int (*lseek)(struct file *f, int offset, int whence);
    void (*stat)(struct file *f, struct stat *st);
    /* The last reference is gone (the struct itself is freed after). */
    void (*release)(struct file *f);
    /* Optional, around the chunks of one write() of `total` bytes (pipes
     * keep a write of up to TP_PIPE_BUF bytes in one piece). */
    int (*write_begin)(struct file *f, size_t total);
    void (*write_end)(struct file *f);
#if LAB >= 6
    /* Optional: POLLIN/POLLOUT/POLLERR/POLLHUP now (abi/poll.h), never
     * blocking. NULL: always ready (a regular file). */
    unsigned (*poll)(struct file *f);
#endif
};

struct ramfs_node;
struct pipe;
#if LAB >= 6
struct socket;
#endif

struct file {
    enum file_kind kind;
    const struct file_ops *ops;
    int refs;
    int flags;                  /* open()'s O_ACCMODE and O_APPEND */
    struct ramfs_node *node;    /* FILE_RAMFS (held while the file is open) */
    struct pipe *pipe;          /* FILE_PIPE_* */
#if LAB >= 6
    struct socket *sock;        /* FILE_SOCKET */
#endif
    uint32_t offset;            /* a file's byte offset; a directory's getdents position */
};

struct process;

/* A new file with one reference, or NULL when memory runs out. */
struct file *file_alloc(enum file_kind kind, const struct file_ops *ops, int flags);
void file_hold(struct file *f);
/* Drop a reference; the last one releases and frees the file. */
void file_put(struct file *f);

/* fds 0, 1, 2 of p: the console; p's working directory: the root.
 * 0 or -ENOMEM. */
int file_open_console(struct process *p);
/* For fork: the child shares every open file of the parent (with the
 * same FD_CLOEXEC bits) and starts in the same working directory. */
void file_table_copy(struct process *child, struct process *parent);
/* For exit: close every descriptor, let go of the working directory. */
void file_table_close(struct process *p);
/* For a successful exec: close the descriptors marked FD_CLOEXEC. */
void file_table_exec(struct process *p);

/* The lowest free descriptor of p, or -EMFILE (nothing is reserved). */
int fd_free_slot(struct process *p);
/* Put f at the lowest free descriptor (the caller's reference moves to
 * the table): the descriptor, or -EMFILE (f is then put). */
int fd_install(struct process *p, struct file *f, bool cloexec);
struct file *file_get(struct process *p, int fd);
/* file_get with a reference the caller puts when done: another thread
 * of p may close fd meanwhile (the file then lives until the put). */
struct file *file_acquire(struct process *p, int fd);
int file_close(struct process *p, int fd);
int file_dup(struct process *p, int fd);
int file_dup2(struct process *p, int fd, int newfd);

/* The console's file operations (console reads are lines: fs/tty.c). */
extern const struct file_ops console_file_ops;
#endif /* LAB >= 4 */

#endif
