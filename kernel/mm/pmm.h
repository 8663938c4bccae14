/* pmm.h -- the physical memory manager: page frames for the kernel. */
#ifndef PMM_H
#define PMM_H

#if LAB >= 3
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PAGE_SIZE  4096u
#define PAGE_SHIFT 12
typedef uint32_t paddr_t;

/* Frames above this stay unused: the kernel reaches physical memory
 * through its direct map, which ends here (see paging.h for the layout). */
#ifdef CONFIG_KASAN
#define PMM_LIMIT 0x28000000u   /* KASAN's shadow sits above (sanitizers/kasan.h) */
#else
#define PMM_LIMIT 0x30000000u
#endif

/* Build the allocator from the Multiboot memory map, minus the first MiB,
 * the kernel image, the loader's data and the modules. */
void pmm_init(void);
/* One frame, or 0 when memory is exhausted (frame 0 is never handed out). */
paddr_t frame_alloc(void);
/* n contiguous frames, the first aligned to align_frames frames; 0 if none. */
paddr_t frame_alloc_run(size_t n, size_t align_frames);
void frame_free(paddr_t frame);
void frame_free_run(paddr_t first, size_t n);
/* n frames, not necessarily contiguous, into out[]: all of them (true)
 * or none (false). One lock round for all: a kernel stack takes four,
 * and on a thread's creation each lock round counts (docs/bench.md). */
bool frame_alloc_many(paddr_t *out, size_t n);
/* Give back n frames at once; zeros in frames[] are skipped. */
void frame_free_many(const paddr_t *frames, size_t n);
size_t pmm_free_frames(void);
size_t pmm_used_frames(void);
/* Is this frame one that must never be handed out? (For tests.) */
bool pmm_is_reserved(paddr_t frame);
/* Are the kernel image and the first MiB reserved? If not (lab 3 not
 * done), handing out frames would overwrite the kernel. */
bool pmm_sane(void);
#endif /* LAB >= 3 */

#endif
