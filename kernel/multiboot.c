/*
 * multiboot.c -- check and copy what the boot loader tells us.
 *
 * The loader's multiboot_info lives in memory we did not allocate and
 * its pointers point wherever the loader chose: a buggy loader (or a
 * hand-made test) can pass garbage. So nothing here dereferences a
 * loader pointer before mb_range() has checked it, and everything the
 * kernel needs later is copied into the kernel's own boot_info.
 */
#include "multiboot.h"
#include "arch/i386/multiboot_header.h"
#include "console.h"
#include "lab.h"
#include <string.h>
#if LAB >= 3
#include "panic.h"
#endif

struct boot_info boot_info;

/* Highest physical address a loader structure may reach. Paging is off,
 * so any address below the end of RAM is readable; we know that end from
 * mem_upper when the loader gave it, otherwise trust the 32-bit space. */
static uint64_t phys_limit = 0x100000000ull;

static void mb_warn(const char *what, uint32_t value)
{
    kprintf("multiboot: warning: %s (0x%x)\n", what, value);
    boot_info.warnings++;
}

/* The loader's bytes [addr, addr+len) as a pointer, or NULL when the range
 * is empty, starts at 0, wraps around, or runs past physical memory. */
#if LAB >= 3
/* Remember [start, end) as the loader's data, merged with the range noted
 * last when they touch (strings are read byte by byte). */
static void mb_note_range(uint64_t start, uint64_t end)
{
    int n = boot_info.nloader_ranges;
    if (n > 0 && boot_info.loader_ranges[n - 1].end >= start &&
        boot_info.loader_ranges[n - 1].start <= end) {
        if (end > boot_info.loader_ranges[n - 1].end)
            boot_info.loader_ranges[n - 1].end = end;
        if (start < boot_info.loader_ranges[n - 1].start)
            boot_info.loader_ranges[n - 1].start = start;
        return;
    }
    if (n == BOOT_MAX_REGIONS)
        panic("multiboot: loader data in more than %d places", BOOT_MAX_REGIONS);
    boot_info.loader_ranges[n].start = start;
    boot_info.loader_ranges[n].end = end;
    boot_info.nloader_ranges++;
}
#endif

static const void *mb_range(uint32_t addr, uint32_t len)
{
    uint64_t end = (uint64_t)addr + len;
    if (addr == 0 || len == 0 || end > phys_limit)
        return NULL;
    const void *p = mb_phys(addr, len);
    if (p == NULL)
        return NULL;
#if LAB >= 3
    mb_note_range(addr, end);
#endif
    return p;
}

/* Copy a loader string of at most cap-1 bytes; false if it is unreadable
 * or not NUL-terminated within cap bytes (then dst holds the prefix). */
static bool mb_copy_string(char *dst, size_t cap, uint32_t addr)
{
    dst[0] = '\0';
    /* The string may end close to the limit: check byte by byte. */
    for (size_t i = 0; i < cap; i++) {
        const char *p = mb_range(addr + i, 1);
        if (p == NULL)
            return false;
        dst[i] = *p;
        if (*p == '\0')
            return true;
    }
    dst[cap - 1] = '\0';
    return false;
}

static void mb_copy_cmdline(const struct multiboot_info *mbi)
{
#if SOLVED >= 1
    if (!(mbi->flags & MB_INFO_CMDLINE))
        return;
    if (!mb_copy_string(boot_info.cmdline, sizeof boot_info.cmdline, mbi->cmdline))
        mb_warn("command line unreadable or too long, cut to 255 characters", mbi->cmdline);
#else
    /* LAB 1 exercise 3a: if the loader set MB_INFO_CMDLINE, copy the
     * string at mbi->cmdline into boot_info.cmdline with mb_copy_string()
     * (it checks the pointer and the length for you). */
    (void)mbi;
    LAB_TODO(1, 3, "mb_copy_cmdline()");
#endif
}

/* Keep the regions sorted by base: loaders usually sort them, but the
 * spec does not promise it, and the frame allocator (lab 3) wants order. */
static void mb_add_region(uint64_t base, uint64_t length, uint32_t type)
{
    if (boot_info.nregions == BOOT_MAX_REGIONS) {
        mb_warn("too many memory regions", (uint32_t)base);
        return;
    }
    int i = boot_info.nregions++;
    while (i > 0 && boot_info.regions[i - 1].base > base) {
        boot_info.regions[i] = boot_info.regions[i - 1];
        i--;
    }
    boot_info.regions[i] = (struct mem_region){ base, length, type };
    if (type == MB_MMAP_USABLE)
        boot_info.usable_bytes += length;
}

static void mb_read_mmap(const struct multiboot_info *mbi)
{
#if SOLVED >= 1
    if (!(mbi->flags & MB_INFO_MMAP))
        return;
    const uint8_t *map = mb_range(mbi->mmap_addr, mbi->mmap_length);
    if (map == NULL) {
        mb_warn("memory map out of range", mbi->mmap_addr);
        return;
    }
    /* Entries have a variable size: each says how many bytes follow its
     * own `size` field. Walk by that, and stop before any entry that
     * would stick out of the map. */
    uint32_t offset = 0;
    while (offset + sizeof(struct multiboot_mmap_entry) <= mbi->mmap_length) {
        /* SAFETY: the whole entry lies inside the map checked above (loop
         * condition); packed struct, so no alignment is assumed. */
        const struct multiboot_mmap_entry *e = (const void *)(map + offset);
        if (e->size < sizeof *e - sizeof e->size) {
            mb_warn("memory map entry too short", e->size);
            return;
        }
        if (e->size > mbi->mmap_length - offset - sizeof e->size) {
            mb_warn("memory map entry runs past the map", e->size);
            return;
        }
        if (e->length != 0)
            mb_add_region(e->base, e->length, e->type);
        offset += e->size + sizeof e->size;
    }
#else
    /* LAB 1 exercise 3b: walk the memory map at mbi->mmap_addr
     * (mbi->mmap_length bytes; check it with mb_range()) and call
     * mb_add_region() for each entry. Entries are variable-sized: the next
     * one starts `size + 4` bytes after the current one. */
    (void)mbi; (void)mb_add_region;
    LAB_TODO(1, 3, "mb_read_mmap()");
#endif
}

static void mb_read_modules(const struct multiboot_info *mbi)
{
#if SOLVED >= 1
    if (!(mbi->flags & MB_INFO_MODS) || mbi->mods_count == 0)
        return;
    uint32_t count = mbi->mods_count;
    if (count > BOOT_MAX_MODULES) {
        mb_warn("too many modules, keeping the first 16", count);
        count = BOOT_MAX_MODULES;
    }
    const struct multiboot_module *mods =
        mb_range(mbi->mods_addr, count * sizeof *mods);
    if (mods == NULL) {
        mb_warn("module list out of range", mbi->mods_addr);
        return;
    }
    for (uint32_t i = 0; i < count; i++) {
        if (mods[i].end < mods[i].start || mods[i].end > phys_limit) {
            mb_warn("module with a bad range", mods[i].start);
            continue;
        }
        struct boot_module *m = &boot_info.modules[boot_info.nmodules++];
        m->start = mods[i].start;
        m->end = mods[i].end;
        if (mods[i].cmdline != 0 &&
            !mb_copy_string(m->name, sizeof m->name, mods[i].cmdline))
            mb_warn("module name unreadable or too long", mods[i].cmdline);
    }
#else
    /* LAB 1 exercise 3c: copy each of the mbi->mods_count modules (an
     * array of struct multiboot_module at mbi->mods_addr) into
     * boot_info.modules: start, end and the name string. Check the array
     * with mb_range() and each module's start <= end. */
    (void)mbi;
    LAB_TODO(1, 3, "mb_read_modules()");
#endif
}

bool multiboot_parse(uint32_t magic, uint32_t info_addr)
{
    memset(&boot_info, 0, sizeof boot_info);
    /* Forget an earlier call's memory size: each parse stands alone (the
     * kernel parses once; the fuzzer, kernel/tests/fuzz, millions of times). */
    phys_limit = 0x100000000ull;
    boot_info.magic = magic;
    if (magic != MB_BOOTLOADER_MAGIC)
        return false;
    const struct multiboot_info *mbi = mb_range(info_addr, sizeof *mbi);
    if (mbi == NULL) {
        mb_warn("no information structure", info_addr);
        return true;
    }
    boot_info.flags = mbi->flags;
    if (mbi->flags & MB_INFO_MEMORY)
        phys_limit = 0x100000ull + (uint64_t)mbi->mem_upper * 1024;
    if (mbi->flags & MB_INFO_CMDLINE)
        mb_copy_string(boot_info.harness_cmdline, sizeof boot_info.harness_cmdline,
                       mbi->cmdline);
    mb_copy_cmdline(mbi);
    mb_read_mmap(mbi);
    mb_read_modules(mbi);
    return true;
}

static const char *region_type_name(uint32_t type)
{
    switch (type) {
    case 1: return "usable";
    case 3: return "ACPI reclaimable";
    case 4: return "ACPI NVS";
    case 5: return "bad RAM";
    default: return "reserved";
    }
}

void multiboot_print(void)
{
    kprintf("multiboot: magic 0x%x, flags 0x%x\n", boot_info.magic, boot_info.flags);
    kprintf("cmdline: \"%s\"\n", boot_info.cmdline);
    /* The casts: uint64_t is unsigned long on a 64-bit host (the fuzzer). */
    kprintf("memory: %llu KiB usable in %d regions\n",
            (unsigned long long)(boot_info.usable_bytes / 1024), boot_info.nregions);
    for (int i = 0; i < boot_info.nregions; i++) {
        const struct mem_region *r = &boot_info.regions[i];
        kprintf("  [mem 0x%09llx-0x%09llx] %s\n", (unsigned long long)r->base,
                (unsigned long long)(r->base + r->length - 1), region_type_name(r->type));
    }
    kprintf("modules: %d\n", boot_info.nmodules);
    for (int i = 0; i < boot_info.nmodules; i++) {
        const struct boot_module *m = &boot_info.modules[i];
        kprintf("  module %d: 0x%08x-0x%08x \"%s\"\n", i, m->start, m->end, m->name);
    }
}
