/* symbols.h -- the kernel's own symbol table, for readable backtraces. */
#ifndef SYMBOLS_H
#define SYMBOLS_H

#include <stdint.h>

/* One function: its start address and name. The table is generated from
 * the linked kernel by tools/gen-ksyms.sh and linked in (see Makefile). */
struct ksym {
    uintptr_t addr;
    const char *name;
};

extern const uint32_t ksyms_count;
extern const struct ksym ksyms_table[];   /* sorted by addr */

/* The function containing `addr`, and addr's offset into it; NULL when the
 * address is outside the kernel's code. */
const char *ksym_lookup(uintptr_t addr, uintptr_t *offset);
/* A function's start address by name, or 0. */
uintptr_t ksym_address(const char *name);

#endif
