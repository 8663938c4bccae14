/* kasan_layout.c -- the redzone layout of a kmalloc block (kasan_layout.h). */
#include "sanitizers/kasan_layout.h"
#include "sanitizers/kasan_shadow.h"

#define ALIGN_UP(x, a) (((x) + ((a) - 1)) & ~(size_t)((a) - 1))

size_t kasan_layout_meta_offset(size_t size)
{
    /* The metadata is written through uintptr_t fields: word aligned. */
    return ALIGN_UP(size, KASAN_GRANULE) + KASAN_RIGHT_REDZONE;
}

size_t kasan_layout_total(size_t size)
{
    if (size > (size_t)-1 / 2)
        return 0;
    return kasan_layout_meta_offset(size) + sizeof(struct kasan_meta);
}

size_t kasan_layout_meta_offset_from_total(size_t total)
{
    return total - sizeof(struct kasan_meta);
}
