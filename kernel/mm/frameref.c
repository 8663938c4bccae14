/* frameref.c -- per-frame reference counts for user frames (frameref.h). */
#if LAB >= 4
#include "mm/frameref.h"
#include "mm/kmalloc.h"
#include "arch/i386/cpu.h"
#include "sync/spinlock.h"
#include "multiboot.h"
#include "panic.h"
#include <string.h>

/* frameref_lock: the counts, shared by every address space that maps a
 * frame (COW after fork), whose faults run on any CPU. Order: before
 * frames_spinlock (the last unref frees the frame). */
static struct spinlock frameref_lock = SPINLOCK_INIT("frameref");
static uint16_t *counts;        /* one per frame below nframes; protected by frameref_lock */
static size_t nframes;          /* set once, at boot */

bool frameref_init(void)
{
    uint64_t end = 0;
    for (int i = 0; i < boot_info.nregions; i++)
        if (boot_info.regions[i].type == MB_MMAP_USABLE &&
            boot_info.regions[i].base + boot_info.regions[i].length > end)
            end = boot_info.regions[i].base + boot_info.regions[i].length;
    if (end > PMM_LIMIT)
        end = PMM_LIMIT;
    nframes = (size_t)(end / PAGE_SIZE);
    counts = kcalloc(nframes, sizeof *counts);
    return counts != NULL;
}

static uint16_t *count_of(paddr_t frame)
{
    size_t f = frame / PAGE_SIZE;
    if (counts == NULL || f >= nframes)
        panic("frameref: frame 0x%08x is not a frame the allocator manages", frame);
    return &counts[f];
}

paddr_t user_frame_alloc(void)
{
    paddr_t frame = frame_alloc();
    if (frame == 0)
        return 0;
    /* SAFETY: integer -> pointer through the direct map (pmm.h): the
     * frame is ours and below KERNEL_DIRECT_END. page_zero (rep stosl)
     * rather than memset: this is most of a first-touch fault's path. */
    page_zero((void *)(uintptr_t)frame);
    /* Nobody else knows the frame yet: no lock, but one atomic 16-bit
     * store, which leaves the neighbouring counts alone (every first
     * touch of a page comes here: the lock's handover is what costs). */
    __atomic_store_n(count_of(frame), 1, __ATOMIC_RELAXED);
    return frame;
}

void frame_ref(paddr_t frame)
{
    uint32_t s = spin_lock_irqsave(&frameref_lock);
    uint16_t *c = count_of(frame);
    if (*c == 0 || *c == UINT16_MAX)
        panic("frame_ref(0x%08x): count is %u", frame, *c);
    (*c)++;
    spin_unlock_irqrestore(&frameref_lock, s);
}

void frame_unref(paddr_t frame)
{
    uint32_t s = spin_lock_irqsave(&frameref_lock);
    uint16_t *c = count_of(frame);
    if (*c == 0)
        panic("frame_unref(0x%08x): the frame is not in use", frame);
    if (--*c == 0)
        frame_free(frame);
    spin_unlock_irqrestore(&frameref_lock, s);
}

uint32_t frame_refcount(paddr_t frame)
{
    /* A snapshot: another address space may unref meanwhile. COW only
     * asks "am I the last?" (uvm.c), which can only become truer. */
    return __atomic_load_n(count_of(frame), __ATOMIC_RELAXED);
}
#endif /* LAB >= 4 */
