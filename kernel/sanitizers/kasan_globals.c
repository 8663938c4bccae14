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
#include "console.h"
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

/* Every object file's table, kept for the reports: a bad access right of
 * a global is then named by its variable (Linux: kasan_find_global...).
 * One table per instrumented object file that has globals. */
#define GLOBAL_TABLES_MAX 256
static struct {
    const struct asan_global *globals;
    size_t n;
} tables[GLOBAL_TABLES_MAX];
static size_t ntables;

void __asan_register_globals(struct asan_global *globals, size_t n)
{
    if (ntables < GLOBAL_TABLES_MAX) {
        tables[ntables].globals = globals;
        tables[ntables].n = n;
        ntables++;
    }
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

/* The global whose variable or redzone holds addr, or NULL. */
static const struct asan_global *global_at(uintptr_t addr)
{
    for (size_t t = 0; t < ntables; t++)
        for (size_t i = 0; i < tables[t].n; i++) {
            const struct asan_global *g = &tables[t].globals[i];
            if (addr >= g->beg && addr < g->beg + g->size_with_redzone)
                return g;
        }
    return NULL;
}

/* A report's line on the global an address hit: its name, size, file,
 * and how far past its end the access landed. */
void kasan_global_describe(uintptr_t addr)
{
    const struct asan_global *g = global_at(addr);
    if (g == NULL) {
        kprintf("No registered global variable holds it (the tables: %u of %u kept).\n",
                (unsigned)ntables, (unsigned)GLOBAL_TABLES_MAX);
        return;
    }
    kprintf("It is %u bytes right of the global variable '%s' (%u bytes, %s).\n",
            (unsigned)(addr - (g->beg + g->size)), g->name, (unsigned)g->size,
            g->module_name);
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
