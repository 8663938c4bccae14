/*
 * symbols.c -- address -> function name.
 *
 * The build links the kernel twice: the first link has an empty table;
 * tools/gen-ksyms.sh reads its function symbols with nm and writes them,
 * sorted, as an assembly file; the second link adds that table in the
 * .ksyms section, which kernel.ld places after all code so that no
 * function moves between the two links.
 */
#include "symbols.h"
#include <string.h>

extern char __text_start[], __text_end[];

const char *ksym_lookup(uintptr_t addr, uintptr_t *offset)
{
    /* SAFETY: pointer -> integer, only to compare with the code bounds. */
    if (addr < (uintptr_t)__text_start || addr >= (uintptr_t)__text_end ||
        ksyms_count == 0 || addr < ksyms_table[0].addr)
        return NULL;
    /* Binary search for the last symbol that starts at or below addr. */
    uint32_t lo = 0, hi = ksyms_count;   /* answer in [lo, hi) */
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (ksyms_table[mid].addr <= addr)
            lo = mid;
        else
            hi = mid;
    }
    if (offset)
        *offset = addr - ksyms_table[lo].addr;
    return ksyms_table[lo].name;
}

uintptr_t ksym_address(const char *name)
{
    for (uint32_t i = 0; i < ksyms_count; i++)
        if (strcmp(ksyms_table[i].name, name) == 0)
            return ksyms_table[i].addr;
    return 0;
}
