/* file.c -- open files, descriptor tables, the console as a file (file.h). */
#if LAB >= 4
#include "fs/file.h"
#include "fs/vfs.h"
#include "proc/process.h"
#include "mm/kmalloc.h"
#include "abi/errno.h"
#include "abi/fcntl.h"
#include "abi/stat.h"
#include "sync/spinlock.h"
#include "fs/tty.h"
#if LAB >= 6
#include "fs/poll.h"
#include "abi/poll.h"
#endif
#include <string.h>

/*
 * files_lock: every struct file's refs, and every process's descriptor
 * table (files[] and fd_cloexec): the threads of a process share one
 * table, and may run on different CPUs. Never held around a file's own
 * operations (release may take fs_spinlock or a pipe's lock). Taken
 * with interrupts off, as the table was before lab 5.
 */
static struct spinlock files_lock = SPINLOCK_INIT("files");

struct file *file_alloc(enum file_kind kind, const struct file_ops *ops, int flags)
{
    struct file *f = kcalloc(1, sizeof *f);
    if (f != NULL) {
        f->kind = kind;
        f->ops = ops;
        f->refs = 1;
        f->flags = flags;
    }
    return f;
}

void file_put(struct file *f)
{
    uint32_t s = spin_lock_irqsave(&files_lock);
    bool last = --f->refs == 0;
    spin_unlock_irqrestore(&files_lock, s);
    if (last) {
        if (f->ops->release != NULL)
            f->ops->release(f);
        kfree(f);
    }
}

void file_hold(struct file *f)
{
    uint32_t s = spin_lock_irqsave(&files_lock);
    f->refs++;
    spin_unlock_irqrestore(&files_lock, s);
}

/* ---- descriptors. The table changes under files_lock: threads of
 * one process share it. */

static void fd_set(struct process *p, int fd, struct file *f, bool cloexec)
{
    p->files[fd] = f;
    if (cloexec)
        p->fd_cloexec |= 1u << fd;
    else
        p->fd_cloexec &= ~(1u << fd);
}

/* fd_free_slot() with files_lock held. */
static int fd_free_slot_locked(struct process *p)
{
    for (int fd = 0; fd < PROC_MAX_FILES; fd++)
        if (p->files[fd] == NULL)
            return fd;
    return -EMFILE;
}

int fd_free_slot(struct process *p)
{
    /* A hint (open's early -EMFILE): fd_install() looks again. */
    uint32_t s = spin_lock_irqsave(&files_lock);
    int fd = fd_free_slot_locked(p);
    spin_unlock_irqrestore(&files_lock, s);
    return fd;
}

int fd_install(struct process *p, struct file *f, bool cloexec)
{
    uint32_t s = spin_lock_irqsave(&files_lock);
    int fd = fd_free_slot_locked(p);
    if (fd >= 0)
        fd_set(p, fd, f, cloexec);
    spin_unlock_irqrestore(&files_lock, s);
    if (fd < 0)
        file_put(f);
    return fd;
}

struct file *file_get(struct process *p, int fd)
{
    return fd >= 0 && fd < PROC_MAX_FILES ? p->files[fd] : NULL;
}

struct file *file_acquire(struct process *p, int fd)
{
    uint32_t s = spin_lock_irqsave(&files_lock);
    struct file *f = file_get(p, fd);
    if (f != NULL)
        f->refs++;
    spin_unlock_irqrestore(&files_lock, s);
    return f;
}

int file_close(struct process *p, int fd)
{
    uint32_t s = spin_lock_irqsave(&files_lock);
    struct file *f = file_get(p, fd);
    if (f != NULL)
        fd_set(p, fd, NULL, false);
    spin_unlock_irqrestore(&files_lock, s);
    if (f == NULL)
        return -EBADF;
    file_put(f);
    return 0;
}

int file_dup(struct process *p, int fd)
{
    struct file *f = file_acquire(p, fd);   /* its reference moves to the copy */
    if (f == NULL)
        return -EBADF;
    return fd_install(p, f, false);         /* the copy never has FD_CLOEXEC */
}

int file_dup2(struct process *p, int fd, int newfd)
{
    if (newfd < 0 || newfd >= PROC_MAX_FILES)
        return -EBADF;
    struct file *f = file_acquire(p, fd);   /* its reference moves to newfd */
    if (f == NULL)
        return -EBADF;
    if (newfd == fd) {
        file_put(f);
        return newfd;
    }
    uint32_t s = spin_lock_irqsave(&files_lock);
    struct file *old = p->files[newfd];
    fd_set(p, newfd, f, false);
    spin_unlock_irqrestore(&files_lock, s);
    if (old != NULL)
        file_put(old);
    return newfd;
}

int file_open_console(struct process *p)
{
    struct file *f = file_alloc(FILE_CONSOLE, &console_file_ops, O_RDWR);
    if (f == NULL)
        return -ENOMEM;
    p->files[0] = p->files[1] = p->files[2] = f;
    f->refs = 3;
    p->fd_cloexec = 0;
    vfs_set_cwd(p, NULL);
    return 0;
}

void file_table_copy(struct process *child, struct process *parent)
{
    uint32_t s = spin_lock_irqsave(&files_lock);
    for (int fd = 0; fd < PROC_MAX_FILES; fd++)
        if ((child->files[fd] = parent->files[fd]) != NULL)
            child->files[fd]->refs++;
    child->fd_cloexec = parent->fd_cloexec;
    spin_unlock_irqrestore(&files_lock, s);
    vfs_copy_cwd(child, parent);
}

void file_table_close(struct process *p)
{
    for (int fd = 0; fd < PROC_MAX_FILES; fd++)
        file_close(p, fd);
    vfs_drop_cwd(p);
}

void file_table_exec(struct process *p)
{
    for (int fd = 0; fd < PROC_MAX_FILES; fd++)
        if (p->fd_cloexec & (1u << fd))
            file_close(p, fd);
}

/* ---- the console */

static int console_read(struct file *f, char *buf, size_t n, bool more)
{
    (void)f;
    return more ? 0 : tty_read(buf, n);     /* one line per read() */
}

static int console_write(struct file *f, const char *buf, size_t n)
{
    (void)f;
    return tty_write(buf, n);
}

static void console_stat(struct file *f, struct stat *st)
{
    (void)f;
    memset(st, 0, sizeof *st);
    st->st_mode = S_IFCHR | 0620;
    st->st_nlink = 1;
}

#if LAB >= 6
/* A line typed, or always writable (console output never blocks long). */
static unsigned console_poll(struct file *f)
{
    (void)f;
    return (tty_readable() ? POLLIN : 0) | POLLOUT;
}
#endif

const struct file_ops console_file_ops = {
    .read = console_read,
    .write = console_write,
    .stat = console_stat,
#if LAB >= 6
    .poll = console_poll,
#endif
};
#endif /* LAB >= 4 */
