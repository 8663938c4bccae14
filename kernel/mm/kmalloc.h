/* kmalloc.h -- the kernel heap. */
#ifndef KMALLOC_H
#define KMALLOC_H

#if LAB >= 3
#include "mm/heap.h"
#include <stddef.h>

/* Bytes, 16-byte aligned; NULL when size is 0 or memory runs out. */
void *kmalloc(size_t size);
/* n * size bytes, zeroed; NULL also when n * size overflows. */
void *kcalloc(size_t n, size_t size);
/* size bytes aligned to `align` (a power of two, up to 4096). */
void *kmalloc_aligned(size_t size, size_t align);
void kfree(void *ptr);

/* The heap's counters, read together under its lock (SYS_meminfo):
 * payload bytes and blocks in use (with KASAN: not counting the
 * quarantine, whose blocks are freed) and the bytes it has mapped. */
struct kheap_usage {
    size_t bytes_in_use, blocks_in_use, mapped;
};
struct kheap_usage kheap_usage(void);

/* Start the heap (after paging_init). debug: red zones and poison. */
void kheap_init(bool debug);
extern struct heap kheap;
/* Tests: count heap errors instead of panicking on them. */
extern bool kheap_errors_panic;
extern enum heap_error kheap_last_error;
#endif /* LAB >= 3 */

#endif
