/*
 * kasan_stack.c -- KASAN and the kernel stacks.
 *
 * GCC's asan-stack code poisons the redzones around a function's arrays
 * on entry and unpoisons them on return, writing the shadow itself
 * (inline, at (addr >> 3) + KASAN_SHADOW_OFFSET). So every stack needs
 * mapped shadow before code runs on it, and poison that outlives its
 * function -- a thread that never returned from its frames, a function
 * that called a noreturn one -- must be wiped before the memory is a
 * stack again, or the next frames there would be reported.
 */
#ifdef CONFIG_KASAN     /* make KASAN=1; nothing otherwise */
#include "sanitizers/kasan_internal.h"
#if LAB >= 4
#include "mm/kstack.h"
#include "arch/i386/paging.h"
#endif

extern char boot_stack_bottom[], boot_stack_top[];

#if LAB >= 4
/* A fresh thread stack: map its shadow, all addressable. */
bool kasan_stack_alloc(uintptr_t base, uintptr_t top)
{
    if (!kasan_map_shadow(base, top))
        return false;
    if (kasan_shadow_exists(base))
        kasan_shadow_unpoison(&kasan_map, base, top - base);
    return true;
}

/* The stack is unmapped: any access through a stale pointer into it
 * faults anyway; the poison names the cause should the slot's shadow be
 * read before the next kasan_stack_alloc. */
void kasan_stack_free(uintptr_t base, uintptr_t top)
{
    if (kasan_shadow_exists(base))
        kasan_shadow_poison(&kasan_map, base, top - base, KASAN_STACK_FREED);
}
#endif

/* The lowest address of the stack sp is on, or 0 if not a known one. */
static uintptr_t stack_bottom(uintptr_t sp)
{
    /* SAFETY: pointer -> integer: the boot stack's bounds (boot.S). */
    uintptr_t boot_lo = (uintptr_t)boot_stack_bottom, boot_hi = (uintptr_t)boot_stack_top;
    if (sp > boot_lo && sp <= boot_hi)
        return boot_lo;
#if LAB >= 4
    if (sp > KSTACK_AREA && sp <= KSTACK_AREA + KSTACK_SLOTS * KSTACK_SLOT_SIZE) {
        uintptr_t slot = (sp - 1 - KSTACK_AREA) / KSTACK_SLOT_SIZE;
        return KSTACK_AREA + slot * KSTACK_SLOT_SIZE + (KSTACK_SLOT_SIZE - KSTACK_SIZE);
    }
#endif
    return 0;
}

/* GCC calls this before every call of a noreturn function: the frames
 * below the caller's will never run their epilogues, so their redzones'
 * poison would stay. Wipe everything below the current stack pointer
 * (Linux: kasan_unpoison_task_stack_below). */
void __asan_handle_no_return(void);
void __asan_handle_no_return(void)
{
    /* SAFETY: pointer -> integer: an address in this frame, i.e. the
     * current stack pointer give or take this frame. */
    uintptr_t sp = (uintptr_t)__builtin_frame_address(0);
    uintptr_t bottom = stack_bottom(sp);
    sp &= ~(uintptr_t)(KASAN_GRANULE - 1);
    if (bottom != 0 && kasan_shadow_exists(bottom) && kasan_shadow_exists(sp))
        kasan_shadow_unpoison(&kasan_map, bottom, sp - bottom);
}
#endif /* CONFIG_KASAN */
