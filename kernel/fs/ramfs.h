/*
 * ramfs.h -- the in-memory file system: a tree of directories and
 * regular files whose data lives in page-sized blocks.
 *
 * Pure logic: no locks, no hardware. Memory comes through the four hooks
 * of struct ramfs_alloc (the kernel's are frames and kmalloc, vfs.c; the
 * host tests' are malloc with a switch that makes them fail), so running
 * out is an -ENOSPC that leaves the tree as it was. The caller (vfs.c)
 * serialises every call.
 *
 * A node has exactly one name (there is no link()): it sits on its
 * parent's list of children with that name. A directory lists its
 * children in the order they arrived; each gets a "cookie" from its
 * directory's counter, and getdents() positions are cookies, so removing
 * entries while someone lists the directory never makes it skip or
 * repeat one. A node leaves the tree on unlink/rmdir (nlink 0) but lives
 * on while `refs` (open files, working directories) says someone uses it.
 *
 * Data: block i holds bytes [i * RAMFS_BLOCK, (i+1) * RAMFS_BLOCK). The
 * node points to the first RAMFS_DIRECT blocks itself (small files need
 * nothing more, as in ext2), the others through up to RAMFS_TABLES
 * tables, each itself a block of RAMFS_PER_TABLE block pointers; a NULL
 * table or pointer is a hole, which reads as zeros. Tables and data are blocks, so the kernel takes them
 * as whole frames and gets every one back when the file goes. Bytes at
 * offsets >= size in an allocated block are always zero (truncate clears
 * them), so growing a file never uncovers old data.
 */
#ifndef FS_RAMFS_H
#define FS_RAMFS_H

#if LAB >= 4
#include "abi/dirent.h"
#include "abi/stat.h"
#include "list.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RAMFS_BLOCK      4096u
#define RAMFS_PER_TABLE  (RAMFS_BLOCK / sizeof(uint8_t *))     /* 1024 on i386 */
#define RAMFS_DIRECT     12                                     /* 48 KiB */
#define RAMFS_TABLES     8
#define RAMFS_MAX_BLOCKS ((uint32_t)(RAMFS_DIRECT + RAMFS_TABLES * RAMFS_PER_TABLE))
#define RAMFS_MAX_SIZE   (RAMFS_BLOCK * RAMFS_MAX_BLOCKS)       /* 32 MiB + 48 KiB on i386 */

struct ramfs_alloc {
    void *(*zalloc)(size_t n);      /* n zeroed bytes, or NULL */
    void (*free)(void *p);
    void *(*block_alloc)(void);     /* RAMFS_BLOCK bytes (any content), or NULL */
    void (*block_free)(void *block);
};

struct ramfs_node {
    uint32_t ino;
    uint32_t mode;                  /* S_IFREG or S_IFDIR | permission bits */
    uint32_t nlink;                 /* 0: no longer in the tree */
    uint32_t refs;                  /* open files and working directories */
    uint32_t size;                  /* regular file: bytes */
    struct ramfs_node *parent;      /* the root's is itself; NULL once removed */
    struct list_node sibling;       /* on parent->children */
    uint32_t cookie;                /* its position in the parent's listing */
    char name[NAME_MAX + 1];
    /* directories */
    struct list_node children;      /* by cookie, ascending */
    uint32_t nchildren;
    uint32_t next_cookie;
    /* regular files */
    uint8_t *direct[RAMFS_DIRECT];  /* blocks 0 .. RAMFS_DIRECT - 1 */
    uint8_t **tables[RAMFS_TABLES]; /* each RAMFS_PER_TABLE block pointers */
};

struct ramfs {
    const struct ramfs_alloc *alloc;
    struct ramfs_node *root;
    uint32_t next_ino;
    uint32_t nodes;                 /* allocated, in the tree or not */
    uint32_t blocks;                /* data blocks allocated */
    uint32_t tables;                /* table blocks allocated */
};

static inline bool ramfs_is_dir(const struct ramfs_node *n) { return S_ISDIR(n->mode); }

/* An empty file system (just "/", mode 0755). 0 or -ENOSPC. */
int ramfs_init(struct ramfs *fs, const struct ramfs_alloc *alloc);

/* The node a path names, relative to cwd (NULL: the root) unless it
 * starts with '/'. Handles ".", "..", repeated and trailing slashes (a
 * trailing slash needs a directory). 0, -ENOENT, -ENOTDIR, -ENAMETOOLONG. */
int ramfs_resolve(struct ramfs *fs, struct ramfs_node *cwd, const char *path,
                  struct ramfs_node **out);
/* The directory holding a path's last component, and that component in
 * name (NAME_MAX + 1 bytes): "" for "/", and possibly "." or "..".
 * *slash tells whether the path ended in '/'. Errors as ramfs_resolve. */
int ramfs_resolve_parent(struct ramfs *fs, struct ramfs_node *cwd, const char *path,
                         struct ramfs_node **dir, char *name, bool *slash);
/* dir's child called name ("." and ".." too), or NULL. */
struct ramfs_node *ramfs_child(struct ramfs_node *dir, const char *name);

/* A new empty file (S_ISREG(mode)) or directory (S_ISDIR(mode)) in dir.
 * -EEXIST (also for "", "." and ".."), -ENOENT (dir was removed),
 * -ENOTDIR, -ENAMETOOLONG, -EINVAL (mode is neither), -ENOSPC. */
int ramfs_create(struct ramfs *fs, struct ramfs_node *dir, const char *name, uint32_t mode,
                 struct ramfs_node **out);
/* Remove a file's name: -ENOENT, -EISDIR (a directory; "", ".", ".."). */
int ramfs_unlink(struct ramfs *fs, struct ramfs_node *dir, const char *name);
/* Remove an empty directory: -ENOENT, -ENOTDIR, -ENOTEMPTY, -EINVAL ("",
 * "." or ".."). */
int ramfs_rmdir(struct ramfs *fs, struct ramfs_node *dir, const char *name);
/* Move (and rename) odir/oname to ndir/nname, replacing a file there by
 * a file or an empty directory by a directory. -ENOENT, -EINVAL (a
 * special name, or a directory into its own subtree), -ENOTDIR,
 * -EISDIR, -ENOTEMPTY. Never needs memory. */
int ramfs_rename(struct ramfs *fs, struct ramfs_node *odir, const char *oname,
                 struct ramfs_node *ndir, const char *nname);

/* Up to n bytes at off into buf: how many (0 at or past the end). */
size_t ramfs_read(const struct ramfs_node *file, uint32_t off, void *buf, size_t n);
/* n bytes from buf at off, allocating blocks and growing the file: how
 * many were written (fewer if memory ran out midway), or -ENOSPC if none
 * could be (also for a write past RAMFS_MAX_SIZE). */
int ramfs_write(struct ramfs *fs, struct ramfs_node *file, uint32_t off, const void *buf,
                size_t n);
/* Set the size: shrinking frees the blocks past it, growing leaves a
 * hole. 0, or -ENOSPC past RAMFS_MAX_SIZE. */
int ramfs_truncate(struct ramfs *fs, struct ramfs_node *file, uint32_t size);

/* Fill up to max records of dir's listing from position *pos (0 at the
 * start: ".", "..", then the children) and move *pos on. How many were
 * filled (0 at the end), or -ENOTDIR. */
int ramfs_getdents(const struct ramfs_node *dir, uint32_t *pos, struct dirent *out, size_t max);
void ramfs_stat(const struct ramfs_node *node, struct stat *st);
/* node's absolute path into buf (n bytes): its length with the NUL, or
 * -ENOENT (removed), -ERANGE (buf too small). */
int ramfs_path(const struct ramfs_node *node, char *buf, size_t n);

/* Count a user of node; ramfs_release frees it once it is out of the
 * tree and the last user has gone. */
void ramfs_hold(struct ramfs_node *node);
void ramfs_release(struct ramfs *fs, struct ramfs_node *node);
#endif /* LAB >= 4 */

#endif
