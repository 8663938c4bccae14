/*
 * kasan_globals.c -- redzones after global variables (asan-globals).
 *
 * GCC pads each instrumented global with a redzone and gives every
 * object file a constructor (in .init_array) that calls
 * __asan_register_globals(globals, n) with one record per global. The
 * kernel has no C runtime to run constructors: kasan_start() runs
 * .init_array itself (kernel.ld collects it), once the image's shadow is
 * mapped. The record is GCC's struct __asan_global (libsanitizer's
 * asan_interface_internal.h; Linux's struct kasan_global, ABI version 5).
 */
#ifdef CONFIG_KASAN     /* make KASAN=1; nothing otherwise */
#include "sanitizers/kasan_internal.h"
#include <stddef.h>

struct asan_global {
    uintptr_t beg;                  /* the variable */
    size_t size;                    /* its size */
    size_t size_with_redzone;       /* and with the redzone after it */
    const char *name;
    const char *module_name;
    uintptr_t has_dynamic_init;     /* C++ only */
    void *location;                 /* struct __asan_global_source_location */
    uintptr_t odr_indicator;
};

void __asan_register_globals(struct asan_global *globals, size_t n);
void __asan_unregister_globals(struct asan_global *globals, size_t n);

void __asan_register_globals(struct asan_global *globals, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct asan_global *g = &globals[i];
        if (!kasan_shadow_exists(g->beg))
            continue;
        uintptr_t end = g->beg + g->size;
        uintptr_t redzone = (end + KASAN_GRANULE - 1) & ~(uintptr_t)(KASAN_GRANULE - 1);
        kasan_shadow_unpoison(&kasan_map, g->beg, g->size);
        kasan_shadow_poison(&kasan_map, redzone, g->beg + g->size_with_redzone - redzone,
                            KASAN_GLOBAL_REDZONE);
    }
}

/* Modules are never unloaded: nothing to undo. */
void __asan_unregister_globals(struct asan_global *globals, size_t n)
{
    (void)globals;
    (void)n;
}

typedef void (*constructor_fn)(void);
extern constructor_fn __init_array_start[], __init_array_end[];

void kasan_run_constructors(void)
{
    for (constructor_fn *c = __init_array_start; c < __init_array_end; c++)
        (*c)();
}
#endif /* CONFIG_KASAN */
