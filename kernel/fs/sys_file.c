/*
 * sys_file.c -- the file system calls: check and copy the arguments,
 * then file.c, vfs.c and pipe.c do the work. User buffers move through a
 * kernel bounce buffer in chunks, so a bad pointer anywhere gives
 * -EFAULT; paths are copied in whole, at most TP_PATH_MAX bytes with the
 * NUL (longer: -ENAMETOOLONG).
 */
#if LAB >= 4
#include "fs/file.h"
#include "fs/pipe.h"
#include "fs/vfs.h"
#include "proc/process.h"
#include "proc/syscall.h"
#include "mm/pmm.h"
#include "mm/usercopy.h"
#include "abi/dirent.h"
#include "abi/errno.h"
#include "abi/fcntl.h"
#include "abi/rlimit.h"
#include "abi/stat.h"
#if LAB >= 6
#include "net/socket_file.h"
#endif

#define CHUNK 512

/* Copy in a path argument; 0 or -errno. */
static int path_in(char *path, uint32_t upath)
{
    int n = copyinstr(path, upath, TP_PATH_MAX);
    return n < 0 ? n : 0;
}

int32_t sys_open(uint32_t upath, uint32_t flags, uint32_t mode, uint32_t a4, uint32_t a5)
{
    (void)a4; (void)a5;
    char path[TP_PATH_MAX];
    int err = path_in(path, upath);
    return err != 0 ? err : vfs_open(proc_current(), path, (int)flags, (int)mode);
}

int32_t sys_close(uint32_t fd, uint32_t a2, uint32_t a3, uint32_t a4, uint32_t a5)
{
    (void)a2; (void)a3; (void)a4; (void)a5;
    return file_close(proc_current(), (int)fd);
}

int32_t sys_dup(uint32_t fd, uint32_t a2, uint32_t a3, uint32_t a4, uint32_t a5)
{
    (void)a2; (void)a3; (void)a4; (void)a5;
    return file_dup(proc_current(), (int)fd);
}

int32_t sys_dup2(uint32_t fd, uint32_t newfd, uint32_t a3, uint32_t a4, uint32_t a5)
{
    (void)a3; (void)a4; (void)a5;
    return file_dup2(proc_current(), (int)fd, (int)newfd);
}

/* read and write's common checks: the open file, or NULL and *err. */
static struct file *file_for_io(uint32_t fd, uint32_t ubuf, uint32_t n, int32_t *err)
{
    struct file *f = file_acquire(proc_current(), (int)fd);
    *err = f == NULL ? -EBADF : (int32_t)n < 0 ? -EINVAL : !user_range_ok(ubuf, n) ? -EFAULT : 0;
    if (*err != 0 && f != NULL) {
        file_put(f);
        f = NULL;
    }
    return f;
}

/* Whether every page of [ubuf, ubuf + n) takes a write now: the range's
 * first byte in each page is probed with a write that changes nothing
 * (user_probe_write), which also makes a copy-on-write or demand-zero
 * page there. read() checks a chunk's destination so before it takes the
 * chunk from the file: a bad buffer then costs an error, not the data (a
 * pipe's bytes, a file's offset). The probe is one atomic instruction: a
 * read and a write-back of the byte would undo a store another thread
 * of the process made in between, even where read() then writes nothing
 * (found by reading while the soak hunted a hang, 2026-12-06). */
static bool user_writable(uint32_t ubuf, uint32_t n)
{
    for (uint32_t a = ubuf; a - ubuf < n; a = (a & ~(PAGE_SIZE - 1)) + PAGE_SIZE)
        if (user_probe_write(a) != 0)
            return false;
    return true;
}

/* read() on an acquired file (sys_read puts it). */
static int32_t read_file(struct file *f, uint32_t ubuf, uint32_t n)
{
#if LAB >= 6
    if (f->kind == FILE_SOCKET)
        return socket_read(f, ubuf, n);     /* a datagram is not cut into chunks */
#endif
    if ((f->flags & O_ACCMODE) == O_WRONLY || f->ops->read == NULL)
        return -EBADF;
    char chunk[CHUNK];
    uint32_t done = 0;
    while (done < n) {
        uint32_t want = n - done < CHUNK ? n - done : CHUNK;
        if (!user_writable(ubuf + done, want))
            return done > 0 ? (int32_t)done : -EFAULT;     /* nothing taken */
        int got = f->ops->read(f, chunk, want, done > 0);
        if (got < 0)
            return done > 0 ? (int32_t)done : got;
        if (got > 0 && copyout(ubuf + done, chunk, (size_t)got) != 0)
            return -EFAULT;
        done += (uint32_t)got;
        if ((uint32_t)got < want)
            break;                  /* the end, or all there is for now */
    }
    return (int32_t)done;
}

int32_t sys_read(uint32_t fd, uint32_t ubuf, uint32_t n, uint32_t a4, uint32_t a5)
{
    (void)a4; (void)a5;
    int32_t err;
    struct file *f = file_for_io(fd, ubuf, n, &err);
    if (f == NULL)
        return err;
    err = read_file(f, ubuf, n);
    file_put(f);
    return err;
}

/* write() on an acquired file (sys_write puts it). */
static int32_t write_file(struct file *f, uint32_t ubuf, uint32_t n)
{
    int32_t err = 0;
#if LAB >= 6
    if (f->kind == FILE_SOCKET)
        return socket_write(f, ubuf, n);    /* one datagram per write */
#endif
    if ((f->flags & O_ACCMODE) == O_RDONLY || f->ops->write == NULL)
        return -EBADF;
    if (n == 0)
        return 0;
    if (f->ops->write_begin != NULL && (err = f->ops->write_begin(f, n)) != 0)
        return err;
    char chunk[CHUNK];
    uint32_t done = 0;
    while (done < n) {
        uint32_t want = n - done < CHUNK ? n - done : CHUNK;
        if (copyin(chunk, ubuf + done, want) != 0) {
            err = -EFAULT;
            break;
        }
        int put = f->ops->write(f, chunk, want);
        if (put < 0) {
            err = put;
            break;
        }
        done += (uint32_t)put;
        if ((uint32_t)put < want)
            break;                  /* out of room: say how much went */
    }
    if (f->ops->write_end != NULL)
        f->ops->write_end(f);
    return done > 0 ? (int32_t)done : err;
}

int32_t sys_write(uint32_t fd, uint32_t ubuf, uint32_t n, uint32_t a4, uint32_t a5)
{
    (void)a4; (void)a5;
    int32_t err;
    struct file *f = file_for_io(fd, ubuf, n, &err);
    if (f == NULL)
        return err;
    err = write_file(f, ubuf, n);
    file_put(f);
    return err;
}

int32_t sys_lseek(uint32_t fd, uint32_t offset, uint32_t whence, uint32_t a4, uint32_t a5)
{
    (void)a4; (void)a5;
    struct file *f = file_acquire(proc_current(), (int)fd);
    if (f == NULL)
        return -EBADF;
    int32_t r = f->ops->lseek == NULL ? -ESPIPE
              : whence != SEEK_SET && whence != SEEK_CUR && whence != SEEK_END ? -EINVAL
              : f->ops->lseek(f, (int)offset, (int)whence);
    file_put(f);
    return r;
}

int32_t sys_fstat(uint32_t fd, uint32_t ust, uint32_t a3, uint32_t a4, uint32_t a5)
{
    (void)a3; (void)a4; (void)a5;
    struct file *f = file_acquire(proc_current(), (int)fd);
    if (f == NULL)
        return -EBADF;
    struct stat st;
    f->ops->stat(f, &st);
    file_put(f);
    return copyout(ust, &st, sizeof st);
}

int32_t sys_stat(uint32_t upath, uint32_t ust, uint32_t a3, uint32_t a4, uint32_t a5)
{
    (void)a3; (void)a4; (void)a5;
    char path[TP_PATH_MAX];
    struct stat st;
    int err = path_in(path, upath);
    if (err == 0)
        err = vfs_stat(proc_current(), path, &st);
    return err != 0 ? err : copyout(ust, &st, sizeof st);
}

int32_t sys_pipe(uint32_t ufds, uint32_t a2, uint32_t a3, uint32_t a4, uint32_t a5)
{
    (void)a2; (void)a3; (void)a4; (void)a5;
    struct process *p = proc_current();
    if (!user_range_ok(ufds, 2 * sizeof(int)))
        return -EFAULT;
    struct file *rd, *wr;
    int err = pipe_create(&rd, &wr);
    if (err != 0)
        return err;
    int fds[2];
    fds[0] = fd_install(p, rd, false);
    fds[1] = fds[0] >= 0 ? fd_install(p, wr, false) : (file_put(wr), -EMFILE);
    if (fds[1] < 0) {
        if (fds[0] >= 0)
            file_close(p, fds[0]);
        return -EMFILE;
    }
    if (copyout(ufds, fds, sizeof fds) != 0) {
        file_close(p, fds[0]);
        file_close(p, fds[1]);
        return -EFAULT;
    }
    return 0;
}

/* The calls that take one path and nothing to copy back. */
static int32_t path_call(uint32_t upath, int (*op)(struct process *, const char *))
{
    char path[TP_PATH_MAX];
    int err = path_in(path, upath);
    return err != 0 ? err : op(proc_current(), path);
}

int32_t sys_unlink(uint32_t upath, uint32_t a2, uint32_t a3, uint32_t a4, uint32_t a5)
{
    (void)a2; (void)a3; (void)a4; (void)a5;
    return path_call(upath, vfs_unlink);
}

int32_t sys_rmdir(uint32_t upath, uint32_t a2, uint32_t a3, uint32_t a4, uint32_t a5)
{
    (void)a2; (void)a3; (void)a4; (void)a5;
    return path_call(upath, vfs_rmdir);
}

int32_t sys_chdir(uint32_t upath, uint32_t a2, uint32_t a3, uint32_t a4, uint32_t a5)
{
    (void)a2; (void)a3; (void)a4; (void)a5;
    return path_call(upath, vfs_chdir);
}

int32_t sys_mkdir(uint32_t upath, uint32_t mode, uint32_t a3, uint32_t a4, uint32_t a5)
{
    (void)a3; (void)a4; (void)a5;
    char path[TP_PATH_MAX];
    int err = path_in(path, upath);
    return err != 0 ? err : vfs_mkdir(proc_current(), path, (int)mode);
}

int32_t sys_rename(uint32_t ufrom, uint32_t uto, uint32_t a3, uint32_t a4, uint32_t a5)
{
    (void)a3; (void)a4; (void)a5;
    char from[TP_PATH_MAX], to[TP_PATH_MAX];
    int err = path_in(from, ufrom);
    if (err == 0)
        err = path_in(to, uto);
    return err != 0 ? err : vfs_rename(proc_current(), from, to);
}

int32_t sys_getcwd(uint32_t ubuf, uint32_t n, uint32_t a3, uint32_t a4, uint32_t a5)
{
    (void)a3; (void)a4; (void)a5;
    char path[TP_PATH_MAX];
    int len = vfs_getcwd(proc_current(), path, sizeof path);
    if (len < 0)
        return len;
    if ((uint32_t)len > n)
        return -ERANGE;
    return copyout(ubuf, path, (size_t)len) != 0 ? -EFAULT : len;
}

/* getdents() on an acquired file (sys_getdents puts it). */
static int32_t getdents_file(struct file *f, uint32_t ubuf, uint32_t n)
{
    if (!user_range_ok(ubuf, n))
        return -EFAULT;
    if (n < sizeof(struct dirent))
        return -EINVAL;
    struct dirent chunk[CHUNK / sizeof(struct dirent)];
    uint32_t max = n / sizeof(struct dirent), done = 0;
    while (done < max) {
        size_t want = max - done < sizeof chunk / sizeof chunk[0] ? max - done
                                                                  : sizeof chunk / sizeof chunk[0];
        int got = vfs_getdents(f, chunk, want);
        if (got < 0)
            return done > 0 ? (int32_t)(done * sizeof(struct dirent)) : got;
        if (got > 0 && copyout(ubuf + done * sizeof(struct dirent), chunk,
                               (size_t)got * sizeof(struct dirent)) != 0)
            return -EFAULT;
        done += (uint32_t)got;
        if ((size_t)got < want)
            break;
    }
    return (int32_t)(done * sizeof(struct dirent));
}

int32_t sys_getdents(uint32_t fd, uint32_t ubuf, uint32_t n, uint32_t a4, uint32_t a5)
{
    (void)a4; (void)a5;
    struct file *f = file_acquire(proc_current(), (int)fd);
    if (f == NULL)
        return -EBADF;
    int32_t r = getdents_file(f, ubuf, n);
    file_put(f);
    return r;
}

int32_t sys_ftruncate(uint32_t fd, uint32_t length, uint32_t a3, uint32_t a4, uint32_t a5)
{
    (void)a3; (void)a4; (void)a5;
    struct file *f = file_acquire(proc_current(), (int)fd);
    if (f == NULL)
        return -EBADF;
    int32_t r = vfs_ftruncate(f, length);
    file_put(f);
    return r;
}
#endif /* LAB >= 4 */
