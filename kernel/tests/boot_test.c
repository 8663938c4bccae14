/*
 * boot_test.c -- lab 1: did we understand what the boot loader passed?
 */
#include "ktest.h"
#include "multiboot.h"
#include "arch/i386/multiboot_header.h"
#include <string.h>

extern char __kernel_start[], __kernel_end[];

KTEST(boot, multiboot_info)
{
    KEXPECT_EQ(boot_info.magic, MB_BOOTLOADER_MAGIC);
    /* Both QEMU and GRUB pass a command line and a memory map, and
     * multiboot_parse() must have read them without a complaint. */
    KEXPECT(boot_info.flags & MB_INFO_CMDLINE);
    KEXPECT(boot_info.flags & MB_INFO_MMAP);
    KEXPECT(boot_info.cmdline[0] != '\0');
    KEXPECT(boot_info.nregions > 0);
    KEXPECT_EQ(boot_info.warnings, 0);
}

KTEST(boot, cmdline)
{
    /* We run because the command line said test=...: it must be there. */
    KEXPECT(strstr(boot_info.cmdline, "test=") != NULL);
    KEXPECT(strlen(boot_info.cmdline) < BOOT_CMDLINE_MAX);
}

KTEST(boot, mmap_sane)
{
    uint64_t usable = 0;
    KASSERT(boot_info.nregions > 0);
    for (int i = 0; i < boot_info.nregions; i++) {
        const struct mem_region *r = &boot_info.regions[i];
        KEXPECT(r->length > 0);
        if (i > 0) {   /* sorted, and no region overlaps the one before */
            const struct mem_region *prev = &boot_info.regions[i - 1];
            KEXPECT(prev->base + prev->length <= r->base);
        }
        if (r->type == MB_MMAP_USABLE)
            usable += r->length;
    }
    KEXPECT_EQ(usable, boot_info.usable_bytes);
}

KTEST(boot, mmap_covers_kernel)
{
    /* The loader put us in RAM, so a usable region must hold the image. */
    /* SAFETY: pointer -> integer, for comparison with physical ranges. */
    uint64_t start = (uintptr_t)__kernel_start, end = (uintptr_t)__kernel_end;
    bool covered = false;
    for (int i = 0; i < boot_info.nregions; i++) {
        const struct mem_region *r = &boot_info.regions[i];
        if (r->type == MB_MMAP_USABLE && r->base <= start && end <= r->base + r->length)
            covered = true;
    }
    KEXPECT(covered);
    /* Below 1 MiB the BIOS always leaves at least 512 KiB usable. */
    KEXPECT(boot_info.regions[0].base == 0 && boot_info.regions[0].length >= 512 * 1024);
}
