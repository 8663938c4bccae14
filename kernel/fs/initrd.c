/* initrd.c -- the boot module's cpio archive, unpacked into the root file system. */
#if LAB >= 4
#include "fs/initrd.h"
#include "fs/cpio.h"
#include "fs/vfs.h"
#include "abi/stat.h"
#include "console.h"
#include "multiboot.h"
#include <string.h>

static bool unpacked;

/* A member's name without a leading "./" or "/". */
static const char *member_name(const char *name)
{
    while (name[0] == '.' && name[1] == '/')
        name += 2;
    while (name[0] == '/')
        name++;
    return name;
}

/* Every member into the file system; how many went in. A member that
 * cannot (a device node, a name too long, no memory) is skipped with a
 * message: the rest still boots. */
static unsigned unpack(const uint8_t *archive, size_t size)
{
    size_t offset = 0;
    struct cpio_entry e;
    unsigned count = 0;
    int status;
    while ((status = cpio_next(archive, size, &offset, &e)) == CPIO_ENTRY) {
        const char *name = member_name(e.name);
        if (name[0] == '\0' || strcmp(name, ".") == 0)
            continue;
        int err = vfs_install(name, e.mode, e.data, e.size);
        if (err != 0)
            kprintf("initrd: %s not unpacked (error %d)\n", name, err);
        else
            count++;
    }
    if (status != CPIO_END)
        kprintf("initrd: the archive ends early: %s\n", cpio_strerror(status));
    return count;
}

bool initrd_init(void)
{
    if (!vfs_init()) {
        kprintf("initrd: no memory for the root file system\n");
        return false;
    }
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
    unsigned n = unpack(start, m->end - m->start);
    kprintf("initrd: %u bytes at 0x%08x, %u files unpacked into /\n",
            (unsigned)(m->end - m->start), m->start, n);
    unpacked = true;
    return true;
}

bool initrd_present(void)
{
    return unpacked;
}
#endif /* LAB >= 4 */
