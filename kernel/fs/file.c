/* file.c -- open files, descriptor tables, the console as a file (file.h). */
#if LAB >= 4
#include "fs/file.h"
#include "proc/process.h"
#include "mm/kmalloc.h"
#include "abi/errno.h"
#include "abi/fcntl.h"
#include "abi/stat.h"
#include "arch/i386/irq.h"
#include "fs/tty.h"
#include <string.h>

static struct file *file_alloc(enum file_kind kind, int flags)
{
    struct file *f = kcalloc(1, sizeof *f);
    if (f != NULL) {
        f->kind = kind;
        f->refs = 1;
        f->flags = flags;
    }
    return f;
}

static void file_put(struct file *f)
{
    uint32_t s = irq_save();
    bool last = --f->refs == 0;
    irq_restore(s);
    if (last)
        kfree(f);
}

static void file_hold(struct file *f)
{
    uint32_t s = irq_save();
    f->refs++;
    irq_restore(s);
}

/* The lowest free descriptor for f, or -EMFILE. */
static int fd_install(struct process *p, struct file *f)
{
    for (int fd = 0; fd < PROC_MAX_FILES; fd++)
        if (p->files[fd] == NULL) {
            p->files[fd] = f;
            return fd;
        }
    return -EMFILE;
}

int file_open_console(struct process *p)
{
    struct file *f = file_alloc(FILE_CONSOLE, O_RDWR);
    if (f == NULL)
        return -ENOMEM;
    p->files[0] = p->files[1] = p->files[2] = f;
    f->refs = 3;
    return 0;
}

void file_table_copy(struct process *child, struct process *parent)
{
    for (int fd = 0; fd < PROC_MAX_FILES; fd++)
        if ((child->files[fd] = parent->files[fd]) != NULL)
            file_hold(child->files[fd]);
}

void file_table_close(struct process *p)
{
    for (int fd = 0; fd < PROC_MAX_FILES; fd++)
        file_close(p, fd);
}

struct file *file_get(struct process *p, int fd)
{
    return fd >= 0 && fd < PROC_MAX_FILES ? p->files[fd] : NULL;
}

int file_open(struct process *p, const char *path, int flags)
{
    if ((flags & O_ACCMODE) != O_RDONLY || (flags & (O_CREAT | O_TRUNC | O_APPEND)))
        return -EROFS;          /* the initrd is read-only in this lab */
    struct initrd_file node;
    int err = initrd_lookup(path, &node);
    if (err != 0)
        return err;
    struct file *f = file_alloc(FILE_INITRD, flags & O_ACCMODE);
    if (f == NULL)
        return -ENOMEM;
    f->node = node;
    int fd = fd_install(p, f);
    if (fd < 0)
        file_put(f);
    return fd;
}

int file_close(struct process *p, int fd)
{
    struct file *f = file_get(p, fd);
    if (f == NULL)
        return -EBADF;
    p->files[fd] = NULL;
    file_put(f);
    return 0;
}

int file_dup(struct process *p, int fd)
{
    struct file *f = file_get(p, fd);
    if (f == NULL)
        return -EBADF;
    int copy = fd_install(p, f);
    if (copy >= 0)
        file_hold(f);
    return copy;
}

int file_read(struct file *f, char *buf, size_t n)
{
    if ((f->flags & O_ACCMODE) == O_WRONLY)
        return -EBADF;
    if (f->kind == FILE_CONSOLE)
        return tty_read(buf, n);
    if (f->node.is_dir)
        return -EISDIR;
    if (f->offset >= f->node.size)
        return 0;
    if (n > f->node.size - f->offset)
        n = f->node.size - f->offset;
    memcpy(buf, f->node.data + f->offset, n);
    f->offset += n;
    return (int)n;
}

int file_write(struct file *f, const char *buf, size_t n)
{
    if (f->kind != FILE_CONSOLE || (f->flags & O_ACCMODE) == O_RDONLY)
        return -EBADF;
    return tty_write(buf, n);
}

void initrd_stat(const struct initrd_file *node, struct stat *st)
{
    memset(st, 0, sizeof *st);
    st->st_ino = node->ino;
    st->st_mode = node->mode;
    st->st_nlink = 1;
    st->st_size = (unsigned)node->size;
}

void file_stat(struct file *f, struct stat *st)
{
    if (f->kind == FILE_INITRD) {
        initrd_stat(&f->node, st);
        return;
    }
    memset(st, 0, sizeof *st);
    st->st_mode = S_IFCHR | 0620;
    st->st_nlink = 1;
}
#endif /* LAB >= 4 */
