/*
 * frameref.h -- how many address spaces map each user frame.
 *
 * fork() does not copy a process's memory: parent and child map the same
 * frames, read-only, and the first write copies (copy-on-write, uvm.c).
 * A frame can then belong to many address spaces at once, and it may go
 * back to the allocator only when the last one lets go of it: hence a
 * count per frame. Only user frames are counted; kernel frames have none.
 */
#ifndef MM_FRAMEREF_H
#define MM_FRAMEREF_H

#if LAB >= 4
#include "mm/pmm.h"
#include <stdbool.h>
#include <stdint.h>

/* Size the table for every frame the allocator manages (after pmm_init
 * and the heap). False if there is no memory for it. */
bool frameref_init(void);
/* A fresh, zeroed user frame with a count of 1; 0 if memory is out. */
paddr_t user_frame_alloc(void);
/* One more mapping of the frame. */
void frame_ref(paddr_t frame);
/* One mapping less; the frame is freed when none is left. */
void frame_unref(paddr_t frame);
uint32_t frame_refcount(paddr_t frame);
#endif /* LAB >= 4 */

#endif
