/*
 * kasan.h -- the kernel address sanitizer's hooks (make KASAN=1).
 *
 * The shadow: (addr >> 3) + KASAN_SHADOW_OFFSET for every kernel address
 * below KERNEL_SPACE_END, i.e. the 128 MiB [0x28000000, 0x30000000) of
 * the direct map's range, which the direct map never reaches in a KASAN
 * kernel (PMM_LIMIT stops there, pmm.h). Only part of it is ever mapped:
 *   - the kernel image's (globals, the boot stack), before paging goes on;
 *   - the heap's, as it grows (kheap_grow);
 *   - the thread stacks', as they are made (kstack_alloc).
 * Addresses without mapped shadow (page tables, frames through the direct
 * map, MMIO) are not checked. Before paging is on nothing is.
 *
 * Every hook is an empty inline without CONFIG_KASAN, so callers need no
 * #ifdef.
 */
#ifndef SANITIZERS_KASAN_H
#define SANITIZERS_KASAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KASAN_SHADOW_OFFSET 0x28000000u     /* = -fasan-shadow-offset (kasan.mk) */
#define KASAN_SHADOW_START  0x28000000u
#define KASAN_SHADOW_END    0x30000000u     /* shadow of [0, 0x40000000) */
#define KASAN_COVERED_END   0x40000000u     /* KERNEL_SPACE_END */

struct heap;

#ifdef CONFIG_KASAN
/* From paging_init, before CR3 is loaded: map the image's shadow (and the
 * page tables the heap's and stacks' shadow will need), run the globals'
 * constructors; checking starts once paging is on (kasan_start). */
bool kasan_init_shadow(void);
void kasan_start(void);
/* Map (zeroed) shadow for [lo, hi); false if out of frames. */
bool kasan_map_shadow(uintptr_t lo, uintptr_t hi);
/* Mark memory with shadow addressable / not, with a reason code. */
void kasan_unpoison(const void *p, size_t size);
void kasan_poison(const void *p, size_t size, uint8_t code);
/* A thread stack was made / freed (kstack.c). */
bool kasan_stack_alloc(uintptr_t base, uintptr_t top);
void kasan_stack_free(uintptr_t base, uintptr_t top);
/* kmalloc.c's hooks, called with the heap lock held. */
size_t kasan_kmalloc_total(size_t size);
void *kasan_heap_alloc(struct heap *h, size_t total, size_t align, uintptr_t caller);
void kasan_kmalloc(void *p, size_t size, uintptr_t ebp);
void kasan_kfree(struct heap *h, void *p, uintptr_t ebp);
void kasan_heap_grew(uintptr_t start, size_t bytes);
/* KiB of shadow mapped (the memory KASAN costs beside the redzones). */
unsigned kasan_shadow_kib(void);
/* One line for the monitor's `mem`: shadow, quarantine, heap size. */
void kasan_print_usage(const struct heap *h);
/* Check [p, p + size) as an access by the code at pc (libk's string
 * functions check their whole range once). */
void kasan_check_range(const void *p, size_t size, bool write, uintptr_t pc);
#else
static inline void kasan_start(void) {}
static inline bool kasan_init_shadow(void) { return true; }
#endif

#endif
