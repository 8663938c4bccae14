/*
 * kstack.h -- kernel stacks for threads, each with an unmapped guard below.
 *
 * The stacks live in the kernel's stack area (paging.h), one fixed-size
 * slot per stack: the top KSTACK_SIZE bytes of a slot are mapped, the
 * rest stays unmapped. A thread that overflows its stack runs into that
 * hole and faults at once (then #DF, doublefault.c) instead of quietly
 * overwriting the stack of the thread below it.
 */
#ifndef MM_KSTACK_H
#define MM_KSTACK_H

#if LAB >= 4
#include <stdbool.h>
#include <stdint.h>

#define KSTACK_SIZE      (16 * 1024)    /* mapped: 4 pages */
#define KSTACK_SLOT_SIZE (32 * 1024)    /* stack + 16 KiB of guard below it */
#define KSTACK_SLOTS     1024           /* 32 MiB of address space */

struct kstack {
    uintptr_t base;     /* lowest mapped address */
    uintptr_t top;      /* one past the highest: the initial esp */
    uintptr_t guard;    /* bytes of unmapped guard right below base */
};

/* Map a fresh stack; false if no slot or no frame is left. */
bool kstack_alloc(struct kstack *ks);
/* Unmap it and give its frames back. Nobody may be running on it. */
void kstack_free(struct kstack *ks);
/* Does addr fall in the unmapped guard below this stack? */
bool kstack_in_guard(const struct kstack *ks, uintptr_t addr);
#endif /* LAB >= 4 */

#endif
