/*
 * kmalloc.c -- the kernel heap: heap.c's allocator on pages mapped at
 * KHEAP_BASE as the heap grows.
 *
 * Debug mode is on by default (cmdline kmalloc_debug=0 turns it off): a
 * teaching kernel would rather be slow than silently corrupt. An error it
 * finds is printed with the address of the code that freed the block and
 * of the code that allocated it, then the kernel panics.
 */
#if LAB >= 3
#include "mm/kmalloc.h"
#include "console.h"
#include "panic.h"
#include "symbols.h"
#include "arch/i386/paging.h"
#include "sanitizers/kasan.h"
#include <string.h>
#if LAB >= 4
#include "sync/spinlock.h"
#endif

/* From lab 4 on, a thread can be preempted anywhere, also halfway
 * through a change of the heap's free list, and another thread's kmalloc
 * (on this CPU or another) would then find it half changed: heap_spinlock
 * around each heap operation, with interrupts off so that the holder is
 * never preempted while other CPUs spin. Order: before frames_spinlock
 * (the heap grows with frame_alloc) and the console's lock (errors). */
#if LAB >= 4
static struct spinlock heap_spinlock = SPINLOCK_INIT("heap");
#endif
struct heap kheap;              /* protected by heap_spinlock */

static inline uint32_t heap_lock(void)
{
#if LAB >= 4
    return spin_lock_irqsave(&heap_spinlock);
#else
    return 0;                   /* one CPU, no threads: nobody to keep out */
#endif
}

static inline void heap_unlock(uint32_t saved)
{
#if LAB >= 4
    spin_unlock_irqrestore(&heap_spinlock, saved);
#else
    (void)saved;
#endif
}
bool kheap_errors_panic = true;
enum heap_error kheap_last_error;

/* Map fresh frames right after the heap's end. */
static bool kheap_grow(struct heap *h, size_t bytes)
{
    if (h->end + bytes > KHEAP_END)
        return false;
    for (uintptr_t va = h->end; va < h->end + bytes; va += PAGE_SIZE) {
        paddr_t frame = frame_alloc();
        if (frame == 0 || vm_map(&kernel_as, va, frame, PTE_W | PTE_G) != 0) {
            if (frame != 0)
                frame_free(frame);
            /* Give back what this call mapped already. */
            for (uintptr_t done = h->end; done < va; done += PAGE_SIZE)
                frame_free(vm_unmap(&kernel_as, done));
            return false;
        }
    }
#ifdef CONFIG_KASAN
    kasan_heap_grew(h->end, bytes);     /* map the new pages' shadow: "free" */
#endif
    return true;
}

static const char *const heap_error_names[] = {
    [HEAP_DOUBLE_FREE] = "double free",
    [HEAP_BAD_POINTER] = "free of a pointer kmalloc never returned",
    [HEAP_OVERRUN] = "write past the end of the block",
    [HEAP_USE_AFTER_FREE] = "write to a freed block",
};

static void print_code_address(const char *what, uintptr_t pc)
{
    uintptr_t offset = 0;
    const char *name = pc ? ksym_lookup(pc - 1, &offset) : NULL;
    if (name)
        kprintf("  %s 0x%08x %s+0x%x\n", what, (unsigned)pc, name, (unsigned)offset + 1);
    else if (pc)
        kprintf("  %s 0x%08x\n", what, (unsigned)pc);
}

static void kheap_report(struct heap *h, enum heap_error error, const void *ptr,
                         uintptr_t caller, uintptr_t owner)
{
    (void)h;
    kheap_last_error = error;
    kprintf("kmalloc: %s at %p\n", heap_error_names[error], ptr);
    print_code_address("freed by    ", caller);
    print_code_address("allocated by", owner);
    if (kheap_errors_panic)
        panic("kmalloc: %s at %p", heap_error_names[error], ptr);
}

void kheap_init(bool debug)
{
    heap_init(&kheap, KHEAP_BASE, kheap_grow, kheap_report, debug);
    kprintf("kmalloc: heap at 0x%08x, debug %s\n", KHEAP_BASE, debug ? "on" : "off");
}

/* heap_alloc, and with KASAN (make KASAN=1) room for its redzones and
 * metadata around the block, which kasan_kmalloc() then poisons and
 * fills in (sanitizers/kasan_layout.h); ebp is kmalloc's frame, where
 * KASAN's record of the allocation's call sites starts. Heap lock held. */
static void *alloc_locked(size_t size, size_t align, uintptr_t caller, uintptr_t ebp)
{
#ifdef CONFIG_KASAN
    size_t total = size == 0 ? 0 : kasan_kmalloc_total(size);
    if (total == 0)
        return NULL;
    void *p = kasan_heap_alloc(&kheap, total, align, caller);
    kasan_kmalloc(p, size, ebp);
    return p;
#else
    (void)ebp;
    return heap_alloc(&kheap, size, align, caller);
#endif
}

/* __builtin_return_address(0): who called kmalloc, for error reports;
 * __builtin_frame_address(0): where KASAN's stack of call sites starts. */
void *kmalloc(size_t size)
{
    uint32_t s = heap_lock();
    /* SAFETY: pointer -> integer: the caller's address and our frame's,
     * only printed (KASAN reads the saved return addresses above it). */
    void *p = alloc_locked(size, 16, (uintptr_t)__builtin_return_address(0),
                           (uintptr_t)__builtin_frame_address(0));
    heap_unlock(s);
    return p;
}

void *kmalloc_aligned(size_t size, size_t align)
{
    uint32_t s = heap_lock();
    /* SAFETY: as in kmalloc. */
    void *p = alloc_locked(size, align, (uintptr_t)__builtin_return_address(0),
                           (uintptr_t)__builtin_frame_address(0));
    heap_unlock(s);
    return p;
}

void *kcalloc(size_t n, size_t size)
{
    if (size != 0 && n > (size_t)-1 / size)
        return NULL;
    uint32_t s = heap_lock();
    /* SAFETY: as in kmalloc. */
    void *p = alloc_locked(n * size, 16, (uintptr_t)__builtin_return_address(0),
                           (uintptr_t)__builtin_frame_address(0));
    heap_unlock(s);
    if (p != NULL)
        memset(p, 0, n * size);
    return p;
}

void kfree(void *ptr)
{
    uint32_t s = heap_lock();
#ifdef CONFIG_KASAN
    /* KASAN checks the pointer, poisons the block and quarantines it;
     * the heap gets it back later (sanitizers/kasan_heap.c). */
    /* SAFETY: pointer -> integer: our frame, where the free's call sites
     * start. */
    kasan_kfree(&kheap, ptr, (uintptr_t)__builtin_frame_address(0));
#else
    /* SAFETY: as in kmalloc. */
    heap_free(&kheap, ptr, (uintptr_t)__builtin_return_address(0));
#endif
    heap_unlock(s);
}

struct kheap_usage kheap_usage(void)
{
    uint32_t s = heap_lock();
    struct kheap_usage u = { kheap.bytes_in_use, kheap.blocks_in_use, kheap.end - kheap.start };
    heap_unlock(s);
    return u;
}
#endif /* LAB >= 3 */
