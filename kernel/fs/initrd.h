/*
 * initrd.h -- the initial RAM disk: a cpio archive the boot loader loaded.
 *
 * GRUB's `module` line (or QEMU's -initrd) puts the archive in memory and
 * Multiboot tells us where; we read files straight out of it. Read-only in
 * this lab (the next one unpacks it into a writable file system).
 */
#ifndef FS_INITRD_H
#define FS_INITRD_H

#if LAB >= 4
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct initrd_file {
    const uint8_t *data;
    size_t size;
    uint32_t mode;      /* S_IF* | permissions (abi/stat.h) */
    uint32_t ino;
    bool is_dir;
};

/* Use the first Multiboot module as the initrd; false if there is none
 * or it is not a cpio archive. */
bool initrd_init(void);
bool initrd_present(void);
/* Find an absolute or relative path ("/bin/sh", "bin/sh"; "." and ".."
 * are resolved); 0, -ENOENT, -ENAMETOOLONG. A directory is any path that
 * is a prefix of a member's name, or a member that is a directory. */
int initrd_lookup(const char *path, struct initrd_file *file);
#endif /* LAB >= 4 */

#endif
