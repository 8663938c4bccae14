/* vfs.c -- the root file system, paths from a process's view, ramfs files (vfs.h). */
#if LAB >= 4
#include "fs/vfs.h"
#include "fs/file.h"
#include "fs/ramfs.h"
#include "proc/process.h"
#include "mm/kmalloc.h"
#include "mm/pmm.h"
#include "abi/errno.h"
#include "abi/fcntl.h"
#include "abi/rlimit.h"
#include "arch/i386/irq.h"
#include "sync/spinlock.h"
#include <string.h>

static struct ramfs rootfs;

/* ---- memory for the ramfs: metadata from kmalloc, data in frames */

/* Nodes grow the kernel heap, which takes frames too: the same reserve
 * holds, so empty files cannot eat the memory a shell needs either. */
static void *vfs_zalloc(size_t n)
{
    return pmm_free_frames() < VFS_RESERVE_FRAMES ? NULL : kcalloc(1, n);
}

static void *vfs_block_alloc(void)
{
    if (pmm_free_frames() < VFS_RESERVE_FRAMES)
        return NULL;
    paddr_t frame = frame_alloc();
    /* SAFETY: integer -> pointer through the direct map: a frame just
     * handed out, below KERNEL_DIRECT_END, one page long. */
    return frame == 0 ? NULL : (void *)(uintptr_t)frame;
}

static void vfs_block_free(void *block)
{
    /* SAFETY: pointer -> integer: block came from vfs_block_alloc, whose
     * direct-map address is the frame's physical address. */
    frame_free((paddr_t)(uintptr_t)block);
}

static const struct ramfs_alloc vfs_alloc = {
    .zalloc = vfs_zalloc,
    .free = kfree,
    .block_alloc = vfs_block_alloc,
    .block_free = vfs_block_free,
};

/*
 * fs_spinlock: rootfs (every ramfs node and its data), each struct
 * process's cwd, and the offset of every FILE_RAMFS open file. One big
 * lock: the ramfs calls are short (a page at most per turn, see
 * vfs_load), and none sleeps. A sleeping mutex would let a long write
 * be preempted, but nothing here needs it yet. Interrupt handlers never
 * take it (the tty's input path does not touch files); it is taken with
 * interrupts off anyway, as before lab 5, so that a holder is never
 * preempted while other CPUs spin. Order: before the heap's and the
 * frame allocator's locks (ramfs allocates under it).
 */
static struct spinlock fs_spinlock = SPINLOCK_INIT("fs");

static inline uint32_t fs_lock(void)
{
    return spin_lock_irqsave(&fs_spinlock);
}

static inline void fs_unlock(uint32_t s)
{
    spin_unlock_irqrestore(&fs_spinlock, s);
}

bool vfs_init(void)
{
    if (rootfs.root != NULL)
        return true;
    return ramfs_init(&rootfs, &vfs_alloc) == 0;
}

/* ---- working directories. p->cwd is held; NULL only before the root
 * exists (no initrd). */

static struct ramfs_node *cwd_of(struct process *p)
{
    return p != NULL && p->cwd != NULL ? p->cwd : rootfs.root;
}

void vfs_set_cwd(struct process *p, struct ramfs_node *dir)
{
    uint32_t s = fs_lock();
    if (dir == NULL)
        dir = rootfs.root;
    if (dir != NULL)
        ramfs_hold(dir);
    struct ramfs_node *old = p->cwd;
    p->cwd = dir;
    if (old != NULL)
        ramfs_release(&rootfs, old);
    fs_unlock(s);
}

void vfs_copy_cwd(struct process *child, struct process *parent)
{
    /* parent->cwd read under the lock: another thread of the parent may
     * chdir meanwhile and release the old directory. */
    uint32_t s = fs_lock();
    struct ramfs_node *dir = parent->cwd != NULL ? parent->cwd : rootfs.root;
    if (dir != NULL)
        ramfs_hold(dir);
    struct ramfs_node *old = child->cwd;
    child->cwd = dir;
    if (old != NULL)
        ramfs_release(&rootfs, old);
    fs_unlock(s);
}

void vfs_drop_cwd(struct process *p)
{
    uint32_t s = fs_lock();
    if (p->cwd != NULL)
        ramfs_release(&rootfs, p->cwd);
    p->cwd = NULL;
    fs_unlock(s);
}

/* ---- regular files and directories as open files */

static int ramfs_file_read(struct file *f, char *buf, size_t n, bool more)
{
    (void)more;
    uint32_t s = fs_lock();
    int got = ramfs_is_dir(f->node) ? -EISDIR : (int)ramfs_read(f->node, f->offset, buf, n);
    if (got > 0)
        f->offset += (uint32_t)got;
    fs_unlock(s);
    return got;
}

static int ramfs_file_write(struct file *f, const char *buf, size_t n)
{
    uint32_t s = fs_lock();
    if (f->flags & O_APPEND)
        f->offset = f->node->size;
    int put = ramfs_write(&rootfs, f->node, f->offset, buf, n);
    if (put > 0)
        f->offset += (uint32_t)put;
    fs_unlock(s);
    return put;
}

static int ramfs_file_lseek(struct file *f, int offset, int whence)
{
    uint32_t s = fs_lock();
    int64_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? (int64_t)f->offset
                 : whence == SEEK_END ? (int64_t)f->node->size : -1;
    int64_t at = base + offset;
    /* A directory's position is a getdents cookie: only SEEK_SET makes
     * sense (rewinddir is lseek(fd, 0, SEEK_SET)). */
    bool bad = base < 0 || at < 0 || at > 0x7FFFFFFF ||
               (ramfs_is_dir(f->node) && whence != SEEK_SET);
    if (!bad)
        f->offset = (uint32_t)at;
    fs_unlock(s);
    return bad ? -EINVAL : (int)at;
}

static void ramfs_file_stat(struct file *f, struct stat *st)
{
    uint32_t s = fs_lock();
    ramfs_stat(f->node, st);
    fs_unlock(s);
}

static void ramfs_file_release(struct file *f)
{
    if (f->node == NULL)
        return;                 /* an open() that failed */
    uint32_t s = fs_lock();
    ramfs_release(&rootfs, f->node);
    fs_unlock(s);
}

static const struct file_ops ramfs_file_ops = {
    .read = ramfs_file_read,
    .write = ramfs_file_write,
    .lseek = ramfs_file_lseek,
    .stat = ramfs_file_stat,
    .release = ramfs_file_release,
};

int vfs_getdents(struct file *f, struct dirent *out, size_t max)
{
    if (f->kind != FILE_RAMFS)
        return -ENOTDIR;
    uint32_t s = fs_lock();
    int n = ramfs_getdents(f->node, &f->offset, out, max);
    fs_unlock(s);
    return n;
}

int vfs_ftruncate(struct file *f, uint32_t length)
{
    if (f->kind != FILE_RAMFS || ramfs_is_dir(f->node))
        return -EINVAL;
    if ((f->flags & O_ACCMODE) == O_RDONLY)
        return -EBADF;
    uint32_t s = fs_lock();
    int err = ramfs_truncate(&rootfs, f->node, length);
    fs_unlock(s);
    return err;
}

/* ---- paths. Each runs under the lock. */

static int no_root(void)
{
    return rootfs.root == NULL ? -ENOENT : 0;
}

/* open(O_CREAT): the existing node at path, or a new regular file. */
static int open_create(struct process *p, const char *path, int flags, int mode,
                       struct ramfs_node **out)
{
    struct ramfs_node *dir;
    char name[NAME_MAX + 1];
    bool slash;
    int err = ramfs_resolve_parent(&rootfs, cwd_of(p), path, &dir, name, &slash);
    if (err != 0)
        return err;
    struct ramfs_node *n = name[0] == '\0' ? dir : ramfs_child(dir, name);
    if (n != NULL) {
        if (flags & O_EXCL)
            return -EEXIST;
        if (slash && !ramfs_is_dir(n))
            return -ENOTDIR;
        *out = n;
        return 0;
    }
    if (slash)
        return -EISDIR;         /* "new/" can only be a directory */
    return ramfs_create(&rootfs, dir, name, S_IFREG | ((uint32_t)mode & 0777), out);
}

static int open_node(struct process *p, const char *path, int flags, int mode,
                     struct ramfs_node **out)
{
    int acc = flags & O_ACCMODE;
    int err = flags & O_CREAT ? open_create(p, path, flags, mode, out)
                              : ramfs_resolve(&rootfs, cwd_of(p), path, out);
    if (err != 0)
        return err;
    if (ramfs_is_dir(*out))
        return acc != O_RDONLY || (flags & O_TRUNC) ? -EISDIR : 0;
    if ((flags & O_TRUNC) && acc != O_RDONLY)
        return ramfs_truncate(&rootfs, *out, 0);
    return 0;
}

int vfs_open(struct process *p, const char *path, int flags, int mode)
{
    if ((flags & O_ACCMODE) == O_ACCMODE)
        return -EINVAL;
    if (fd_free_slot(p) < 0)
        return -EMFILE;         /* before anything is created */
    struct file *f = file_alloc(FILE_RAMFS, &ramfs_file_ops, flags & (O_ACCMODE | O_APPEND));
    if (f == NULL)
        return -ENOMEM;
    uint32_t s = fs_lock();
    struct ramfs_node *n = NULL;
    int err = no_root();
    if (err == 0)
        err = open_node(p, path, flags, mode, &n);
    if (err == 0) {
        ramfs_hold(n);
        f->node = n;
    }
    fs_unlock(s);
    if (err != 0) {
        file_put(f);
        return err;
    }
    return fd_install(p, f, (flags & O_CLOEXEC) != 0);
}

int vfs_stat(struct process *p, const char *path, struct stat *st)
{
    uint32_t s = fs_lock();
    struct ramfs_node *n;
    int err = no_root();
    if (err == 0)
        err = ramfs_resolve(&rootfs, cwd_of(p), path, &n);
    if (err == 0)
        ramfs_stat(n, st);
    fs_unlock(s);
    return err;
}

/* The parent directory of path and the last component (lock held). */
static int parent_of(struct process *p, const char *path, struct ramfs_node **dir, char *name,
                     bool *slash)
{
    int err = no_root();
    return err != 0 ? err : ramfs_resolve_parent(&rootfs, cwd_of(p), path, dir, name, slash);
}

int vfs_mkdir(struct process *p, const char *path, int mode)
{
    uint32_t s = fs_lock();
    struct ramfs_node *dir;
    char name[NAME_MAX + 1];
    bool slash;
    int err = parent_of(p, path, &dir, name, &slash);
    if (err == 0)
        err = ramfs_create(&rootfs, dir, name, S_IFDIR | ((uint32_t)mode & 0777), NULL);
    fs_unlock(s);
    return err;
}

int vfs_rmdir(struct process *p, const char *path)
{
    uint32_t s = fs_lock();
    struct ramfs_node *dir;
    char name[NAME_MAX + 1];
    bool slash;
    int err = parent_of(p, path, &dir, name, &slash);
    if (err == 0)
        err = ramfs_rmdir(&rootfs, dir, name);
    fs_unlock(s);
    return err;
}

int vfs_unlink(struct process *p, const char *path)
{
    uint32_t s = fs_lock();
    struct ramfs_node *dir;
    char name[NAME_MAX + 1];
    bool slash;
    int err = parent_of(p, path, &dir, name, &slash);
    if (err == 0 && slash) {
        struct ramfs_node *n = ramfs_child(dir, name);
        err = n != NULL && !ramfs_is_dir(n) ? -ENOTDIR : 0;
    }
    if (err == 0)
        err = ramfs_unlink(&rootfs, dir, name);
    fs_unlock(s);
    return err;
}

int vfs_rename(struct process *p, const char *from, const char *to)
{
    uint32_t s = fs_lock();
    struct ramfs_node *odir, *ndir;
    char oname[NAME_MAX + 1], nname[NAME_MAX + 1];
    bool oslash, nslash;
    int err = parent_of(p, from, &odir, oname, &oslash);
    if (err == 0)
        err = parent_of(p, to, &ndir, nname, &nslash);
    if (err == 0 && (oslash || nslash)) {
        /* A trailing slash says "directory": only a directory may move so. */
        struct ramfs_node *n = ramfs_child(odir, oname);
        err = n != NULL && !ramfs_is_dir(n) ? -ENOTDIR : 0;
    }
    if (err == 0)
        err = ramfs_rename(&rootfs, odir, oname, ndir, nname);
    fs_unlock(s);
    return err;
}

int vfs_chdir(struct process *p, const char *path)
{
    uint32_t s = fs_lock();
    struct ramfs_node *n;
    int err = no_root();
    if (err == 0)
        err = ramfs_resolve(&rootfs, cwd_of(p), path, &n);
    if (err == 0 && !ramfs_is_dir(n))
        err = -ENOTDIR;
    if (err == 0) {
        ramfs_hold(n);
        if (p->cwd != NULL)
            ramfs_release(&rootfs, p->cwd);
        p->cwd = n;
    }
    fs_unlock(s);
    return err;
}

int vfs_getcwd(struct process *p, char *buf, size_t n)
{
    uint32_t s = fs_lock();
    int err = no_root();
    if (err == 0)
        err = ramfs_path(cwd_of(p), buf, n);
    fs_unlock(s);
    return err;
}

/* ---- exec */

int vfs_load(struct process *p, const char *path, uint8_t **image, size_t *size,
             size_t *pages)
{
    uint32_t s = fs_lock();
    struct ramfs_node *n;
    int err = no_root();
    if (err == 0)
        err = ramfs_resolve(&rootfs, cwd_of(p), path, &n);
    if (err == 0 && ramfs_is_dir(n))
        err = -EACCES;
    if (err == 0)
        ramfs_hold(n);
    fs_unlock(s);
    if (err != 0)
        return err;
    /* Frames, not the heap: the run goes back whole, and the kernel heap
     * never shrinks. */
    size_t len = n->size;
    *pages = len == 0 ? 1 : (len + PAGE_SIZE - 1) / PAGE_SIZE;
    paddr_t run = frame_alloc_run(*pages, 1);
    /* SAFETY: integer -> pointer through the direct map: *pages frames
     * just handed out, below KERNEL_DIRECT_END. */
    uint8_t *buf = run == 0 ? NULL : (uint8_t *)(uintptr_t)run;
    size_t done = 0;
    while (buf != NULL && done < len) {
        s = fs_lock();          /* a page per turn: the lock held briefly */
        size_t got = ramfs_read(n, (uint32_t)done, buf + done, len - done < PAGE_SIZE ? len - done : PAGE_SIZE);
        fs_unlock(s);
        if (got == 0)
            break;              /* truncated meanwhile: parse what we have */
        done += got;
    }
    s = fs_lock();
    ramfs_release(&rootfs, n);
    fs_unlock(s);
    if (buf == NULL)
        return -ENOMEM;
    *image = buf;
    *size = done;
    return 0;
}

void vfs_unload(uint8_t *image, size_t pages)
{
    /* SAFETY: pointer -> integer: image is vfs_load's direct-map run. */
    frame_free_run((paddr_t)(uintptr_t)image, pages);
}

/* ---- the initrd */

/* dir's child `name`, made a directory if it is missing. */
static int mkdir_once(struct ramfs_node *dir, const char *name, uint32_t mode,
                      struct ramfs_node **out)
{
    struct ramfs_node *n = ramfs_child(dir, name);
    if (n != NULL) {
        *out = n;
        return ramfs_is_dir(n) ? 0 : -ENOTDIR;
    }
    return ramfs_create(&rootfs, dir, name, S_IFDIR | mode, out);
}

int vfs_install(const char *path, uint32_t mode, const void *data, size_t size)
{
    if (!S_ISDIR(mode) && !S_ISREG(mode))
        return -EINVAL;
    uint32_t s = fs_lock();
    struct ramfs_node *dir = rootfs.root, *n = NULL;
    int err = no_root();
    const char *at = path;
    while (err == 0) {
        while (*at == '/')
            at++;
        size_t len = strcspn(at, "/");
        if (len == 0)
            break;
        if (len > NAME_MAX) {
            err = -ENAMETOOLONG;
            break;
        }
        char name[NAME_MAX + 1];
        memcpy(name, at, len);
        name[len] = '\0';
        at += len;
        bool last = at[strspn(at, "/")] == '\0';
        if (!last || S_ISDIR(mode)) {
            err = mkdir_once(dir, name, last ? mode & 07777 : 0755, &dir);
            if (err == 0 && last)
                dir->mode = mode;           /* the archive's permissions */
            continue;
        }
        n = ramfs_child(dir, name);
        if (n == NULL)
            err = ramfs_create(&rootfs, dir, name, mode, &n);
        else if (ramfs_is_dir(n))
            err = -EISDIR;
        if (err == 0)
            err = ramfs_truncate(&rootfs, n, 0);
        if (err == 0 && size > 0) {
            int put = ramfs_write(&rootfs, n, 0, data, size);
            err = put < 0 ? put : (size_t)put < size ? -ENOSPC : 0;
        }
        break;
    }
    fs_unlock(s);
    return err;
}
#endif /* LAB >= 4 */
