/*
 * memory_test.c -- lab 3: frames, page tables, demand-zero pages, kmalloc.
 */
#if LAB >= 3
#include "ktest.h"
#include "mm/kmalloc.h"
#include "multiboot.h"
#include "mm/pmm.h"
#include "trap.h"
#include "arch/i386/paging.h"
#include <string.h>

extern char __kernel_start[], __kernel_end[];

/* A tiny PRNG: the tests must do the same thing on every run. */
static uint32_t rng_state;
static uint32_t rng(void)
{
    rng_state = rng_state * 1664525u + 1013904223u;
    return rng_state >> 8;
}

/* Frames seen handed out, one bit each (up to PMM_LIMIT). */
static uint32_t seen_bits[PMM_LIMIT / PAGE_SIZE / 32];

static bool overlaps(paddr_t f, uint64_t start, uint64_t end)
{
    return f < end && f + PAGE_SIZE > start;
}

/* A frame that must never be handed out: which reason, or NULL. */
static const char *forbidden(paddr_t f)
{
    /* SAFETY: pointers -> integers for the kernel image's bounds. */
    if (f < 0x100000)
        return "the first MiB";
    if (overlaps(f, (uintptr_t)__kernel_start, (uintptr_t)__kernel_end))
        return "the kernel image";
    for (int i = 0; i < boot_info.nloader_ranges; i++)
        if (overlaps(f, boot_info.loader_ranges[i].start, boot_info.loader_ranges[i].end))
            return "the boot loader's data";
    for (int i = 0; i < boot_info.nmodules; i++)
        if (overlaps(f, boot_info.modules[i].start, boot_info.modules[i].end))
            return "a module";
    bool usable = false;
    for (int i = 0; i < boot_info.nregions; i++) {
        const struct mem_region *r = &boot_info.regions[i];
        if (r->type == MB_MMAP_USABLE && r->base <= f && f + PAGE_SIZE <= r->base + r->length)
            usable = true;
    }
    return usable ? NULL : "not usable RAM";
}

/* Free a chain of frames linked through their own first word (the tests
 * below take every frame that way: the direct map makes a frame's
 * address usable as a pointer). */
static void free_frame_chain(paddr_t chain)
{
    while (chain != 0) {
        /* SAFETY: integer -> pointer through the direct map; the frame is
         * ours until frame_free(), and holds the next one's address. */
        paddr_t next = *(paddr_t *)(uintptr_t)chain;
        frame_free(chain);
        chain = next;
    }
}

KTEST(pmm, no_reserved_frame)
{
    /* Frames the boot already took (page tables...) cannot be checked by
     * allocating: ask the allocator directly about the loader's data and
     * the modules. */
    for (int i = 0; i < boot_info.nloader_ranges; i++)
        for (uint64_t a = boot_info.loader_ranges[i].start & ~(uint64_t)(PAGE_SIZE - 1);
             a < boot_info.loader_ranges[i].end && a < PMM_LIMIT; a += PAGE_SIZE)
            if (!pmm_is_reserved((paddr_t)a))
                ktest_fail(__FILE__, __LINE__, "frame 0x%08x holds the boot loader's data "
                           "but is not reserved", (paddr_t)a);
    for (int i = 0; i < boot_info.nmodules; i++)
        for (paddr_t a = boot_info.modules[i].start & ~(PAGE_SIZE - 1);
             a < boot_info.modules[i].end; a += PAGE_SIZE)
            if (!pmm_is_reserved(a))
                ktest_fail(__FILE__, __LINE__, "frame 0x%08x holds module %d but is not reserved",
                           a, i);
    size_t free_before = pmm_free_frames(), count = 0;
    memset(seen_bits, 0, sizeof seen_bits);
    /* Take every frame; chain them through their own first word (the
     * direct map makes a frame's address usable as a pointer). */
    paddr_t chain = 0, f;
    while ((f = frame_alloc()) != 0) {
        const char *why = forbidden(f);
        if (why != NULL)
            ktest_fail(__FILE__, __LINE__, "frame 0x%08x handed out: it is %s", f, why);
        if (seen_bits[f / PAGE_SIZE / 32] & (1u << (f / PAGE_SIZE % 32)))
            ktest_fail(__FILE__, __LINE__, "frame 0x%08x handed out twice", f);
        seen_bits[f / PAGE_SIZE / 32] |= 1u << (f / PAGE_SIZE % 32);
        /* SAFETY: integer -> pointer through the direct map; f is ours. */
        *(paddr_t *)(uintptr_t)f = chain;
        chain = f;
        count++;
    }
    KEXPECT_EQ(count, free_before);
    KEXPECT_EQ(pmm_free_frames(), 0);
    free_frame_chain(chain);
    KEXPECT_EQ(pmm_free_frames(), free_before);
}

KTEST(pmm, no_leak)
{
    enum { LIVE = 64, OPS = 10000 };
    paddr_t live[LIVE] = { 0 };
    size_t free_before = pmm_free_frames();
    rng_state = 3;
    for (int op = 0; op < OPS; op++) {
        int slot = (int)(rng() % LIVE);
        if (live[slot] != 0) {
            frame_free(live[slot]);
            live[slot] = 0;
        } else {
            live[slot] = frame_alloc();
            KASSERT(live[slot] != 0);
            if (forbidden(live[slot]) != NULL) {
                ktest_fail(__FILE__, __LINE__, "frame 0x%08x handed out: it is %s",
                           live[slot], forbidden(live[slot]));
                return;
            }
        }
    }
    for (int i = 0; i < LIVE; i++)
        if (live[i] != 0)
            frame_free(live[i]);
    KEXPECT_EQ(pmm_free_frames(), free_before);
}

KTEST(pmm, contiguous_run)
{
    size_t free_before = pmm_free_frames();
    paddr_t run = frame_alloc_run(16, 16);
    KASSERT(run != 0);
    KEXPECT_EQ(run % (16 * PAGE_SIZE), 0);
    for (int i = 0; i < 16; i++)
        KEXPECT(forbidden(run + (paddr_t)i * PAGE_SIZE) == NULL);
    KEXPECT_EQ(pmm_free_frames(), free_before - 16);
    frame_free_run(run, 16);
    KEXPECT_EQ(pmm_free_frames(), free_before);
}

KTEST(pmm, alloc_many_all_or_none)
{
    /* Leave exactly two frames free: asking for three must take none. */
    size_t free_before = pmm_free_frames();
    paddr_t chain = 0, f;
    while (pmm_free_frames() > 2 && (f = frame_alloc()) != 0) {
        /* SAFETY: integer -> pointer through the direct map; f is ours. */
        *(paddr_t *)(uintptr_t)f = chain;
        chain = f;
    }
    KASSERT(pmm_free_frames() == 2);
    paddr_t got[3] = { 0, 0, 0 };
    KEXPECT(!frame_alloc_many(got, 3));
    KEXPECT_EQ(pmm_free_frames(), 2);               /* the two it took are back */
    KEXPECT(frame_alloc_many(got, 2));
    KEXPECT_EQ(pmm_free_frames(), 0);
    KEXPECT(got[0] != 0 && got[1] != 0 && got[0] != got[1]);
    frame_free_many(got, 2);
    KEXPECT_EQ(pmm_free_frames(), 2);
    free_frame_chain(chain);
    KEXPECT_EQ(pmm_free_frames(), free_before);
}

/* Virtual addresses for these tests: the top of the stack area. */
#define TEST_VA (KSTACK_AREA + 0x7800000)

static struct expected_trap fault;

/* Read `va`; true if that faulted (the trap resumes after the read). */
static bool read_faults(uintptr_t va)
{
    fault.vector = T_PGFLT;
    trap_expect(&fault);
    /* SAFETY: may fault on purpose; resumes at 1:. */
    __asm__ volatile("movl $1f, %0\n\t"
                     "movl (%1), %%eax\n"
                     "1:"
                     : "=m"(fault.resume_eip) : "r"(va) : "eax", "memory");
    bool hit = fault.hit;
    trap_expect(NULL);
    return hit;
}

KTEST(vm, map_lookup_unmap)
{
    KASSERT(kernel_as.pd != NULL);
    paddr_t frame = frame_alloc(), pa;
    uint32_t flags;
    KASSERT(frame != 0);
    KEXPECT_EQ(vm_map(&kernel_as, TEST_VA, frame, PTE_W), 0);
    KEXPECT_EQ(vm_map(&kernel_as, TEST_VA, frame, PTE_W), -1);     /* mapped already */
    KASSERT(vm_lookup(&kernel_as, TEST_VA + 0x123, &pa, &flags));
    KEXPECT_EQ(pa, frame + 0x123);
    KEXPECT((flags & (PTE_P | PTE_W | PTE_U)) == (PTE_P | PTE_W));
    /* The mapping reaches the frame: write through it, read the direct map. */
    /* SAFETY: integer -> pointer: TEST_VA is mapped just above, frame is
     * reachable through the direct map at its own address. */
    *(volatile uint32_t *)TEST_VA = 0xC0FFEE;
    KEXPECT_EQ(*(volatile uint32_t *)(uintptr_t)frame, 0xC0FFEE);
    /* After unmap the CPU must not use its cached translation (invlpg). */
    KEXPECT(!read_faults(TEST_VA));          /* loads the TLB entry */
    KEXPECT_EQ(vm_unmap(&kernel_as, TEST_VA), frame);
    KEXPECT(!vm_lookup(&kernel_as, TEST_VA, NULL, NULL));
    KEXPECT(read_faults(TEST_VA));
    KEXPECT_EQ(vm_unmap(&kernel_as, TEST_VA), 0);
    frame_free(frame);
}

KTEST(vm, protect_read_only)
{
    KASSERT(kernel_as.pd != NULL);
    paddr_t frame = frame_alloc();
    KASSERT(frame != 0);
    KASSERT(vm_map(&kernel_as, TEST_VA, frame, PTE_W) == 0);
    /* SAFETY: TEST_VA mapped writable just above. */
    *(volatile uint32_t *)TEST_VA = 1;
    KEXPECT_EQ(vm_protect(&kernel_as, TEST_VA, PAGE_SIZE, 0), 0);
    fault.vector = T_PGFLT;
    trap_expect(&fault);
    /* SAFETY: faults on purpose (read-only page); resumes at 1:. */
    __asm__ volatile("movl $1f, %0\n\tmovl $2, (%1)\n1:"
                     : "=m"(fault.resume_eip) : "r"(TEST_VA) : "memory");
    KEXPECT(fault.hit);
    KEXPECT_EQ(fault.frame.err, PF_WRITE | PF_PRESENT);
    KEXPECT_EQ(fault.cr2, TEST_VA);
    trap_expect(NULL);
    KEXPECT_EQ(vm_protect(&kernel_as, TEST_VA + PAGE_SIZE, PAGE_SIZE, 0), -1);
    KEXPECT_EQ(vm_unmap(&kernel_as, TEST_VA), frame);
    frame_free(frame);
}

KTEST(vm, user_bit)
{
    KASSERT(kernel_as.pd != NULL);
    uint32_t flags;
    /* Kernel memory: the image, the heap -- never user-accessible. */
    /* SAFETY: pointer -> integer to look the kernel image up. */
    KASSERT(vm_lookup(&kernel_as, (uintptr_t)__kernel_start, NULL, &flags));
    KEXPECT(!(flags & PTE_U));
    KEXPECT(!(kernel_as.pd[PDX(__kernel_start)] & PTE_U));
    void *p = kmalloc(64);
    KASSERT(p != NULL);
    /* SAFETY: as above. */
    KASSERT(vm_lookup(&kernel_as, (uintptr_t)p, NULL, &flags));
    KEXPECT(!(flags & PTE_U));
    kfree(p);
    /* A user page is user-accessible at both levels. */
    paddr_t frame = frame_alloc();
    KASSERT(frame != 0);
    KASSERT(vm_map(&kernel_as, USER_BASE + 0x1000, frame, PTE_W | PTE_U) == 0);
    KASSERT(vm_lookup(&kernel_as, USER_BASE + 0x1000, NULL, &flags));
    KEXPECT(flags & PTE_U);
    KEXPECT(kernel_as.pd[PDX(USER_BASE)] & PTE_U);
    frame_free(vm_unmap(&kernel_as, USER_BASE + 0x1000));
}

KTEST(vm, demand_zero)
{
    KASSERT(kernel_as.pd != NULL);
    const uintptr_t base = TEST_VA + 16 * PAGE_SIZE;
    KASSERT(vm_demand_zero(&kernel_as, base, 8 * PAGE_SIZE, PTE_W) == 0);
    /* Make sure the page table for this 4 MiB exists, so that only the
     * demand-zero pages themselves take frames below. */
    paddr_t warm = frame_alloc();
    KASSERT(warm != 0 && vm_map(&kernel_as, TEST_VA, warm, PTE_W) == 0);
    frame_free(vm_unmap(&kernel_as, TEST_VA));
    uint32_t faults = demand_zero_faults;
    size_t frames = pmm_free_frames();
    /* SAFETY: integer -> pointer into the demand-zero region just made. */
    volatile uint32_t *page2 = (volatile uint32_t *)(base + 2 * PAGE_SIZE);
    KEXPECT_EQ(page2[100], 0);                     /* first touch: a fault */
    page2[100] = 7;
    KEXPECT_EQ(page2[100], 7);                     /* same page: no fault */
    volatile uint32_t *page5 = (volatile uint32_t *)(base + 5 * PAGE_SIZE + 8);
    KEXPECT_EQ(*page5, 0);
    KEXPECT_EQ(demand_zero_faults, faults + 2);
    KEXPECT_EQ(pmm_free_frames(), frames - 2);
    KEXPECT(!vm_lookup(&kernel_as, base + 3 * PAGE_SIZE, NULL, NULL));   /* untouched */
}

KTEST(kmalloc, stress)
{
    enum { LIVE = 128, OPS = 4000 };
    static uint8_t *ptr[LIVE];
    static size_t len[LIVE];
    size_t in_use = kheap.bytes_in_use, blocks = kheap.blocks_in_use;
    rng_state = 11;
    for (int op = 0; op < OPS; op++) {
        int i = (int)(rng() % LIVE);
        if (ptr[i] != NULL) {
            for (size_t j = 0; j < len[i]; j++)
                if (ptr[i][j] != (uint8_t)(i + j)) {
                    ktest_fail(__FILE__, __LINE__, "block %d (%u bytes at %p) corrupted at byte %u",
                               i, (unsigned)len[i], ptr[i], (unsigned)j);
                    break;
                }
            kfree(ptr[i]);
            ptr[i] = NULL;
        } else {
            /* Mostly small blocks, sometimes several pages. */
            len[i] = rng() % 8 == 0 ? 1 + rng() % 20000 : 1 + rng() % 300;
            ptr[i] = kmalloc(len[i]);
            KASSERT(ptr[i] != NULL);
            /* SAFETY: pointer -> integer for the alignment check. */
            KEXPECT((uintptr_t)ptr[i] % 16 == 0);
            for (size_t j = 0; j < len[i]; j++)
                ptr[i][j] = (uint8_t)(i + j);
        }
    }
    for (int i = 0; i < LIVE; i++) {
        kfree(ptr[i]);
        ptr[i] = NULL;
    }
    KEXPECT_EQ(kheap.bytes_in_use, in_use);
    KEXPECT_EQ(kheap.blocks_in_use, blocks);
    KEXPECT_EQ(heap_check(&kheap), 0);
}

KTEST(kmalloc, alignment_and_calloc)
{
    for (size_t align = 16; align <= 4096; align *= 2) {
        void *p = kmalloc_aligned(100, align);
        KASSERT(p != NULL);
        /* SAFETY: pointer -> integer for the alignment check. */
        KEXPECT((uintptr_t)p % align == 0);
        kfree(p);
    }
    uint32_t *z = kcalloc(1000, sizeof *z);
    KASSERT(z != NULL);
    bool zero = true;
    for (int i = 0; i < 1000; i++)
        zero &= z[i] == 0;
    KEXPECT(zero);
    kfree(z);
    KEXPECT(kcalloc((size_t)-1 / 2, 4) == NULL);      /* n * size overflows */
    KEXPECT(kmalloc(0) == NULL);
}

/* The debug mode must catch these; tell it to count instead of panic. */
static size_t errors_from(void (*bug)(void), enum heap_error *kind)
{
    KEXPECT(kheap.debug);
    size_t before = kheap.errors;
    kheap_errors_panic = false;
    kheap_last_error = 0;
    bug();
    kheap_errors_panic = true;
    *kind = kheap_last_error;
    return kheap.errors - before;
}

static void free_twice(void)
{
    void *p = kmalloc(40);
    kfree(p);
#ifndef __clang_analyzer__      /* the double free is the test (make lint) */
    kfree(p);
#endif
}

static void write_one_past(void)
{
    char *p = kmalloc(10);
    p[10] = 'x';
    kfree(p);
}

KTEST(kmalloc, debug_double_free)
{
#ifdef CONFIG_KASAN
    /* KASAN sees the bug first and reports it (selftest=kasan-double-free). */
    ktest_skip("KASAN catches this itself");
    return;
#endif
    enum heap_error kind;
    KEXPECT_EQ(errors_from(free_twice, &kind), 1);
    KEXPECT_EQ(kind, HEAP_DOUBLE_FREE);
}

KTEST(kmalloc, debug_overrun)
{
#ifdef CONFIG_KASAN
    /* KASAN reports the write itself (selftest=kasan-oob). */
    ktest_skip("KASAN catches this itself");
    return;
#endif
    enum heap_error kind;
    KEXPECT_EQ(errors_from(write_one_past, &kind), 1);
    KEXPECT_EQ(kind, HEAP_OVERRUN);
}
#endif /* LAB >= 3 */
