/*
 * multiboot_phys.c -- how multiboot.c reads the loader's memory in the
 * kernel: physical addresses are pointers, since multiboot_parse() runs
 * before paging is turned on. Apart from multiboot.c so that the parser
 * itself is pure and the fuzzer links it with its own mb_phys().
 */
#include "multiboot.h"

const void *mb_phys(uint32_t addr, uint32_t len)
{
    (void)len;
    /* SAFETY: integer -> pointer. Paging is off (identity), and mb_range()
     * checked that [addr, addr + len) is non-null and inside physical
     * memory before calling. */
    return (const void *)(uintptr_t)addr;
}
