/*
 * cpio.h -- reading a cpio archive in the "newc" format (the initrd).
 *
 * Each member is a 110-byte ASCII header ("070701" then 13 fields of 8 hex
 * digits), the name (namesize bytes, NUL included), padding to a multiple
 * of 4, the data (filesize bytes), padding to a multiple of 4. The member
 * named "TRAILER!!!" ends the archive. (cpio(5), "New ASCII Format".)
 * Pure logic: it trusts nothing in the archive, and the host tests feed it
 * broken ones.
 */
#ifndef FS_CPIO_H
#define FS_CPIO_H

#if LAB >= 4
#include <stddef.h>
#include <stdint.h>

struct cpio_entry {
    const char *name;       /* inside the archive; NUL-terminated (checked) */
    size_t namelen;         /* without the NUL */
    const void *data;
    size_t size;
    uint32_t mode;          /* file type and permission bits (S_IF* of abi/stat.h) */
    uint32_t ino;
};

enum cpio_status {
    CPIO_ENTRY = 1,             /* *entry holds the next member */
    CPIO_END = 0,               /* the trailer: no more members */
    CPIO_TRUNCATED = -1,        /* a header, name or data runs past the end */
    CPIO_BAD_MAGIC = -2,        /* not "070701" */
    CPIO_BAD_NUMBER = -3,       /* a field is not 8 hex digits */
    CPIO_BAD_NAME = -4,         /* namesize 0, or the name has no NUL where it should */
};

/* Read the member at *offset of archive[0..len) into *entry and move
 * *offset past it. Start with *offset = 0. */
int cpio_next(const void *archive, size_t len, size_t *offset, struct cpio_entry *entry);
const char *cpio_strerror(int status);
#endif /* LAB >= 4 */

#endif
