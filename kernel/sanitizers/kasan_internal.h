/* kasan_internal.h -- what the KASAN runtime's files share (not for the
 * rest of the kernel: kasan.h is). */
#ifndef SANITIZERS_KASAN_INTERNAL_H
#define SANITIZERS_KASAN_INTERNAL_H

#include "sanitizers/kasan.h"
#include "sanitizers/kasan_shadow.h"
#include <stdbool.h>
#include <stdint.h>

extern const struct kasan_shadow kasan_map;

/* Does a have mapped shadow (and is KASAN on)? */
bool kasan_shadow_exists(uintptr_t a);
/* Is a checked by KASAN now (on, its shadow mapped, not inside a report)? */
bool kasan_has_shadow(uintptr_t a);
/* A bad access of [addr, addr + size): print the report. */
void kasan_report_access(uintptr_t addr, size_t size, bool write, uintptr_t pc);
/* Report a bad kfree(p) (kind: double-free, invalid-free). */
void kasan_report_free(const char *kind, uintptr_t p, uintptr_t pc);
/* For a report: the block around a bad heap address, its size and its
 * allocation's and free's call sites (kasan_heap.c). */
void kasan_heap_describe(uintptr_t bad);
/* Up to n return addresses from the frame at ebp (0-ended when fewer). */
void kasan_save_stack(uintptr_t ebp, uintptr_t *pcs, int n);
/* Run the constructors in .init_array (the globals' registration). */
void kasan_run_constructors(void);
void kasan_global_describe(uintptr_t addr);

#endif
