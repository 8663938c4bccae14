/*
 * pmm.c -- page frames from the memory map.
 *
 * The bookkeeping is frames.c (pure logic, tested on the host); this file
 * decides what goes into it: usable RAM from the Multiboot memory map,
 * minus what must never be handed out.
 */
#if LAB >= 3
#include "mm/pmm.h"
#include "mm/frames.h"
#include "multiboot.h"
#include "panic.h"
#include "console.h"
#if LAB >= 4
#include "sync/spinlock.h"
#endif

#define MAX_FRAMES (PMM_LIMIT / PAGE_SIZE)

/* The allocator's own metadata lives in .bss, inside the kernel image,
 * which is reserved: it can never hand out the memory it is kept in. */
#if LAB >= 4
/* Threads (lab 4) may be preempted in the middle of an allocation, and
 * (lab 5) allocate on several CPUs at once: frames_spinlock around each
 * change of the bitmaps, with interrupts off (as kmalloc.c). The
 * innermost of the memory locks: frameref's and the heap's come first. */
static struct spinlock frames_spinlock = SPINLOCK_INIT("frames");
#endif
static uint32_t managed_words[BITMAP_WORDS(MAX_FRAMES)];   /* protected by frames_spinlock */
static uint32_t used_words[BITMAP_WORDS(MAX_FRAMES)];      /* protected by frames_spinlock */
static struct frame_allocator fa;                           /* protected by frames_spinlock */

static inline uint32_t frames_lock(void)
{
#if LAB >= 4
    return spin_lock_irqsave(&frames_spinlock);
#else
    return 0;                   /* one CPU, no threads: nobody to keep out */
#endif
}

static inline void frames_unlock(uint32_t saved)
{
#if LAB >= 4
    spin_unlock_irqrestore(&frames_spinlock, saved);
#else
    (void)saved;
#endif
}

extern char __kernel_start[], __kernel_end[];

/* Reserve the frames that overlap [start, end) in bytes. */
static void reserve_bytes(uint64_t start, uint64_t end)
{
    if (end <= start || start >= PMM_LIMIT)
        return;
    uint64_t first = start / PAGE_SIZE, last = (end + PAGE_SIZE - 1) / PAGE_SIZE;
    frames_reserve(&fa, (size_t)first, (size_t)(last - first));
}

void pmm_init(void)
{
    frames_init(&fa, managed_words, used_words, MAX_FRAMES);
    /* Only whole frames of usable RAM: round region starts up, ends down. */
    for (int i = 0; i < boot_info.nregions; i++) {
        const struct mem_region *r = &boot_info.regions[i];
        if (r->type != MB_MMAP_USABLE)
            continue;
        uint64_t first = (r->base + PAGE_SIZE - 1) / PAGE_SIZE;
        uint64_t last = (r->base + r->length) / PAGE_SIZE;
        if (first < last && first < MAX_FRAMES)
            frames_add(&fa, (size_t)first, (size_t)(last - first));
    }
    reserve_bytes(0, 0x100000);     /* BIOS data, VGA, ROMs; and frame 0 = "none" */
    /* SAFETY: pointer -> integer; the kernel runs at its physical address
     * (identity, then the direct map keeps virtual == physical). */
    reserve_bytes((uintptr_t)__kernel_start, (uintptr_t)__kernel_end);
    for (int i = 0; i < boot_info.nloader_ranges; i++)
        reserve_bytes(boot_info.loader_ranges[i].start, boot_info.loader_ranges[i].end);
    for (int i = 0; i < boot_info.nmodules; i++)
        reserve_bytes(boot_info.modules[i].start, boot_info.modules[i].end);
    kprintf("pmm: %u frames free (%u KiB), %u reserved or above %u MiB\n",
            (unsigned)frames_free_count(&fa), (unsigned)frames_free_count(&fa) * 4,
            (unsigned)(MAX_FRAMES - frames_free_count(&fa)), PMM_LIMIT >> 20);
}

paddr_t frame_alloc(void)
{
    size_t f;
    uint32_t s = frames_lock();
    bool ok = frames_alloc(&fa, &f);
    frames_unlock(s);
    return ok ? (paddr_t)(f * PAGE_SIZE) : 0;
}

paddr_t frame_alloc_run(size_t n, size_t align_frames)
{
    size_t f;
    uint32_t s = frames_lock();
    bool ok = frames_alloc_run(&fa, n, align_frames, &f);
    frames_unlock(s);
    return ok ? (paddr_t)(f * PAGE_SIZE) : 0;
}

bool frame_alloc_many(paddr_t *out, size_t n)
{
    size_t got = 0, f;
    uint32_t s = frames_lock();
    while (got < n && frames_alloc(&fa, &f))
        out[got++] = (paddr_t)(f * PAGE_SIZE);
    bool all = got == n;
    if (!all)
        while (got > 0)     /* none, then: frames we just took free cleanly */
            frames_free(&fa, out[--got] / PAGE_SIZE);
    frames_unlock(s);
    return all;
}

/* A frame_free() that went wrong stops the kernel, naming the frame. */
static void check_freed(paddr_t frame, enum frame_error status)
{
    switch (status) {
    case FRAME_OK:
        return;
    case FRAME_NOT_MANAGED:
        panic("frame_free(0x%x): not a frame the allocator handed out", frame);
    case FRAME_NOT_USED:
        panic("frame_free(0x%x): double free", frame);
    }
}

void frame_free(paddr_t frame)
{
    if (frame % PAGE_SIZE != 0)
        panic("frame_free(0x%x): not the start of a frame", frame);
    uint32_t s = frames_lock();
    enum frame_error status = frames_free(&fa, frame / PAGE_SIZE);
    frames_unlock(s);
    check_freed(frame, status);
}

void frame_free_many(const paddr_t *frames, size_t n)
{
    paddr_t bad = 0;
    enum frame_error status = FRAME_OK;
    for (size_t i = 0; i < n; i++)
        if (frames[i] % PAGE_SIZE != 0)
            panic("frame_free(0x%x): not the start of a frame", frames[i]);
    uint32_t s = frames_lock();
    for (size_t i = 0; i < n && status == FRAME_OK; i++)
        if (frames[i] != 0) {
            status = frames_free(&fa, frames[i] / PAGE_SIZE);
            bad = frames[i];
        }
    frames_unlock(s);
    check_freed(bad, status);   /* the panic after the unlock: it prints */
}

void frame_free_run(paddr_t first, size_t n)
{
    for (size_t i = 0; i < n; i++)
        frame_free(first + (paddr_t)(i * PAGE_SIZE));
}

size_t pmm_free_frames(void)
{
    return frames_free_count(&fa);
}

size_t pmm_used_frames(void)
{
    return frames_used_count(&fa);
}

bool pmm_sane(void)
{
    /* SAFETY: pointer -> integer, as in pmm_init. */
    return pmm_is_reserved(0) && pmm_is_reserved((paddr_t)(uintptr_t)__kernel_start) &&
           pmm_is_reserved((paddr_t)(uintptr_t)__kernel_end - 1);
}

bool pmm_is_reserved(paddr_t frame)
{
    size_t f = frame / PAGE_SIZE;
    return f >= fa.nframes || !bitmap_test(&fa.managed, f);
}
#endif /* LAB >= 3 */
