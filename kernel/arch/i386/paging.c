/*
 * paging.c -- page directories, page tables, and the page-fault path.
 *
 * A 32-bit virtual address splits into 10 bits of page-directory index, 10
 * of page-table index and 12 of offset (SDM 3A, figure 4-2). Every table
 * is one frame; the kernel reaches tables through the direct map, where a
 * frame's physical address is also its virtual one.
 */
#if LAB >= 3
#include "arch/i386/paging.h"
#include "backtrace.h"
#include "console.h"
#include "lab.h"
#include "multiboot.h"
#include "panic.h"
#include "trap.h"
#include "sanitizers/kasan.h"
#include <string.h>
#if LAB >= 5
#include "arch/i386/smp.h"
#endif

/* backtrace.h names the same boundary without this header (lab 1). */
_Static_assert(BACKTRACE_END == KERNEL_SPACE_END, "BACKTRACE_END is KERNEL_SPACE_END");

struct addr_space kernel_as;
uint32_t demand_zero_faults;

extern char boot_stack_guard[];

static uint32_t *table_at(paddr_t pa)
{
    /* SAFETY: integer -> pointer through the direct map: pa is a frame
     * below KERNEL_DIRECT_END (the allocator hands out no other), mapped
     * at the same virtual address. */
    return (uint32_t *)(uintptr_t)pa;
}

#if LAB >= 5
void tlb_invalidate_local(uintptr_t va)
{
    /* SAFETY: drops one TLB entry of this CPU; no other effect. */
    __asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

/* Every unmap and every loss of rights (vm_unmap, vm_protect,
 * copy-on-write) comes through here: with several CPUs, any of them may
 * hold the old translation (the kernel's half is shared by all, a
 * process's threads run on several), so all of them drop it. */
void tlb_invalidate(uintptr_t va)
{
    tlb_shootdown(va);
}
#else
void tlb_invalidate(uintptr_t va)
{
    /* SAFETY: drops one TLB entry of this CPU; no other effect. */
    __asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}
#endif

/* The page-table entry for va; with `create`, allocate a missing page
 * table (zeroed). NULL if there is none (or no frame to make one). */
static uint32_t *pte_walk(struct addr_space *as, uintptr_t va, bool create)
{
#if SOLVED >= 3
    uint32_t *pde = &as->pd[PDX(va)];
    if (!(*pde & PTE_P)) {
        if (!create)
            return NULL;
        paddr_t pt = frame_alloc();
        if (pt == 0)
            return NULL;
        memset(table_at(pt), 0, PAGE_SIZE);
        /* Permissions are checked at both levels: the directory entry is
         * permissive, the page-table entries decide. User space (lab 4)
         * needs U here; kernel PDEs never get it. */
        *pde = pt | PTE_P | PTE_W | (va >= USER_BASE ? PTE_U : 0);
    }
    return &table_at(*pde & ~PTE_FLAGS)[PTX(va)];
#else
    /* LAB 3 exercise 2: find the page-table entry of va: the directory
     * entry as->pd[PDX(va)] holds the page table's frame (and flags);
     * the entry is that table's [PTX(va)]. If the directory entry is not
     * present: return NULL, or with `create` allocate a zeroed frame for
     * the table and install it (P, W, and U for user addresses). */
    (void)as; (void)va; (void)create; (void)table_at;
    LAB_TODO_ONCE(3, 2, "pte_walk()");
    return NULL;
#endif
}

int vm_map(struct addr_space *as, uintptr_t va, paddr_t pa, uint32_t flags)
{
    uint32_t *pte = pte_walk(as, va, true);
    if (pte == NULL || (*pte & PTE_P))
        return -1;
    *pte = (pa & ~PTE_FLAGS) | (flags & PTE_FLAGS) | PTE_P;
    return 0;
}

paddr_t vm_unmap(struct addr_space *as, uintptr_t va)
{
#if SOLVED >= 3
    uint32_t *pte = pte_walk(as, va, false);
    if (pte == NULL || !(*pte & PTE_P))
        return 0;
    paddr_t pa = *pte & ~PTE_FLAGS;
    *pte = 0;
    tlb_invalidate(va);     /* or the CPU keeps using the old translation */
    return pa;
#else
    /* LAB 3 exercise 3: clear va's page-table entry, make the CPU forget
     * the old translation, and return the frame it mapped (0 if none). */
    (void)as; (void)va;
    LAB_TODO_ONCE(3, 3, "vm_unmap()");
    return 0;
#endif
}

bool vm_lookup(struct addr_space *as, uintptr_t va, paddr_t *pa, uint32_t *flags)
{
    uint32_t *pte = pte_walk(as, va, false);
    if (pte == NULL || !(*pte & PTE_P))
        return false;
    if (pa)
        *pa = (*pte & ~PTE_FLAGS) | (va & PTE_FLAGS);
    if (flags)
        *flags = *pte & PTE_FLAGS;
    return true;
}

int vm_protect(struct addr_space *as, uintptr_t va, size_t len, uint32_t flags)
{
    for (uintptr_t p = va & ~PTE_FLAGS; p < va + len; p += PAGE_SIZE) {
        uint32_t *pte = pte_walk(as, p, false);
        if (pte == NULL || !(*pte & PTE_P))
            return -1;
        *pte = (*pte & ~PTE_FLAGS) | (flags & PTE_FLAGS) | PTE_P;
        tlb_invalidate(p);
    }
    return 0;
}

/* ---- demand-zero regions ---- */

#define MAX_DEMAND_REGIONS 8
static struct demand_region {
    struct addr_space *as;
    uintptr_t start, end;
    uint32_t flags;
} demand_regions[MAX_DEMAND_REGIONS];

int vm_demand_zero(struct addr_space *as, uintptr_t va, size_t len, uint32_t flags)
{
    for (int i = 0; i < MAX_DEMAND_REGIONS; i++) {
        if (demand_regions[i].as == NULL) {
            demand_regions[i] = (struct demand_region){ as, va & ~PTE_FLAGS, va + len, flags };
            return 0;
        }
    }
    return -1;
}

bool vm_handle_fault(uintptr_t addr, uint32_t err)
{
#if SOLVED >= 3
    if (err & PF_PRESENT)
        return false;           /* a protection fault: no region can help */
    for (int i = 0; i < MAX_DEMAND_REGIONS; i++) {
        struct demand_region *r = &demand_regions[i];
        if (r->as == NULL || addr < r->start || addr >= r->end)
            continue;
        paddr_t frame = frame_alloc();
        if (frame == 0)
            return false;
        memset(table_at(frame), 0, PAGE_SIZE);
        if (vm_map(r->as, addr & ~PTE_FLAGS, frame, r->flags) != 0) {
            frame_free(frame);
            return false;
        }
        demand_zero_faults++;
        return true;
    }
    return false;
#else
    /* LAB 3 exercise 5: a not-present fault inside a demand-zero region
     * (demand_regions[]) is resolved by mapping a fresh, zeroed frame at
     * the faulting page with the region's flags; count it in
     * demand_zero_faults and return true. Anything else: false. */
    (void)addr; (void)err;
    LAB_TODO_ONCE(3, 5, "vm_handle_fault()");
    return false;
#endif
}

#if LAB >= 4
uint32_t *vm_pte(struct addr_space *as, uintptr_t va)
{
    return pte_walk(as, va, false);
}

bool vm_prealloc_kernel_tables(uintptr_t end)
{
    for (uintptr_t va = KERNEL_DIRECT_END; va < end; va += 1u << 22)
        if (pte_walk(&kernel_as, va, true) == NULL)
            return false;
    return true;
}

bool vm_sync_kernel_pde(uintptr_t addr)
{
    uint32_t cr3;
    /* SAFETY: reads CR3; the directory it names is a direct-mapped frame. */
    __asm__ volatile("movl %%cr3, %0" : "=r"(cr3));
    uint32_t *pd = table_at(cr3 & ~PTE_FLAGS);
    if (addr >= USER_BASE || pd == kernel_as.pd || (pd[PDX(addr)] & PTE_P) ||
        !(kernel_as.pd[PDX(addr)] & PTE_P))
        return false;
    pd[PDX(addr)] = kernel_as.pd[PDX(addr)];
    return true;
}
#endif

/* ---- turning paging on ---- */

static uint32_t read_cr0(void)
{
    uint32_t v;
    /* SAFETY: reads a control register. */
    __asm__ volatile("movl %%cr0, %0" : "=r"(v));
    return v;
}

bool paging_init(void)
{
    paddr_t pd = frame_alloc();
    if (pd == 0)
        panic("paging: no frame for the page directory");
    memset(table_at(pd), 0, PAGE_SIZE);
    kernel_as.pd = table_at(pd);
    /* Without pte_walk() (lab 3 exercise 2) nothing can be mapped: stay
     * with paging off, as in lab 2, rather than fault. */
    if (vm_map(&kernel_as, PAGE_SIZE, PAGE_SIZE, PTE_W | PTE_G) != 0) {
        kprintf("paging: NOT on, the first page could not be mapped\n");
        kernel_as.pd = NULL;
        return false;
    }

    /* The direct map: all RAM below KERNEL_DIRECT_END, page 0 excepted. */
    uint64_t ram_end = 0;
    for (int i = 0; i < boot_info.nregions; i++)
        if (boot_info.regions[i].type == MB_MMAP_USABLE &&
            boot_info.regions[i].base + boot_info.regions[i].length > ram_end)
            ram_end = boot_info.regions[i].base + boot_info.regions[i].length;
    if (ram_end > PMM_LIMIT)      /* = KERNEL_DIRECT_END, or KASAN's shadow */
        ram_end = PMM_LIMIT;
    for (uintptr_t va = 2 * PAGE_SIZE; va < ram_end; va += PAGE_SIZE)
        if (vm_map(&kernel_as, va, va, PTE_W | PTE_G) != 0)
            panic("paging: cannot map 0x%x (out of frames for page tables?)", (unsigned)va);

    /* The guard page below the boot stack (boot.S): unmapped, so running
     * off the stack faults instead of overwriting what lies below. */
    /* SAFETY: pointer -> integer for the guard page's address. */
    vm_unmap(&kernel_as, (uintptr_t)boot_stack_guard);
    /* KASAN's shadow of the image (make KASAN=1; a no-op otherwise):
     * mapped before CR3 is loaded, since from then on every instrumented
     * function's stack redzones are written to it. */
    if (!kasan_init_shadow())
        panic("kasan: no frames for the shadow");

    /* SAFETY: loads the new page directory and turns paging on. The
     * direct map covers this code, its stack and data at the same
     * addresses, so nothing in use moves. CR0.WP makes read-only pages
     * read-only for the kernel too; CR4.PGE honours PTE_G. */
    __asm__ volatile("movl %%cr4, %%eax\n\t"
                     "orl $0x80, %%eax\n\t"
                     "movl %%eax, %%cr4\n\t"
                     "movl %0, %%cr3\n\t"
                     "movl %%cr0, %%eax\n\t"
                     "orl $0x80010000, %%eax\n\t"
                     "movl %%eax, %%cr0"
                     : : "r"(pd) : "eax", "memory");
    kasan_start();
    kprintf("paging: on, %u MiB direct-mapped, cr0 0x%08x\n", (unsigned)(ram_end >> 20),
            read_cr0());
    return true;
}
#endif /* LAB >= 3 */
