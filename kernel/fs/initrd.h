/*
 * initrd.h -- the initial RAM disk: a cpio archive the boot loader loaded.
 *
 * GRUB's `module` line (or QEMU's -initrd) puts the archive in memory and
 * Multiboot tells us where. At boot its members are copied into the
 * in-memory file system (fs/vfs.h), as Linux unpacks an initramfs: after
 * that, files are found, written and removed there, not in the archive.
 */
#ifndef FS_INITRD_H
#define FS_INITRD_H

#if LAB >= 4
#include <stdbool.h>

/* Make the root file system and unpack the first Multiboot module into
 * it; false if there is none or it is not a cpio archive (the root is
 * then empty). */
bool initrd_init(void);
/* Did initrd_init unpack an archive (so there are programs to run)? */
bool initrd_present(void);
#endif /* LAB >= 4 */

#endif
