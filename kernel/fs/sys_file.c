/*
 * sys_file.c -- the file system calls: check and copy the arguments,
 * then file.c does the work. User buffers move through a kernel bounce
 * buffer in chunks, so a bad pointer anywhere gives -EFAULT.
 */
#if LAB >= 4
#include "fs/file.h"
#include "proc/process.h"
#include "proc/syscall.h"
#include "mm/usercopy.h"
#include "abi/errno.h"
#include "abi/stat.h"

#define CHUNK 512
#define PATH_MAX_LEN 128

int32_t sys_open(uint32_t upath, uint32_t flags, uint32_t a3, uint32_t a4, uint32_t a5)
{
    (void)a3; (void)a4; (void)a5;
    char path[PATH_MAX_LEN];
    int n = copyinstr(path, upath, sizeof path);
    if (n < 0)
        return n;
    return file_open(proc_current(), path, (int)flags);
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

/* read and write's common checks: the open file, or NULL and *err. */
static struct file *file_for_io(uint32_t fd, uint32_t ubuf, uint32_t n, int32_t *err)
{
    struct file *f = file_get(proc_current(), (int)fd);
    *err = f == NULL ? -EBADF : (int32_t)n < 0 ? -EINVAL : !user_range_ok(ubuf, n) ? -EFAULT : 0;
    return *err == 0 ? f : NULL;
}

int32_t sys_read(uint32_t fd, uint32_t ubuf, uint32_t n, uint32_t a4, uint32_t a5)
{
    (void)a4; (void)a5;
    int32_t err;
    struct file *f = file_for_io(fd, ubuf, n, &err);
    if (f == NULL)
        return err;
    char chunk[CHUNK];
    uint32_t done = 0;
    while (done < n) {
        uint32_t want = n - done < CHUNK ? n - done : CHUNK;
        int got = file_read(f, chunk, want);
        if (got < 0)
            return done > 0 ? (int32_t)done : got;
        if (got > 0 && copyout(ubuf + done, chunk, (size_t)got) != 0)
            return -EFAULT;
        done += (uint32_t)got;
        if ((uint32_t)got < want || f->kind == FILE_CONSOLE)
            break;                  /* the end, or one line of input */
    }
    return (int32_t)done;
}

int32_t sys_write(uint32_t fd, uint32_t ubuf, uint32_t n, uint32_t a4, uint32_t a5)
{
    (void)a4; (void)a5;
    int32_t err;
    struct file *f = file_for_io(fd, ubuf, n, &err);
    if (f == NULL)
        return err;
    char chunk[CHUNK];
    uint32_t done = 0;
    while (done < n) {
        uint32_t want = n - done < CHUNK ? n - done : CHUNK;
        if (copyin(chunk, ubuf + done, want) != 0)
            return done > 0 ? (int32_t)done : -EFAULT;
        int put = file_write(f, chunk, want);
        if (put < 0)
            return done > 0 ? (int32_t)done : put;
        done += (uint32_t)put;
    }
    return (int32_t)done;
}

int32_t sys_fstat(uint32_t fd, uint32_t ust, uint32_t a3, uint32_t a4, uint32_t a5)
{
    (void)a3; (void)a4; (void)a5;
    struct file *f = file_get(proc_current(), (int)fd);
    if (f == NULL)
        return -EBADF;
    struct stat st;
    file_stat(f, &st);
    return copyout(ust, &st, sizeof st);
}

int32_t sys_stat(uint32_t upath, uint32_t ust, uint32_t a3, uint32_t a4, uint32_t a5)
{
    (void)a3; (void)a4; (void)a5;
    char path[PATH_MAX_LEN];
    int n = copyinstr(path, upath, sizeof path);
    if (n < 0)
        return n;
    struct initrd_file node;
    int err = initrd_lookup(path, &node);
    if (err != 0)
        return err;
    struct stat st;
    initrd_stat(&node, &st);
    return copyout(ust, &st, sizeof st);
}
#endif /* LAB >= 4 */
