/*
 * kasan_shadow.h -- KASAN's shadow encoding (pure: host-tested).
 *
 * One shadow byte describes one 8-byte granule of memory, as in Linux's
 * Documentation/dev-tools/kasan.rst (generic KASAN):
 *     0         all 8 bytes addressable;
 *     1..7      only the first k bytes are (an object whose size is not
 *               a multiple of 8 ends inside the granule);
 *     negative  none is, and the value says why (the codes below, which
 *               GCC's inline stack instrumentation also writes: 0xF1..).
 * The shadow byte of address a is at (a >> 3) + offset; the kernel's
 * offset is KASAN_SHADOW_OFFSET (the same number is -fasan-shadow-offset
 * in kasan.mk), the host tests use their own array.
 */
#ifndef SANITIZERS_KASAN_SHADOW_H
#define SANITIZERS_KASAN_SHADOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KASAN_GRANULE       8
#define KASAN_SHADOW_SHIFT  3

/* Why a granule is not addressable. The stack codes are GCC's (asan.c:
 * ASAN_STACK_MAGIC_*); the others are ours, chosen like Linux's. */
#define KASAN_HEAP_LEFT     0xFA    /* header before a kmalloc block */
#define KASAN_HEAP_RIGHT    0xFB    /* redzone after a kmalloc block */
#define KASAN_HEAP_FREED    0xFD    /* a freed block (in quarantine) */
#define KASAN_HEAP_FREE     0xFC    /* heap memory no block holds */
#define KASAN_GLOBAL_REDZONE 0xF9   /* after a global (asan-globals) */
#define KASAN_STACK_LEFT    0xF1
#define KASAN_STACK_MID     0xF2
#define KASAN_STACK_RIGHT   0xF3
#define KASAN_STACK_SCOPE   0xF8    /* use after scope */
#define KASAN_STACK_FREED   0xF5    /* a thread's stack that was freed */

/* Where the shadow of [lo, hi) lives: shadow(a) = (a >> 3) + offset. */
struct kasan_shadow {
    uintptr_t offset;
};

static inline uint8_t *kasan_shadow_byte(const struct kasan_shadow *m, uintptr_t a)
{
    /* SAFETY: integer -> pointer: the caller checked that a's shadow is
     * mapped (kernel) or inside the test's array (host). */
    return (uint8_t *)((a >> KASAN_SHADOW_SHIFT) + m->offset);
}

/* Mark [addr, addr + size) with `code` (addr and size multiples of 8). */
void kasan_shadow_poison(const struct kasan_shadow *m, uintptr_t addr, size_t size,
                         uint8_t code);
/* Make [addr, addr + size) addressable (addr a multiple of 8): whole
 * granules 0, a last partial granule the count of its valid bytes. */
void kasan_shadow_unpoison(const struct kasan_shadow *m, uintptr_t addr, size_t size);
/* The first address in [addr, addr + size) that is not addressable, or
 * 0 when all of it is (size > 0). */
uintptr_t kasan_shadow_first_bad(const struct kasan_shadow *m, uintptr_t addr, size_t size);
/* The code of the granule holding a bad address (for the report's kind). */
uint8_t kasan_shadow_code(const struct kasan_shadow *m, uintptr_t bad);

#endif
