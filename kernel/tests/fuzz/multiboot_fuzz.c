/*
 * multiboot_fuzz.c -- libFuzzer harness over the Multiboot information
 * parser (kernel/multiboot.c): the boot loader's structures, as a made-up
 * physical memory (fuzz_mem.h: chunks of "<u32 address> <u32 length>
 * <bytes>"). The first chunk's address is where the loader's
 * multiboot_info lies; every pointer in it points wherever the input says.
 * multiboot.c reads memory only through mb_phys(), defined here over that
 * memory: each range it asks for is a heap block of exactly that size, so
 * a read past what mb_range() checked is an ASan report.
 *
 * Oracles on what the kernel keeps (boot_info): at most BOOT_MAX_REGIONS
 * regions, sorted by base, none empty, usable_bytes their usable sum; at
 * most BOOT_MAX_MODULES modules, each start <= end, each name a string
 * inside its array; both command lines strings; from lab 3 the loader's
 * ranges non-empty and within the count. A panic is a finding.
 * Two oracles also check that the answer is right, not only safe: the
 * regions are those of a memory-map walk written here from the spec, and
 * lab 1's copy of the command line equals the harness's own copy.
 *
 *   make fuzz-multiboot FUZZ_SECONDS=60  (make test-fuzz: a few seconds)
 */
#include "fuzz.h"
#include "arch/i386/multiboot_header.h"
#include "fuzz_mem.h"
#include "multiboot.h"

const void *mb_phys(uint32_t addr, uint32_t len)
{
    return fuzz_mem_map(addr, len);
}

static void check_string(const char *s, size_t cap)
{
    CHECK(memchr(s, '\0', cap) != NULL);
}

static void check_regions(void)
{
    uint64_t usable = 0;
    CHECK(boot_info.nregions >= 0 && boot_info.nregions <= BOOT_MAX_REGIONS);
    for (int i = 0; i < boot_info.nregions; i++) {
        const struct mem_region *r = &boot_info.regions[i];
        CHECK(r->length != 0);
        CHECK(i == 0 || boot_info.regions[i - 1].base <= r->base);
        if (r->type == MB_MMAP_USABLE)
            usable += r->length;
    }
    CHECK(usable == boot_info.usable_bytes);
}

static void check_modules(void)
{
    CHECK(boot_info.nmodules >= 0 && boot_info.nmodules <= BOOT_MAX_MODULES);
    for (int i = 0; i < boot_info.nmodules; i++) {
        CHECK(boot_info.modules[i].start <= boot_info.modules[i].end);
        check_string(boot_info.modules[i].name, BOOT_MODULE_NAME_MAX);
    }
}

/* The memory map read here, independently: entries of size + 4 bytes,
 * kept while whole and not empty, first BOOT_MAX_REGIONS, sorted by base
 * with equal bases in map order (what an insertion sort gives). */
static int expected_regions(const struct multiboot_info *mbi, struct mem_region *out)
{
    if (!(mbi->flags & MB_INFO_MMAP))
        return 0;
    uint64_t limit = mbi->flags & MB_INFO_MEMORY ? 0x100000ull + (uint64_t)mbi->mem_upper * 1024
                                                 : 0x100000000ull;
    const uint8_t *map = fuzz_mem_map(mbi->mmap_addr, mbi->mmap_length);
    if (mbi->mmap_addr == 0 || map == NULL || (uint64_t)mbi->mmap_addr + mbi->mmap_length > limit)
        return 0;
    int n = 0;
    for (uint64_t off = 0; off + 24 <= mbi->mmap_length;) {
        struct multiboot_mmap_entry e;
        memcpy(&e, map + off, sizeof e);
        if (e.size < 20 || e.size > mbi->mmap_length - off - 4)
            break;
        if (e.length != 0 && n < BOOT_MAX_REGIONS) {
            int i = n++;
            for (; i > 0 && out[i - 1].base > e.base; i--)
                out[i] = out[i - 1];
            out[i] = (struct mem_region){ e.base, e.length, e.type };
        }
        off += (uint64_t)e.size + 4;
    }
    return n;
}

static void check_against_spec(uint32_t info_addr)
{
    const struct multiboot_info *mbi = fuzz_mem_map(info_addr, sizeof *mbi);
    if (info_addr == 0 || mbi == NULL)
        return;
    /* Only once lab 1's exercise 3 is written: its stubs read nothing. */
#if SOLVED >= 1
    struct mem_region want[BOOT_MAX_REGIONS];
    int n = expected_regions(mbi, want);
    CHECK(n == boot_info.nregions);
    for (int i = 0; i < n; i++)
        CHECK(want[i].base == boot_info.regions[i].base &&
              want[i].length == boot_info.regions[i].length &&
              want[i].type == boot_info.regions[i].type);
    CHECK(strcmp(boot_info.cmdline, boot_info.harness_cmdline) == 0);
#else
    (void)expected_regions;
#endif
}

static void check_boot_info(void)
{
    check_string(boot_info.cmdline, BOOT_CMDLINE_MAX);
    check_string(boot_info.harness_cmdline, BOOT_CMDLINE_MAX);
    check_regions();
    check_modules();
#if LAB >= 3
    CHECK(boot_info.nloader_ranges >= 0 && boot_info.nloader_ranges <= BOOT_MAX_REGIONS);
    for (int i = 0; i < boot_info.nloader_ranges; i++)
        CHECK(boot_info.loader_ranges[i].start < boot_info.loader_ranges[i].end);
#endif
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A private copy: the chunks point into it while the parser runs. */
    uint8_t *copy = fuzz_copy(data, size, 0);
    size_t off = 0;
    struct fuzz_chunk first = { 0, 0, NULL };
    fuzz_chunk_next(copy, size, &off, &first);
    fuzz_mem_load(copy, size);
    CHECK(multiboot_parse(MB_BOOTLOADER_MAGIC, first.addr));
    check_boot_info();
    check_against_spec(first.addr);
    multiboot_print();
    fuzz_mem_reset();
    free(copy);
    return 0;
}
