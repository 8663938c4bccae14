/*
 * mmio.c -- the uncached mapping window for device registers (mmio.h).
 *
 * A bump allocator over the window's pages: device mappings are made at
 * boot and by drivers' init and never undone, so nothing is ever freed.
 * A small table of what is mapped lets a second mmio_map() of the same
 * registers (every CPU asks for its local APIC's page) reuse the
 * mapping instead of using up the window.
 */
#if LAB >= 5
#include "arch/i386/mmio.h"
#include "arch/i386/paging.h"
#include "console.h"
#include "sync/spinlock.h"

#define MMIO_PAGES ((MMIO_WINDOW_END - MMIO_WINDOW) / PAGE_SIZE)
#define MMIO_RANGES 16

static struct spinlock mmio_lock = SPINLOCK_INIT("mmio");
/* protected by mmio_lock: */
static size_t pages_used;
static struct mmio_range {
    uint64_t pa;        /* page aligned */
    size_t npages;
    uintptr_t va;
} ranges[MMIO_RANGES];
static size_t nranges;

/* An existing mapping that covers [pa, pa + npages pages); 0 if none. */
static uintptr_t find_mapping(uint64_t pa, size_t npages)
{
    for (size_t i = 0; i < nranges; i++)
        if (pa >= ranges[i].pa &&
            pa + npages * PAGE_SIZE <= ranges[i].pa + ranges[i].npages * PAGE_SIZE)
            return ranges[i].va + (uintptr_t)(pa - ranges[i].pa);
    return 0;
}

/* Map npages pages at the next free place in the window; 0 if full. */
static uintptr_t map_new(uint64_t pa, size_t npages)
{
    if (nranges == MMIO_RANGES || npages > MMIO_PAGES - pages_used || pa > 0xFFFFFFFFull)
        return 0;
    uintptr_t va = MMIO_WINDOW + pages_used * PAGE_SIZE;
    for (size_t i = 0; i < npages; i++) {
        if (vm_map(&kernel_as, va + i * PAGE_SIZE, (paddr_t)(pa + i * PAGE_SIZE),
                   PTE_W | PTE_G | PTE_PCD | PTE_PWT) != 0) {
            /* No frame for the page table: undo, so that the next call
             * finds these pages free. The frames are the device's, not
             * the allocator's: nothing to free. */
            while (i-- > 0)
                vm_unmap(&kernel_as, va + i * PAGE_SIZE);
            return 0;
        }
    }
    pages_used += npages;
    ranges[nranges++] = (struct mmio_range){ pa, npages, va };
    return va;
}

void *mmio_map(uint64_t pa, size_t len)
{
    if (len == 0 || pa + len < pa || pa + len > 0x100000000ull)
        return NULL;        /* 32-bit paging reaches the low 4 GiB only */
    if (kernel_as.pd == NULL)
        /* SAFETY: integer -> pointer: paging is off, so the linear
         * address pa is the physical one. */
        return (void *)(uintptr_t)pa;
    uint64_t first = pa & ~(uint64_t)(PAGE_SIZE - 1);
    size_t npages = (size_t)((pa + len - first + PAGE_SIZE - 1) / PAGE_SIZE);
    uint32_t s = spin_lock_irqsave(&mmio_lock);
    uintptr_t va = find_mapping(first, npages);
    if (va == 0)
        va = map_new(first, npages);
    spin_unlock_irqrestore(&mmio_lock, s);
    if (va == 0) {
        kprintf("mmio: cannot map 0x%llx (+%u bytes): window full\n",
                (unsigned long long)pa, (unsigned)len);
        return NULL;
    }
    /* SAFETY: integer -> pointer: va .. va + len lies in the window pages
     * just mapped (or mapped before) to pa's pages, kernel-only, uncached. */
    return (void *)(va + (uintptr_t)(pa - first));
}

size_t mmio_pages_used(void)
{
    return pages_used;
}
#endif /* LAB >= 5 */
