/*
 * heap.c -- kmalloc's allocator: first fit over an address-ordered free
 * list, with neighbours merged on free.
 *
 * Blocks tile the heap from `start` to `end` without gaps, each starting
 * with a header; so the heap can be walked block by block (heap_check)
 * and a free block can merge with the free blocks right before and after
 * it. Memory arrives from grow() at the end, in HEAP_GROW_UNIT pieces.
 *
 * Debug mode, for finding the bugs C makes easy:
 *   - HEAP_REDZONE bytes of 0xFD after every block: a write past the end
 *     shows at free (or heap_check) as an overrun;
 *   - freed payloads are filled with 0x6B: code that keeps using a freed
 *     block reads garbage at once, and a write to it shows in heap_check;
 *   - a second free of the same block is recognized and reported with who
 *     allocated it and who freed it, instead of corrupting the free list.
 */
#if LAB >= 3
#include "mm/heap.h"
#include "lab.h"
#include <string.h>

#define MAGIC_USED 0x55534544u   /* "USED" */
#define MAGIC_FREE 0x46524545u   /* "FREE" */

struct heap_block {
    uint32_t magic;
    uint32_t requested;         /* bytes asked for (in-use blocks) */
    size_t size;                /* whole block, header included */
    uintptr_t owner;            /* who allocated it */
    struct heap_block *next;    /* next free block (free blocks) */
};

#define ALIGN_UP(x, a) (((x) + ((a) - 1)) & ~((uintptr_t)(a) - 1))
/* Headers are rounded up so that payloads stay 16-byte aligned. */
#define HDR ALIGN_UP(sizeof(struct heap_block), 16)
#define MIN_BLOCK (HDR + 16)

static uintptr_t addr(const void *p)
{
    /* SAFETY: pointer -> integer, for address arithmetic on heap memory. */
    return (uintptr_t)p;
}

static struct heap_block *block_at(uintptr_t a)
{
    /* SAFETY: integer -> pointer; callers pass addresses inside
     * [h->start, h->end), which the heap owns. */
    return (struct heap_block *)a;
}

static void *payload(struct heap_block *b)
{
    /* SAFETY: integer -> pointer: b is a block inside the heap, and its
     * payload starts HDR bytes in, still inside it (size >= HDR). */
    return (void *)(addr(b) + HDR);
}

void heap_init(struct heap *h, uintptr_t start, heap_grow_fn grow, heap_report_fn report,
               bool debug)
{
    memset(h, 0, sizeof *h);
    h->start = h->end = ALIGN_UP(start, 16);
    h->grow = grow;
    h->report = report;
    h->debug = debug;
}

static void report(struct heap *h, enum heap_error e, const void *ptr, uintptr_t caller,
                   uintptr_t owner)
{
    h->errors++;
    if (h->report)
        h->report(h, e, ptr, caller, owner);
}

/* Put a free block into the address-ordered list and merge it with the
 * blocks on either side when they are free and adjacent. */
static void insert_free(struct heap *h, struct heap_block *b)
{
#if SOLVED >= 3
    struct heap_block **link = &h->free_list, *prev = NULL;
    while (*link != NULL && addr(*link) < addr(b)) {
        prev = *link;
        link = &(*link)->next;
    }
    b->magic = MAGIC_FREE;
    b->next = *link;
    *link = b;
    if (b->next != NULL && addr(b) + b->size == addr(b->next)) {
        struct heap_block *n = b->next;
        b->size += n->size;
        b->next = n->next;
        if (h->debug)
            memset(n, HEAP_POISON_FREE, HDR);      /* the old header is payload now */
    }
    if (prev != NULL && addr(prev) + prev->size == addr(b)) {
        prev->size += b->size;
        prev->next = b->next;
        if (h->debug)
            memset(b, HEAP_POISON_FREE, HDR);
    }
#else
    /* LAB 3 exercise 4: insert b into h->free_list, which is sorted by
     * address, mark it MAGIC_FREE, and merge it with the next free block
     * and with the previous one when they touch (addr + size == next).
     * In debug mode, poison a merged-away header with HEAP_POISON_FREE. */
    (void)h; (void)b;
    LAB_TODO_ONCE(3, 4, "insert_free()");
#endif
}

/* Remove b from the free list. */
static void unlink_free(struct heap *h, struct heap_block *b)
{
    struct heap_block **link = &h->free_list;
    while (*link != b)
        link = &(*link)->next;
    *link = b->next;
}

/* Where in free block b an aligned payload of `need` bytes would start,
 * or 0 if it does not fit. A gap before the header must be either empty
 * or big enough to stay a free block of its own. */
static uintptr_t fit(const struct heap_block *b, size_t need, size_t align)
{
    uintptr_t p = ALIGN_UP(addr(b) + HDR, align);
    while (p - HDR != addr(b) && p - HDR - addr(b) < MIN_BLOCK)
        p += align;
    return p + need <= addr(b) + b->size ? p : 0;
}

static bool grow(struct heap *h, size_t bytes)
{
    bytes = ALIGN_UP(bytes, HEAP_GROW_UNIT);
    if (h->grow == NULL || !h->grow(h, bytes))
        return false;
    struct heap_block *b = block_at(h->end);
    h->end += bytes;
    b->size = bytes;
    b->owner = 0;                       /* never allocated: no owner */
    if (h->debug)
        memset(payload(b), HEAP_POISON_FREE, bytes - HDR);
    insert_free(h, b);
    return true;
}

void *heap_alloc(struct heap *h, size_t size, size_t align, uintptr_t caller)
{
    if (size == 0 || size > 0x40000000u || (align & (align - 1)) != 0)
        return NULL;
    if (align < 16)
        align = 16;
    size_t need = ALIGN_UP(size + (h->debug ? HEAP_REDZONE : 0), 16);
    for (int attempt = 0; attempt < 2; attempt++) {
        for (struct heap_block *b = h->free_list; b != NULL; b = b->next) {
            uintptr_t p = fit(b, need, align);
            if (p == 0)
                continue;
            uintptr_t block_end = addr(b) + b->size;
            struct heap_block *used = block_at(p - HDR);
            unlink_free(h, b);
            if (used != b) {                    /* the gap before stays free */
                b->size = addr(used) - addr(b);
                insert_free(h, b);
            }
            used->size = block_end - addr(used);
            if (used->size - HDR - need >= MIN_BLOCK) {   /* split off the tail */
                struct heap_block *tail = block_at(p + need);
                tail->size = used->size - HDR - need;
                tail->owner = 0;
                used->size = HDR + need;
                insert_free(h, tail);
            }
            used->magic = MAGIC_USED;
            used->requested = (uint32_t)size;
            used->owner = caller;
            used->next = NULL;
            /* SAFETY: integer -> pointer: p is the payload fit() placed in
             * `used`, so [p, p + used->size - HDR) is the block's own
             * memory, the redzone after the request included. */
            if (h->debug)
                memset((void *)(p + size), HEAP_POISON_REDZONE, used->size - HDR - size);
            h->bytes_in_use += size;
            h->blocks_in_use++;
            return (void *)p;
        }
        /* Nothing fits: grow by enough for the worst alignment gap. */
        if (attempt == 0 && !grow(h, need + align + 2 * MIN_BLOCK))
            return NULL;
    }
    return NULL;
}

/* Is ptr inside some free block? (Then freeing it is a double free.) */
static bool inside_free_block(const struct heap *h, uintptr_t p)
{
    for (const struct heap_block *b = h->free_list; b != NULL; b = b->next)
        if (p >= addr(b) && p < addr(b) + b->size)
            return true;
    return false;
}

static bool redzone_intact(const struct heap_block *b)
{
    const uint8_t *z = (const uint8_t *)payload((struct heap_block *)b) + b->requested;
    for (size_t i = 0; i < b->size - HDR - b->requested; i++)
        if (z[i] != HEAP_POISON_REDZONE)
            return false;
    return true;
}

void heap_free(struct heap *h, void *ptr, uintptr_t caller)
{
    if (ptr == NULL)
        return;
    uintptr_t p = addr(ptr);
    struct heap_block *b = block_at(p - HDR);
    if (p % 16 != 0 || p < h->start + HDR || p >= h->end || b->magic != MAGIC_USED) {
        bool twice = p >= h->start && p < h->end && inside_free_block(h, p);
        /* A block freed once and not merged away still names its owner. */
        uintptr_t owner = twice && p % 16 == 0 && b->magic == MAGIC_FREE ? b->owner : 0;
        report(h, twice ? HEAP_DOUBLE_FREE : HEAP_BAD_POINTER, ptr, caller, owner);
        return;
    }
    if (h->debug && !redzone_intact(b))
        report(h, HEAP_OVERRUN, ptr, caller, b->owner);
    h->bytes_in_use -= b->requested;
    h->blocks_in_use--;
    if (h->debug)
        memset(ptr, HEAP_POISON_FREE, b->size - HDR);
    insert_free(h, b);
}

size_t heap_block_size(const void *ptr)
{
    return block_at(addr(ptr) - HDR)->requested;
}

static bool poison_intact(const struct heap_block *b)
{
    const uint8_t *q = (const uint8_t *)payload((struct heap_block *)b);
    for (size_t i = 0; i < b->size - HDR; i++)
        if (q[i] != HEAP_POISON_FREE)
            return false;
    return true;
}

size_t heap_check(struct heap *h)
{
    size_t before = h->errors;
    for (uintptr_t a = h->start; a < h->end;) {
        struct heap_block *b = block_at(a);
        if ((b->magic != MAGIC_USED && b->magic != MAGIC_FREE) || b->size < MIN_BLOCK ||
            b->size > h->end - a) {
            report(h, HEAP_BAD_POINTER, payload(b), 0, 0);   /* a header was overwritten */
            break;
        }
        if (h->debug && b->magic == MAGIC_USED && !redzone_intact(b))
            report(h, HEAP_OVERRUN, payload(b), 0, b->owner);
        if (h->debug && b->magic == MAGIC_FREE && !poison_intact(b))
            report(h, HEAP_USE_AFTER_FREE, payload(b), 0, b->owner);
        a += b->size;
    }
    return h->errors - before;
}

size_t heap_free_bytes(const struct heap *h)
{
    size_t n = 0;
    for (const struct heap_block *b = h->free_list; b != NULL; b = b->next)
        n += b->size;
    return n;
}
#endif /* LAB >= 3 */
