/*
 * cpio.c -- walking a cpio "newc" archive (see cpio.h).
 *
 * The archive comes from outside the kernel (a Multiboot module built by
 * whoever built the initrd), so every number in it is checked before it
 * is used as a length, and every bound is checked as "size <= room left"
 * (room = len - offset, which cannot wrap because offset <= len is kept
 * as an invariant), never as "offset + size <= len", which wraps when
 * size is near 2^32 and would let a huge member pass.
 *
 * Decisions the format leaves open:
 *  - Every one of the 13 header fields must be exactly 8 hex digits
 *    (either case; GNU cpio writes upper case), even the ones nobody
 *    reads: a header with garbage in it is not a header we trust.
 *  - The name must end in a NUL at namesize-1 and hold no NUL before
 *    it. An earlier NUL would make strlen(name) disagree with namelen,
 *    and two readers of the same member could then see two different
 *    names ("bin/sh\0junk"); refusing it keeps the name unambiguous.
 *  - The padding after the name and after the data must be inside the
 *    archive (the next header starts after it), but its bytes are not
 *    checked: cpio writes NULs there and nothing reads them.
 *  - The trailer is checked like any member (header, name, data and
 *    padding in bounds); CPIO_END then moves *offset past it, so the
 *    caller learns where the archive ends (cpio pads it to 512-byte
 *    blocks after that).
 *  - Running out of archive where a header should start, without having
 *    met the trailer, is CPIO_TRUNCATED: a cut archive must not look
 *    complete.
 *  - On any error *offset and *entry are left as they were.
 */
#if LAB >= 4
#include "fs/cpio.h"
#include <string.h>

#define CPIO_MAGIC       "070701"
#define CPIO_MAGIC_LEN   6
#define CPIO_FIELD_LEN   8
#define CPIO_HEADER_LEN  110    /* magic + 13 fields of 8 hex digits */
#define CPIO_TRAILER     "TRAILER!!!"

/* The 13 fields, in header order (cpio(5), "New ASCII Format"). */
enum cpio_field {
    F_INO, F_MODE, F_UID, F_GID, F_NLINK, F_MTIME, F_FILESIZE,
    F_DEVMAJOR, F_DEVMINOR, F_RDEVMAJOR, F_RDEVMINOR, F_NAMESIZE, F_CHECK,
    F_COUNT
};

_Static_assert(CPIO_MAGIC_LEN + F_COUNT * CPIO_FIELD_LEN == CPIO_HEADER_LEN,
               "a newc header is 110 bytes");

/* The value of hex digit c, or -1 if c is not one. */
static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Parse exactly 8 hex digits at s. No sign, no "0x", no spaces: 8 hex
 * digits are 32 bits, so the value cannot overflow. */
static int parse_field(const char *s, uint32_t *value)
{
    uint32_t v = 0;
    for (int i = 0; i < CPIO_FIELD_LEN; i++) {
        int d = hex_digit(s[i]);
        if (d < 0)
            return CPIO_BAD_NUMBER;
        v = v << 4 | (uint32_t)d;
    }
    *value = v;
    return 0;
}

/* Check and parse the header at hdr (CPIO_HEADER_LEN bytes, in bounds). */
static int parse_header(const char *hdr, uint32_t fields[F_COUNT])
{
    if (memcmp(hdr, CPIO_MAGIC, CPIO_MAGIC_LEN) != 0)
        return CPIO_BAD_MAGIC;
    for (int f = 0; f < F_COUNT; f++)
        if (parse_field(hdr + CPIO_MAGIC_LEN + f * CPIO_FIELD_LEN, &fields[f]) < 0)
            return CPIO_BAD_NUMBER;
    return 0;
}

/* Step *pos over `size` bytes and then the padding to a multiple of 4,
 * if all of that fits in [*pos, len). Requires *pos <= len; keeps it. */
static int skip(size_t len, size_t *pos, size_t size)
{
    if (size > len - *pos)
        return CPIO_TRUNCATED;
    size_t end = *pos + size;
    size_t pad = (4 - (end & 3)) & 3;
    if (pad > len - end)
        return CPIO_TRUNCATED;
    *pos = end + pad;
    return 0;
}

/* The name is namesize bytes at name, in bounds: a NUL at the end and
 * none before it (see the top of the file for why). */
static int check_name(const char *name, uint32_t namesize)
{
    if (namesize == 0)
        return CPIO_BAD_NAME;
    if (name[namesize - 1] != '\0')
        return CPIO_BAD_NAME;
    if (memchr(name, '\0', namesize - 1) != NULL)
        return CPIO_BAD_NAME;
    return 0;
}

int cpio_next(const void *archive, size_t len, size_t *offset, struct cpio_entry *entry)
{
    const char *base = archive;
    size_t pos = *offset;
    uint32_t fields[F_COUNT];
    int err;

    if (pos > len || CPIO_HEADER_LEN > len - pos)
        return CPIO_TRUNCATED;
    if ((err = parse_header(base + pos, fields)) < 0)
        return err;
    pos += CPIO_HEADER_LEN;

    /* namesize 0 is a bad name, not a truncation: test it before the
     * bounds, which would let it through (0 bytes always fit). */
    uint32_t namesize = fields[F_NAMESIZE];
    if (namesize == 0)
        return CPIO_BAD_NAME;
    const char *name = base + pos;
    if ((err = skip(len, &pos, namesize)) < 0)
        return err;
    if ((err = check_name(name, namesize)) < 0)
        return err;

    const char *data = base + pos;
    uint32_t filesize = fields[F_FILESIZE];
    if ((err = skip(len, &pos, filesize)) < 0)
        return err;

    *offset = pos;
    if (namesize == sizeof CPIO_TRAILER && memcmp(name, CPIO_TRAILER, sizeof CPIO_TRAILER) == 0)
        return CPIO_END;
    entry->name = name;
    entry->namelen = namesize - 1;
    entry->data = data;
    entry->size = filesize;
    entry->mode = fields[F_MODE];
    entry->ino = fields[F_INO];
    return CPIO_ENTRY;
}

const char *cpio_strerror(int status)
{
    switch (status) {
    case CPIO_ENTRY:
        return "a member";
    case CPIO_END:
        return "end of archive";
    case CPIO_TRUNCATED:
        return "truncated: a header, name or data runs past the end";
    case CPIO_BAD_MAGIC:
        return "bad magic: not a newc header (070701)";
    case CPIO_BAD_NUMBER:
        return "bad number: a header field is not 8 hex digits";
    case CPIO_BAD_NAME:
        return "bad name: namesize 0, or the name is not one NUL-terminated string";
    default:
        return "unknown cpio status";
    }
}
#endif /* LAB >= 4 */
