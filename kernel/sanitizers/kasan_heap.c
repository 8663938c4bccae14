/*
 * kasan_heap.c -- KASAN in the kernel heap: redzones around each kmalloc
 * block, freed blocks poisoned and held in a quarantine, the call sites
 * of each allocation and free kept for the reports, and double and
 * invalid frees caught before the heap sees them.
 *
 * kmalloc.c calls these with the heap lock held (so the quarantine needs
 * no lock of its own). The layout of a block: kasan_layout.h.
 */
#ifdef CONFIG_KASAN     /* make KASAN=1; nothing otherwise */
#if LAB >= 3
#include "sanitizers/kasan_internal.h"
#include "sanitizers/kasan_layout.h"
#include "sanitizers/kasan_quarantine.h"
#include "console.h"
#include "mm/heap.h"
#include "backtrace.h"

/* Linux's default is 1/32 of RAM; 1 MiB of 128 holds thousands of
 * typical blocks, so a use after free a while later is still seen. */
#define QUARANTINE_BUDGET (1024u * 1024u)

static struct kasan_quarantine quarantine = { .budget = QUARANTINE_BUDGET };  /* heap lock */

static uintptr_t addr(const void *p)
{
    /* SAFETY: pointer -> integer for address arithmetic on heap blocks. */
    return (uintptr_t)p;
}

static struct kasan_meta *meta_of(uintptr_t p)
{
    /* SAFETY: integer -> pointer: p is a block kmalloc handed out (the
     * caller checked its shadow), whose metadata heap_block_size() and
     * the layout place inside the block. */
    return (struct kasan_meta *)(p + kasan_layout_meta_offset_from_total(
                                         heap_block_size((const void *)p)));
}

static uint8_t shadow_code(uintptr_t a)
{
    return *kasan_shadow_byte(&kasan_map, a);
}

size_t kasan_kmalloc_total(size_t size)
{
    return kasan_layout_total(size);
}

static void quarantine_shrink(struct heap *h);

/* heap_alloc, but the heap only grows when the quarantine is empty: the
 * quarantine gives its blocks back first. So the heap's size (and the
 * frames it holds) follows what callers hold, as without KASAN, and a
 * leak check that compares free frames across two identical runs
 * (usertests' no_frames_leaked) does not see the quarantine fill up in
 * the second run as a leak. Linux shrinks its quarantine under memory
 * pressure the same way (kasan_quarantine_reduce). */
void *kasan_heap_alloc(struct heap *h, size_t total, size_t align, uintptr_t caller)
{
    heap_grow_fn grow = h->grow;
    h->grow = NULL;                         /* first: no growing */
    void *p = heap_alloc(h, total, align, caller);
    h->grow = grow;
    if (p != NULL)
        return p;
    size_t budget = quarantine.budget;
    quarantine.budget = 0;                  /* empty it */
    quarantine_shrink(h);
    quarantine.budget = budget;
    return heap_alloc(h, total, align, caller);
}

void kasan_heap_grew(uintptr_t start, size_t bytes)
{
    if (kasan_map_shadow(start, start + bytes) && kasan_shadow_exists(start))
        kasan_shadow_poison(&kasan_map, start, bytes, KASAN_HEAP_FREE);
}

void kasan_kmalloc(void *ptr, size_t size, uintptr_t ebp)
{
    uintptr_t p = addr(ptr);
    if (ptr == NULL || !kasan_shadow_exists(p))
        return;
    size_t meta_off = kasan_layout_meta_offset(size);
    struct kasan_meta *m = meta_of(p);
    m->magic = KASAN_META_LIVE;
    m->size = (uint32_t)size;
    kasan_save_stack(ebp, m->alloc_stack, KASAN_STACK_DEPTH);
    m->free_stack[0] = 0;
    kasan_shadow_poison(&kasan_map, p - KASAN_LEFT_REDZONE, KASAN_LEFT_REDZONE,
                        KASAN_HEAP_LEFT);
    kasan_shadow_unpoison(&kasan_map, p, size);
    uintptr_t right = p + ((size + KASAN_GRANULE - 1) & ~(size_t)(KASAN_GRANULE - 1));
    kasan_shadow_poison(&kasan_map, right, p + meta_off + sizeof *m - right, KASAN_HEAP_RIGHT);
}

/* Give the oldest quarantined blocks back to the heap while the
 * quarantine is over its budget. Their shadow becomes "free heap". */
static void quarantine_shrink(struct heap *h)
{
    struct kasan_qnode *n;
    while ((n = kasan_quarantine_evict(&quarantine)) != NULL) {
        /* SAFETY: the node lives in the metadata of a quarantined block. */
        struct kasan_meta *m = (struct kasan_meta *)(addr(n) - offsetof(struct kasan_meta, qnode));
        uintptr_t p = addr(m) - kasan_layout_meta_offset(m->size);
        m->magic = 0;
        kasan_shadow_poison(&kasan_map, p - KASAN_LEFT_REDZONE, KASAN_LEFT_REDZONE + n->bytes,
                            KASAN_HEAP_FREE);
        /* Back in the heap's statistics for the moment heap_free takes
         * them out (kasan_kfree took them out when quarantining). */
        h->bytes_in_use += n->bytes;
        h->blocks_in_use++;
        /* SAFETY: integer -> pointer: the payload kmalloc handed out. */
        heap_free(h, (void *)p, m->alloc_stack[0]);
    }
}

/* A pointer kmalloc handed out has the left redzone right before it and
 * its first byte addressable (blocks are never empty). */
static bool looks_live(uintptr_t p)
{
    uint8_t first = shadow_code(p);
    return p % 16 == 0 && shadow_code(p - 1) == KASAN_HEAP_LEFT && (int8_t)first >= 0 &&
           meta_of(p)->magic == KASAN_META_LIVE;
}

static bool looks_freed(uintptr_t p)
{
    return p % 16 == 0 && shadow_code(p - 1) == KASAN_HEAP_LEFT &&
           shadow_code(p) == KASAN_HEAP_FREED && meta_of(p)->magic == KASAN_META_FREED;
}

void kasan_kfree(struct heap *h, void *ptr, uintptr_t ebp)
{
    uintptr_t p = addr(ptr);
    /* SAFETY: integer -> pointer: ebp is kfree's frame; [ebp + 4] is its
     * return address, the caller of kfree. */
    uintptr_t caller = ebp != 0 ? ((const uintptr_t *)ebp)[1] : 0;
    if (ptr == NULL)
        return;
    if (!kasan_shadow_exists(p) || !kasan_shadow_exists(p - 1) || p < h->start ||
        p >= h->end) {
        if (p >= h->start && p < h->end)
            heap_free(h, ptr, caller);      /* KASAN not on yet: the heap decides */
        else
            kasan_report_free("invalid-free", p, caller);
        return;
    }
    if (looks_freed(p)) {
        kasan_report_free("double-free", p, caller);
        return;
    }
    if (!looks_live(p)) {
        kasan_report_free("invalid-free", p, caller);
        return;
    }
    struct kasan_meta *m = meta_of(p);
    size_t total = heap_block_size(ptr);
    m->magic = KASAN_META_FREED;
    kasan_save_stack(ebp, m->free_stack, KASAN_STACK_DEPTH);
    kasan_shadow_poison(&kasan_map, p, total, KASAN_HEAP_FREED);
    /* Quarantined blocks do not count as in use: a leak check that
     * compares the heap's statistics before and after sees what callers
     * hold, as without KASAN. */
    h->bytes_in_use -= total;
    h->blocks_in_use--;
    kasan_quarantine_put(&quarantine, &m->qnode, total);
    quarantine_shrink(h);
}

void kasan_print_usage(const struct heap *h)
{
    kprintf("kasan: %u KiB of shadow mapped; quarantine %u KiB in %u blocks; heap %u KiB\n",
            kasan_shadow_kib(), (unsigned)(quarantine.bytes / 1024), (unsigned)quarantine.count,
            (unsigned)((h->end - h->start) / 1024));
}

/* ---- describing a block in a report ---- */

static void print_stack(const char *what, const uintptr_t *pcs)
{
    int n = 0;
    while (n < KASAN_STACK_DEPTH && pcs[n] != 0)
        n++;
    kprintf("%s:\n", what);
    if (n == 0)
        kprintf("  (unknown)\n");
    else
        backtrace_print(pcs, n);
}

/* The block's payload start: walk left from `bad` over the block's own
 * granules (its redzone, its payload or its freed shadow) to the left
 * redzone. 0 if none is found within a sane distance. */
static uintptr_t block_start(uintptr_t bad)
{
    uintptr_t a = bad & ~(uintptr_t)(KASAN_GRANULE - 1);
    if (shadow_code(a) == KASAN_HEAP_LEFT) {    /* left of the block: it follows */
        while (kasan_shadow_exists(a) && shadow_code(a) == KASAN_HEAP_LEFT)
            a += KASAN_GRANULE;
        return a;
    }
    for (int steps = 0; steps < (1 << 20) && kasan_shadow_exists(a - 1); steps++) {
        if (shadow_code(a - 1) == KASAN_HEAP_LEFT)
            return a;
        a -= KASAN_GRANULE;
    }
    return 0;
}

void kasan_heap_describe(uintptr_t bad)
{
    uintptr_t p = block_start(bad);
    if (p == 0 || p % 16 != 0)
        return;
    struct kasan_meta *m = meta_of(p);
    if (m->magic != KASAN_META_LIVE && m->magic != KASAN_META_FREED)
        return;
    long off = (long)(bad - p);
    kprintf("The address is %ld bytes %s the %u-byte block [0x%08x, 0x%08x)%s.\n",
            off < 0 ? -off : off < (long)m->size ? off : off - (long)m->size,
            off < 0 ? "left of" : off < (long)m->size ? "inside" : "right of",
            (unsigned)m->size, (unsigned)p, (unsigned)(p + m->size),
            m->magic == KASAN_META_FREED ? ", freed" : "");
    print_stack("Allocated by", m->alloc_stack);
    if (m->magic == KASAN_META_FREED)
        print_stack("Freed by", m->free_stack);
}
#endif /* LAB >= 3 */
#endif /* CONFIG_KASAN */
