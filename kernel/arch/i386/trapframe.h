/* trapframe.h -- what the CPU and trapentry.S push on an interrupt. */
#ifndef ARCH_I386_TRAPFRAME_H
#define ARCH_I386_TRAPFRAME_H

#if LAB >= 2
#include <stdint.h>

/*
 * The stack at trap(), lowest address first. trapentry.S pushes
 * everything from `gs` to `err` (a stub pushes a 0 err for vectors without
 * a CPU error code, so every frame has one layout); the CPU pushed the rest.
 * `esp` and `ss` exist only when the trap came from ring 3.
 */
struct trapframe {
    /* pushed by trapentry.S */
    uint32_t gs, fs, es, ds;
    uint32_t edi, esi, ebp, esp_at_pusha, ebx, edx, ecx, eax;   /* pusha */
    uint32_t vector;
    uint32_t err;           /* CPU error code, or 0 */
    /* pushed by the CPU */
    uint32_t eip;
    uint32_t cs;
    uint32_t eflags;
    uint32_t esp;           /* only from ring 3 */
    uint32_t ss;            /* only from ring 3 */
};

/* Did the trap come from user mode (ring 3)? */
static inline int trap_from_user(const struct trapframe *tf)
{
    return (tf->cs & 3) == 3;
}

#endif /* LAB >= 2 */
#endif
