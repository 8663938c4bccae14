/*
 * multiboot.h -- what a Multiboot v1 loader hands the kernel, and what the
 * kernel keeps of it.
 *
 * The loader's structures (Multiboot Specification 0.6.96, section 3.3)
 * are raw memory the kernel does not own and must not trust: every
 * pointer and length in them is checked before use, and what survives is
 * copied into a struct boot_info that the rest of the kernel reads.
 */
#ifndef MULTIBOOT_H
#define MULTIBOOT_H

#include <stdint.h>
#include <stdbool.h>

/* Bits of multiboot_info.flags: which fields the loader filled in. */
#define MB_INFO_MEMORY   (1u << 0)   /* mem_lower, mem_upper */
#define MB_INFO_CMDLINE  (1u << 2)   /* cmdline */
#define MB_INFO_MODS     (1u << 3)   /* mods_count, mods_addr */
#define MB_INFO_MMAP     (1u << 6)   /* mmap_length, mmap_addr */

struct multiboot_info {
    uint32_t flags;
    uint32_t mem_lower;     /* KiB below 1 MiB */
    uint32_t mem_upper;     /* KiB from 1 MiB to the first hole */
    uint32_t boot_device;
    uint32_t cmdline;       /* physical address of a NUL-terminated string */
    uint32_t mods_count;
    uint32_t mods_addr;     /* physical address of mods_count multiboot_module */
    uint32_t syms[4];
    uint32_t mmap_length;   /* bytes of memory map */
    uint32_t mmap_addr;     /* physical address of the first multiboot_mmap_entry */
} __attribute__((packed));

/* One memory-map entry. Careful: `size` counts the bytes *after* itself,
 * so the next entry starts at (entry address + size + 4). */
struct multiboot_mmap_entry {
    uint32_t size;
    uint64_t base;
    uint64_t length;
    uint32_t type;          /* 1 = usable RAM; anything else is reserved */
} __attribute__((packed));

#define MB_MMAP_USABLE 1

struct multiboot_module {
    uint32_t start;         /* physical, first byte */
    uint32_t end;           /* physical, one past the last byte */
    uint32_t cmdline;       /* physical address of a string, or 0 */
    uint32_t reserved;
} __attribute__((packed));

/* ---- What the kernel keeps (owned copies, already checked). ---- */

#define BOOT_CMDLINE_MAX 256
#define BOOT_MAX_REGIONS 32
#define BOOT_MAX_MODULES 16
#define BOOT_MODULE_NAME_MAX 64

struct mem_region {
    uint64_t base;
    uint64_t length;
    uint32_t type;
};

struct boot_module {
    uint32_t start, end;
    char name[BOOT_MODULE_NAME_MAX];
};

struct boot_info {
    uint32_t magic;
    uint32_t flags;
    char cmdline[BOOT_CMDLINE_MAX];
    /* The same string, copied by multiboot_parse() itself rather than by
     * lab 1's exercise, so that the test harness (test=, selftest=) works
     * on a lab-1 handout before the student has written mb_copy_cmdline(). */
    char harness_cmdline[BOOT_CMDLINE_MAX];
    struct mem_region regions[BOOT_MAX_REGIONS];
    int nregions;
    uint64_t usable_bytes;  /* sum of usable regions */
    struct boot_module modules[BOOT_MAX_MODULES];
    int nmodules;
    int warnings;           /* how many checks failed (each is printed) */
#if LAB >= 3
    /* Where the loader's own data lies (info, map, module list, strings):
     * the frame allocator must not hand these frames out. */
    struct { uint64_t start, end; } loader_ranges[BOOT_MAX_REGIONS];
    int nloader_ranges;
#endif
};

/* Filled in once by multiboot_parse() during boot, read-only afterwards. */
extern struct boot_info boot_info;

/* The loader's bytes [addr, addr + len), already checked to lie inside
 * physical memory, as a pointer (NULL: not readable). The kernel's
 * (multiboot_phys.c) is the identity, paging being off at that point; the
 * fuzzer's (kernel/tests/fuzz/multiboot_fuzz.c) reads a made-up memory,
 * so that this parser links on the host without touching hardware. */
const void *mb_phys(uint32_t addr, uint32_t len);

/* Check and copy the loader's information into boot_info.
 * Returns false if `magic` says no Multiboot loader started us. */
bool multiboot_parse(uint32_t magic, uint32_t info_addr);
void multiboot_print(void);

#endif
