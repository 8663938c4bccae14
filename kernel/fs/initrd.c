/* initrd.c -- files straight out of the boot module's cpio archive. */
#if LAB >= 4
#include "fs/initrd.h"
#include "fs/cpio.h"
#include "abi/errno.h"
#include "abi/stat.h"
#include "console.h"
#include "multiboot.h"
#include <string.h>

#define PATH_MAX_LEN 128

static const uint8_t *archive;
static size_t archive_size;

bool initrd_init(void)
{
    if (boot_info.nmodules == 0)
        return false;
    const struct boot_module *m = &boot_info.modules[0];
    /* SAFETY: integer -> pointer through the direct map: the module's
     * frames are reserved (pmm) and below KERNEL_DIRECT_END. */
    const uint8_t *start = (const uint8_t *)(uintptr_t)m->start;
    size_t offset = 0;
    struct cpio_entry e;
    int first = cpio_next(start, m->end - m->start, &offset, &e);
    if (first < 0) {
        kprintf("initrd: module 0 (%s) is not a cpio archive: %s\n", m->name,
                cpio_strerror(first));
        return false;
    }
    archive = start;
    archive_size = m->end - m->start;
    kprintf("initrd: %u bytes at 0x%08x\n", (unsigned)archive_size, m->start);
    return true;
}

bool initrd_present(void)
{
    return archive != NULL;
}

/* "/bin/../bin/./sh" -> "bin/sh" in out; the root is "". */
static int normalize(const char *path, char *out)
{
    size_t len = 0;
    while (*path != '\0') {
        while (*path == '/')
            path++;
        size_t n = strcspn(path, "/");
        if (n == 0)
            break;
        if (n == 1 && path[0] == '.') {
            /* stay */
        } else if (n == 2 && path[0] == '.' && path[1] == '.') {
            while (len > 0 && out[len - 1] != '/')
                len--;              /* drop the last component */
            if (len > 0)
                len--;              /* and its slash */
        } else {
            if (len + (len > 0) + n >= PATH_MAX_LEN)
                return -ENAMETOOLONG;
            if (len > 0)
                out[len++] = '/';
            memcpy(out + len, path, n);
            len += n;
        }
        path += n;
    }
    out[len] = '\0';
    return 0;
}

/* A member's name without a leading "./" or "/". */
static const char *member_name(const char *name)
{
    while (name[0] == '.' && name[1] == '/')
        name += 2;
    while (name[0] == '/')
        name++;
    return name;
}

int initrd_lookup(const char *path, struct initrd_file *file)
{
    char want[PATH_MAX_LEN];
    int err = normalize(path, want);
    if (err != 0)
        return err;
    size_t want_len = strlen(want);
    memset(file, 0, sizeof *file);
    if (want_len == 0) {
        file->is_dir = true;
        file->mode = S_IFDIR | 0555;
        return 0;
    }
    size_t offset = 0;
    struct cpio_entry e;
    while (archive != NULL && cpio_next(archive, archive_size, &offset, &e) == CPIO_ENTRY) {
        const char *name = member_name(e.name);
        if (strcmp(name, want) == 0) {
            file->data = e.data;
            file->size = e.size;
            file->mode = e.mode;
            file->ino = e.ino;
            file->is_dir = S_ISDIR(e.mode);
            return 0;
        }
        if (strncmp(name, want, want_len) == 0 && name[want_len] == '/') {
            file->is_dir = true;        /* a directory only its members show */
            file->mode = S_IFDIR | 0555;
            return 0;
        }
    }
    return -ENOENT;
}
#endif /* LAB >= 4 */
