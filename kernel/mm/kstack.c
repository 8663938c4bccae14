/* kstack.c -- kernel stacks with guard pages (see kstack.h). */
#if LAB >= 4
#include "mm/kstack.h"
#include "mm/pmm.h"
#include "arch/i386/paging.h"
#include "sync/spinlock.h"
#include <bitmap.h>
#ifdef CONFIG_KASAN
#include "sanitizers/kasan.h"
#endif

/* kstack_lock: the slot bitmap and the mappings of the kernel stack
 * area in kernel_as, shared by every thread on every CPU. Taken with
 * interrupts off (no preemption while we change them). Order: before
 * frames_spinlock. */
static struct spinlock kstack_lock = SPINLOCK_INIT("kstack");
static uint32_t slot_words[BITMAP_WORDS(KSTACK_SLOTS)];        /* protected by kstack_lock */
static struct bitmap slots = { slot_words, KSTACK_SLOTS };      /* protected by kstack_lock */

static uintptr_t slot_base(size_t slot)
{
    return KSTACK_AREA + slot * KSTACK_SLOT_SIZE;
}

#define KSTACK_PAGES (KSTACK_SIZE / PAGE_SIZE)

/* Unmap [base, end) and free the frames; for kstack_free and for undoing
 * a half-built stack. The frames go back in one lock round of the frame
 * allocator, not one per page (docs/bench.md: thread create + join). */
static void unmap_range(uintptr_t base, uintptr_t end)
{
    paddr_t frames[KSTACK_PAGES];
    size_t n = 0;
    for (uintptr_t va = base; va < end; va += PAGE_SIZE)
        frames[n++] = vm_unmap(&kernel_as, va);
    frame_free_many(frames, n);
}

bool kstack_alloc(struct kstack *ks)
{
    uint32_t s = spin_lock_irqsave(&kstack_lock);
    size_t slot = bitmap_find_first_zero(&slots, 0);
    if (slot >= KSTACK_SLOTS) {
        spin_unlock_irqrestore(&kstack_lock, s);
        return false;
    }
    uintptr_t top = slot_base(slot) + KSTACK_SLOT_SIZE, base = top - KSTACK_SIZE;
    paddr_t frames[KSTACK_PAGES];
    if (!frame_alloc_many(frames, KSTACK_PAGES)) {
        spin_unlock_irqrestore(&kstack_lock, s);
        return false;
    }
    for (size_t i = 0; i < KSTACK_PAGES; i++) {
        uintptr_t va = base + i * PAGE_SIZE;
        if (vm_map(&kernel_as, va, frames[i], PTE_W | PTE_G) != 0) {
            unmap_range(base, va);                          /* the pages mapped */
            frame_free_many(frames + i, KSTACK_PAGES - i);  /* and the rest */
            spin_unlock_irqrestore(&kstack_lock, s);
            return false;
        }
    }
#ifdef CONFIG_KASAN
    /* The stack's shadow: GCC's stack instrumentation writes it inline. */
    if (!kasan_stack_alloc(base, top)) {
        unmap_range(base, top);
        spin_unlock_irqrestore(&kstack_lock, s);
        return false;
    }
#endif
    bitmap_set(&slots, slot);
    spin_unlock_irqrestore(&kstack_lock, s);
    ks->base = base;
    ks->top = top;
    ks->guard = KSTACK_SLOT_SIZE - KSTACK_SIZE;
    return true;
}

void kstack_free(struct kstack *ks)
{
    /* The stack's last thread may have run on another CPU: vm_unmap()
     * also invalidates the other CPUs' TLB entries for it (tlb_shootdown
     * from lab 5), before its frames can be reused. */
    uint32_t s = spin_lock_irqsave(&kstack_lock);
#ifdef CONFIG_KASAN
    kasan_stack_free(ks->base, ks->top);
#endif
    unmap_range(ks->base, ks->top);
    bitmap_clear(&slots, (ks->base - KSTACK_AREA) / KSTACK_SLOT_SIZE);
    spin_unlock_irqrestore(&kstack_lock, s);
    ks->base = ks->top = 0;
}

bool kstack_in_guard(const struct kstack *ks, uintptr_t addr)
{
    return addr < ks->base && addr >= ks->base - ks->guard;
}
#endif /* LAB >= 4 */
