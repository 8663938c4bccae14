/*
 * cpio_fuzz.c -- libFuzzer harness over the initrd's cpio reader
 * (kernel/fs/cpio.c): any bytes as the archive, walked member by member
 * as initrd.c's unpack() does, until the trailer or an error.
 *
 * Oracles besides ASan and UBSan (the archive is a heap block of exactly
 * its size): every member's name and data lie inside the archive, the
 * name is a string of exactly namelen bytes, each step moves the offset
 * forward to a multiple of 4 and never past the end, an error leaves the
 * offset and the entry as they were, and every status has a message.
 *
 *   make fuzz-cpio FUZZ_SECONDS=60       (make test-fuzz: a few seconds)
 */
#include "fuzz.h"

#if LAB >= 4
#include "fs/cpio.h"

/* [p, p + n) inside [base, base + len)? */
static int inside(const void *p, size_t n, const uint8_t *base, size_t len)
{
    const uint8_t *q = p;
    return q >= base && (size_t)(q - base) <= len && n <= len - (size_t)(q - base);
}

static void check_entry(const struct cpio_entry *e, const uint8_t *archive, size_t len)
{
    CHECK(inside(e->name, e->namelen + 1, archive, len));
    CHECK(e->name[e->namelen] == '\0' && strlen(e->name) == e->namelen);
    CHECK(inside(e->data, e->size, archive, len));
    fuzz_touch(e->data, e->size);       /* as vfs_install() copies them */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *archive = fuzz_copy(data, size, 0);
    size_t offset = 0;
    struct cpio_entry e, before;
    int status;
    memset(&e, 0x5a, sizeof e);
    for (;;) {
        size_t was = offset;
        before = e;
        status = cpio_next(archive, size, &offset, &e);
        CHECK(cpio_strerror(status) != NULL);
        if (status < 0) {
            CHECK(offset == was && memcmp(&e, &before, sizeof e) == 0);
            break;
        }
        CHECK(offset > was && offset <= size && offset % 4 == 0);
        if (status == CPIO_END)
            break;
        CHECK(status == CPIO_ENTRY);
        check_entry(&e, archive, size);
    }
    free(archive);
    return 0;
}
#endif /* LAB >= 4 */
