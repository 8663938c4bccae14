/*
 * kasan_shadow.c -- reading and writing the shadow encoding (see
 * kasan_shadow.h). Pure logic: no hardware, no globals; the kernel's
 * runtime (kasan.c) and the host tests both call it.
 */
#include "sanitizers/kasan_shadow.h"

void kasan_shadow_poison(const struct kasan_shadow *m, uintptr_t addr, size_t size,
                         uint8_t code)
{
    for (uintptr_t a = addr; a < addr + size; a += KASAN_GRANULE)
        *kasan_shadow_byte(m, a) = code;
}

void kasan_shadow_unpoison(const struct kasan_shadow *m, uintptr_t addr, size_t size)
{
    size_t whole = size & ~(size_t)(KASAN_GRANULE - 1);
    for (uintptr_t a = addr; a < addr + whole; a += KASAN_GRANULE)
        *kasan_shadow_byte(m, a) = 0;
    if (size % KASAN_GRANULE != 0)
        *kasan_shadow_byte(m, addr + whole) = (uint8_t)(size % KASAN_GRANULE);
}

/* Is byte a addressable? A shadow value k in 1..7 allows the granule's
 * first k bytes; a negative value (as int8_t) none. */
static bool byte_ok(const struct kasan_shadow *m, uintptr_t a)
{
    int8_t s = (int8_t)*kasan_shadow_byte(m, a);
    return s == 0 || (s > 0 && (int8_t)(a % KASAN_GRANULE) < s);
}

uintptr_t kasan_shadow_first_bad(const struct kasan_shadow *m, uintptr_t addr, size_t size)
{
    uintptr_t a = addr, end = addr + size;
    while (a < end) {
        /* A whole granule with shadow 0 is fine at once: the fast path. */
        if (a % KASAN_GRANULE == 0 && end - a >= KASAN_GRANULE &&
            *kasan_shadow_byte(m, a) == 0) {
            a += KASAN_GRANULE;
            continue;
        }
        if (!byte_ok(m, a))
            return a;
        a++;
    }
    return 0;
}

uint8_t kasan_shadow_code(const struct kasan_shadow *m, uintptr_t bad)
{
    uint8_t s = *kasan_shadow_byte(m, bad);
    /* A partial granule's bad bytes belong to the redzone that follows
     * the object: the next granule's code names it. */
    if ((int8_t)s > 0)
        s = *kasan_shadow_byte(m, bad + KASAN_GRANULE);
    return s;
}
