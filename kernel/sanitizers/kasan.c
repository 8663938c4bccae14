/*
 * kasan.c -- the kernel address sanitizer's core: which addresses have
 * shadow, the __asan_* entry points GCC's instrumentation calls, and the
 * report of a bad access (make KASAN=1; see kasan.h for the layout).
 *
 * The ABI is GCC's for -fsanitize=kernel-address with outline checks
 * (gcc/sanitizer.def): __asan_{load,store}{1,2,4,8,16}_noabort(addr),
 * __asan_{load,store}N_noabort(addr, size), with "noabort" meaning the
 * kernel goes on after a report (recover mode). Linux's
 * mm/kasan/generic.c implements the same functions.
 *
 * This file is not instrumented (kasan.mk): checking the checker would
 * recurse.
 */
#ifdef CONFIG_KASAN     /* make KASAN=1; nothing otherwise */
#include "sanitizers/kasan_internal.h"
#include "sanitizers/report.h"
#include "console.h"
#include "panic.h"
#include <string.h>
#if LAB >= 3
#include "arch/i386/paging.h"
#include "mm/pmm.h"
#if LAB >= 4
#include "mm/kstack.h"
#endif
#endif

const struct kasan_shadow kasan_map = { KASAN_SHADOW_OFFSET };

/* Set once paging is on and the image's shadow is mapped; never cleared. */
static bool kasan_on;

/* One bit per page of the shadow area: is it mapped? Bits are only ever
 * set (shadow is never unmapped), with __atomic_or, under the lock of the
 * memory whose shadow it is (heap lock, kstack lock); the checks read
 * them without a lock. */
#define SHADOW_PAGES ((KASAN_SHADOW_END - KASAN_SHADOW_START) / 4096u)
static uint32_t shadow_mapped[SHADOW_PAGES / 32];

static uintptr_t shadow_addr(uintptr_t a)
{
    return (a >> KASAN_SHADOW_SHIFT) + KASAN_SHADOW_OFFSET;
}

static bool shadow_page_mapped(uintptr_t s)
{
    uint32_t page = (s - KASAN_SHADOW_START) >> 12;
    return __atomic_load_n(&shadow_mapped[page / 32], __ATOMIC_RELAXED) & (1u << (page % 32));
}

bool kasan_shadow_exists(uintptr_t a)
{
    return kasan_on && a < KASAN_COVERED_END && shadow_page_mapped(shadow_addr(a));
}

bool kasan_has_shadow(uintptr_t a)
{
    return kasan_shadow_exists(a) && !san_in_report();
}

#if LAB >= 3
bool kasan_map_shadow(uintptr_t lo, uintptr_t hi)
{
    for (uintptr_t s = shadow_addr(lo) & ~0xFFFu; s < shadow_addr(hi - 1) + 1; s += 4096) {
        if (shadow_page_mapped(s))
            continue;
        paddr_t frame = frame_alloc();
        if (frame == 0)
            return false;
        /* SAFETY: integer -> pointer through the direct map: a frame the
         * allocator just gave us, below PMM_LIMIT, va == pa. */
        memset((void *)(uintptr_t)frame, 0, PAGE_SIZE);
        if (vm_map(&kernel_as, s, frame, PTE_W | PTE_G) != 0) {
            frame_free(frame);
            return false;
        }
        uint32_t page = (s - KASAN_SHADOW_START) >> 12;
        __atomic_or_fetch(&shadow_mapped[page / 32], 1u << (page % 32), __ATOMIC_RELEASE);
    }
    return true;
}

extern char __kernel_start[], __kernel_end[];

bool kasan_init_shadow(void)
{
    /* SAFETY: pointer -> integer: the image's bounds from kernel.ld. */
    uintptr_t lo = (uintptr_t)__kernel_start, hi = (uintptr_t)__kernel_end;
    if (!kasan_map_shadow(lo, hi))
        return false;
    /* One shadow page per 4 MiB of the heap's and stacks' shadow now, so
     * that the page tables of that part of the shadow exist before any
     * process copies the kernel's page directory (uvm_create). */
    for (uintptr_t a = KHEAP_BASE; a < KASAN_COVERED_END; a += 32u << 20)
        if (!kasan_map_shadow(a, a + 1))
            return false;
#if LAB >= 4
    /* Every stack slot's shadow now (one page per 32 KiB slot, 4 MiB in
     * all): mapped lazily, the first fork that reaches a new slot kept a
     * frame for good, and the tests that count free frames around a
     * child saw a frame "leak" that only the checked kernel has. */
    if (!kasan_map_shadow(KSTACK_AREA, KSTACK_AREA + KSTACK_SLOTS * KSTACK_SLOT_SIZE))
        return false;
#endif
    return true;
}

/* Paging is on: the shadow mapped above is reachable. The globals'
 * constructors poison their redzones, then checking starts. */
void kasan_start(void)
{
    __atomic_store_n(&kasan_on, true, __ATOMIC_RELEASE);
    kasan_run_constructors();
    kprintf("kasan: on, shadow at 0x%08x, %u KiB of it mapped\n", KASAN_SHADOW_START,
            (unsigned)(kasan_shadow_kib()));
}
#endif

/* Shadow in use, for the boot line and the memory cost. */
unsigned kasan_shadow_kib(void)
{
    unsigned pages = 0;
    for (unsigned i = 0; i < SHADOW_PAGES / 32; i++)
        pages += (unsigned)__builtin_popcount(shadow_mapped[i]);
    return pages * 4;
}

void kasan_unpoison(const void *p, size_t size)
{
    /* SAFETY: pointer -> integer for the shadow address. */
    uintptr_t a = (uintptr_t)p;
    if (kasan_shadow_exists(a))
        kasan_shadow_unpoison(&kasan_map, a, size);
}

void kasan_poison(const void *p, size_t size, uint8_t code)
{
    /* SAFETY: pointer -> integer for the shadow address. */
    uintptr_t a = (uintptr_t)p;
    if (kasan_shadow_exists(a))
        kasan_shadow_poison(&kasan_map, a, size, code);
}

/* The check of one access: called for every load and store of checked
 * code, so the common case -- an address without shadow, or one whose
 * granule is all addressable -- returns after a handful of instructions;
 * the in-report flag is only looked at once something is bad. An access
 * whose last byte has no shadow is not checked. */
static inline __attribute__((always_inline)) void check(uintptr_t a, size_t size, bool write,
                                                        uintptr_t pc)
{
    if (!__atomic_load_n(&kasan_on, __ATOMIC_RELAXED) || a >= KASAN_COVERED_END ||
        size == 0 || !shadow_page_mapped(shadow_addr(a)))
        return;
    uintptr_t in_granule = a & (KASAN_GRANULE - 1);
    if (in_granule + size <= KASAN_GRANULE) {
        int8_t v = (int8_t)*kasan_shadow_byte(&kasan_map, a);
        if (v == 0 || (v > 0 && (int8_t)(in_granule + size - 1) < v))
            return;
    } else if (!kasan_shadow_exists(a + size - 1)) {
        return;
    }
    uintptr_t bad = kasan_shadow_first_bad(&kasan_map, a, size);
    if (bad != 0 && !san_in_report())
        kasan_report_access(bad, size, write, pc);
}

void kasan_check_range(const void *p, size_t size, bool write, uintptr_t pc)
{
    /* SAFETY: pointer -> integer for the shadow address. */
    uintptr_t a = (uintptr_t)p;
    /* Large ranges a shadow page (32 KiB of memory) at a time, so the
     * mapped parts are checked even when the others are not. */
    while (size > 0) {
        size_t chunk = 0x8000 - (a & 0x7FFF);
        if (chunk > size)
            chunk = size;
        uintptr_t bad = kasan_has_shadow(a) ? kasan_shadow_first_bad(&kasan_map, a, chunk) : 0;
        if (bad != 0) {
            kasan_report_access(bad, size, write, pc);
            return;                         /* one report per range */
        }
        a += chunk;
        size -= chunk;
    }
}

/* SAFETY: pointer -> integer: the return address of the instrumented
 * access (every entry point below uses it), for the report only. */
#define RET ((uintptr_t)__builtin_return_address(0))
#define DEFINE_ASAN_CHECKS(n)                                                      \
    void __asan_load##n##_noabort(uintptr_t a) { check(a, n, false, RET); }        \
    void __asan_store##n##_noabort(uintptr_t a) { check(a, n, true, RET); }        \
    void __asan_load##n##_noabort(uintptr_t a);                                    \
    void __asan_store##n##_noabort(uintptr_t a);

void __asan_load1_noabort(uintptr_t a);
void __asan_store1_noabort(uintptr_t a);
void __asan_load2_noabort(uintptr_t a);
void __asan_store2_noabort(uintptr_t a);
void __asan_load4_noabort(uintptr_t a);
void __asan_store4_noabort(uintptr_t a);
void __asan_load8_noabort(uintptr_t a);
void __asan_store8_noabort(uintptr_t a);
void __asan_load16_noabort(uintptr_t a);
void __asan_store16_noabort(uintptr_t a);
DEFINE_ASAN_CHECKS(1)
DEFINE_ASAN_CHECKS(2)
DEFINE_ASAN_CHECKS(4)
DEFINE_ASAN_CHECKS(8)
DEFINE_ASAN_CHECKS(16)

void __asan_loadN_noabort(uintptr_t a, size_t size);
void __asan_storeN_noabort(uintptr_t a, size_t size);
void __asan_loadN_noabort(uintptr_t a, size_t size) { check(a, size, false, RET); }
void __asan_storeN_noabort(uintptr_t a, size_t size) { check(a, size, true, RET); }

/* ---- reports ---- */

static const char *kind_of(uint8_t code)
{
    switch (code) {
    case KASAN_HEAP_FREED:
    case KASAN_STACK_FREED:
        return "use-after-free";
    case KASAN_STACK_SCOPE:
        return "use-after-scope";
    default:
        return "out-of-bounds";
    }
}

static const char *where_of(uint8_t code)
{
    switch (code) {
    case KASAN_HEAP_LEFT: return "left of a kmalloc block (its header)";
    case KASAN_HEAP_RIGHT: return "right of a kmalloc block (its redzone)";
    case KASAN_HEAP_FREED: return "in a freed kmalloc block (quarantined)";
    case KASAN_HEAP_FREE: return "in heap memory no block holds";
    case KASAN_GLOBAL_REDZONE: return "right of a global variable";
    case KASAN_STACK_LEFT: return "left of a stack variable";
    case KASAN_STACK_MID: return "between stack variables";
    case KASAN_STACK_RIGHT: return "right of a stack variable";
    case KASAN_STACK_SCOPE: return "in a stack variable out of scope";
    case KASAN_STACK_FREED: return "in a freed thread stack";
    default: return "in memory marked bad";
    }
}

static __attribute__((unused)) bool is_heap_code(uint8_t code)
{
    return code == KASAN_HEAP_LEFT || code == KASAN_HEAP_RIGHT || code == KASAN_HEAP_FREED;
}

void kasan_report_access(uintptr_t addr, size_t size, bool write, uintptr_t pc)
{
    uint8_t code = kasan_shadow_code(&kasan_map, addr);
    if (!san_report_begin("KASAN", kind_of(code), pc, NULL))
        return;
    kprintf("%s of size %u at 0x%08x ", write ? "Write" : "Read", (unsigned)size,
            (unsigned)addr);
    san_print_context();
    kprintf("\nThe address is %s (shadow byte 0x%02x).\n", where_of(code), code);
#if LAB >= 3
    if (is_heap_code(code))
        kasan_heap_describe(addr);
#endif
    if (code == KASAN_GLOBAL_REDZONE)
        kasan_global_describe(addr);
    san_report_end();
}

void kasan_report_free(const char *kind, uintptr_t p, uintptr_t pc)
{
    if (!san_report_begin("KASAN", kind, pc, NULL))
        return;
    kprintf("kfree(0x%08x) ", (unsigned)p);
    san_print_context();
    kprintf("\n");
#if LAB >= 3
    if (kasan_shadow_exists(p))
        kasan_heap_describe(p);
#endif
    san_report_end();
}

/* ---- stack traces for the heap's records ---- */

void kasan_save_stack(uintptr_t ebp, uintptr_t *pcs, int n)
{
    int i = 0;
    /* Kernel frames live below KASAN_COVERED_END (= USER_BASE). A system
     * call's first kernel frame saved the user's ebp (sysenter's fast
     * path calls C with it), and the user's stack may be gone already
     * (a kfree in exit after uvm_destroy): never follow it there. */
    while (i < n && ebp != 0 && ebp % 4 == 0 && ebp < KASAN_COVERED_END - 8) {
        /* SAFETY: integer -> pointer: ebp is on the frame-pointer chain
         * that starts at the caller's live frame; each saved ebp lies
         * above the one before (checked), inside the same stack. */
        const uintptr_t *frame = (const uintptr_t *)ebp;
        if (frame[1] == 0)
            break;
        pcs[i++] = frame[1];
        if (frame[0] <= ebp)
            break;
        ebp = frame[0];
    }
    if (i < n)
        pcs[i] = 0;
}
#endif /* CONFIG_KASAN */
