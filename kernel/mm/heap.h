/* heap.h -- a first-fit heap with a debug mode (pure logic, host-tested). */
#ifndef HEAP_H
#define HEAP_H

#if LAB >= 3
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What the debug mode catches. */
enum heap_error {
    HEAP_DOUBLE_FREE = 1,   /* free of a block that is already free */
    HEAP_BAD_POINTER,       /* free of something kmalloc never returned */
    HEAP_OVERRUN,           /* the red zone after the block was written */
    HEAP_USE_AFTER_FREE,    /* a free block's poison was overwritten */
};

struct heap;
/* Append at least `bytes` (a multiple of HEAP_GROW_UNIT) of fresh memory
 * right after the heap's current end; return false if there is none. */
typedef bool (*heap_grow_fn)(struct heap *h, size_t bytes);
/* Called on every error the heap detects; `caller` is who called free,
 * `owner` who allocated the block (0 if unknown). */
typedef void (*heap_report_fn)(struct heap *h, enum heap_error error, const void *ptr,
                               uintptr_t caller, uintptr_t owner);

#define HEAP_GROW_UNIT 4096
#define HEAP_REDZONE   16       /* bytes after each block in debug mode */
#define HEAP_POISON_FREE   0x6B /* fills freed payloads in debug mode */
#define HEAP_POISON_REDZONE 0xFD

struct heap_block;

struct heap {
    uintptr_t start, end;       /* [start, end): memory the heap owns */
    struct heap_block *free_list;   /* address-ordered */
    heap_grow_fn grow;
    heap_report_fn report;
    bool debug;                 /* red zones, poison, checks */
    /* statistics */
    size_t bytes_in_use;        /* payload bytes handed out */
    size_t blocks_in_use;
    size_t errors;
    void *ctx;                  /* for grow/report */
};

/* An empty heap at `start` (aligned to 16); memory comes from grow(). */
void heap_init(struct heap *h, uintptr_t start, heap_grow_fn grow, heap_report_fn report,
               bool debug);
/* size bytes aligned to `align` (a power of two; at least 16). NULL when
 * size is 0 or memory runs out. `caller` is recorded for reports. */
void *heap_alloc(struct heap *h, size_t size, size_t align, uintptr_t caller);
/* Free a block (NULL is allowed and ignored). Errors are reported. */
void heap_free(struct heap *h, void *ptr, uintptr_t caller);
/* The usable size of a block, as requested. */
size_t heap_block_size(const void *ptr);
/* Walk the whole heap; report and count inconsistencies (debug mode). */
size_t heap_check(struct heap *h);
/* Bytes in free blocks. */
size_t heap_free_bytes(const struct heap *h);
#endif /* LAB >= 3 */

#endif
