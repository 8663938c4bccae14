/*
 * vfs.h -- the file system as processes see it: one in-memory file
 * system (ramfs.h) mounted at "/", filled from the initrd at boot, paths
 * resolved from each process's working directory.
 *
 * Locking: every ramfs call runs with interrupts off (this lab has one
 * CPU). A file's data moves in chunks of at most a page per call, so
 * interrupts are never off for long.
 *
 * Memory: file data takes whole frames, and a write that would leave
 * fewer than VFS_RESERVE_FRAMES free frames gets -ENOSPC instead, so a
 * full file system still leaves room to fork a shell and rm the file.
 */
#ifndef FS_VFS_H
#define FS_VFS_H

#if LAB >= 4
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VFS_RESERVE_FRAMES 256      /* 1 MiB */

struct process;
struct ramfs_node;
struct stat;
struct dirent;
struct file;

/* The empty root file system; false if there is no memory for it. */
bool vfs_init(void);
/* For the initrd: create path (absolute, its missing parent directories
 * too, mode 0755) as a directory or a regular file holding data[0..size),
 * with the given mode (S_IFDIR or S_IFREG | permissions). 0 or -errno. */
int vfs_install(const char *path, uint32_t mode, const void *data, size_t size);

/* p's working directory becomes dir (NULL: the root), held. */
void vfs_set_cwd(struct process *p, struct ramfs_node *dir);
/* child's working directory becomes parent's (fork). */
void vfs_copy_cwd(struct process *child, struct process *parent);
void vfs_drop_cwd(struct process *p);

/* The system calls' work; kernel strings and buffers. */
int vfs_open(struct process *p, const char *path, int flags, int mode);
int vfs_stat(struct process *p, const char *path, struct stat *st);
int vfs_mkdir(struct process *p, const char *path, int mode);
int vfs_rmdir(struct process *p, const char *path);
int vfs_unlink(struct process *p, const char *path);
int vfs_rename(struct process *p, const char *from, const char *to);
int vfs_chdir(struct process *p, const char *path);
/* p's working directory into buf: the length with the NUL, or -errno. */
int vfs_getcwd(struct process *p, char *buf, size_t n);
/* Up to max records of the directory open as f: how many, or -errno. */
int vfs_getdents(struct file *f, struct dirent *out, size_t max);
int vfs_ftruncate(struct file *f, uint32_t length);

/* For exec: the whole file at path (relative to p's working directory)
 * in contiguous kernel memory, *pages frames of it. 0, -ENOENT & co.,
 * -EACCES for a directory, -ENOMEM. vfs_unload gives it back. */
int vfs_load(struct process *p, const char *path, uint8_t **image, size_t *size,
             size_t *pages);
void vfs_unload(uint8_t *image, size_t pages);
#endif /* LAB >= 4 */

#endif
