/* uvm.c -- user address spaces and copy-on-write (see uvm.h). */
#if LAB >= 4
#include "mm/uvm.h"
#include "mm/frameref.h"
#include "mm/kmalloc.h"
#include "arch/i386/cpu.h"
#if LAB >= 5
#include "arch/i386/smp.h"
#endif
#include "abi/errno.h"
#include "abi/syscall.h"
#include "lab.h"
#include "panic.h"
#include <string.h>


/* SAFETY: integer -> pointer through the direct map: page tables and
 * user frames are frames below KERNEL_DIRECT_END, mapped at va == pa. */
static void *frame_ptr(paddr_t pa)
{
    return (void *)(uintptr_t)pa;
}

struct addr_space *uvm_create(void)
{
    struct addr_space *as = kcalloc(1, sizeof *as);
    paddr_t pd = frame_alloc();
    if (as == NULL || pd == 0) {
        kfree(as);
        if (pd != 0)
            frame_free(pd);
        return NULL;
    }
    as->pd = frame_ptr(pd);
    page_zero(as->pd);
    /* The kernel's half: the same page tables in every address space.
     * The heap's and the thread stacks' tables exist since boot; a table
     * the kernel makes later above them (test scratch areas) reaches this
     * directory on first touch (vm_sync_kernel_pde). */
    memcpy(as->pd, kernel_as.pd, PDX(USER_BASE) * sizeof(uint32_t));
    return as;
}

/* Call fn(as, va, pte) for every present user page, skipping page tables
 * that do not exist. */
static void for_each_user_page(struct addr_space *as,
                               void (*fn)(struct addr_space *, uintptr_t, uint32_t *, void *),
                               void *ctx)
{
    for (uint32_t pdx = PDX(USER_BASE); pdx <= PDX(USER_TOP - 1); pdx++) {
        if (!(as->pd[pdx] & PTE_P))
            continue;
        uint32_t *table = frame_ptr(as->pd[pdx] & ~PTE_FLAGS);
        for (uint32_t ptx = 0; ptx < 1024; ptx++)
            if (table[ptx] & PTE_P)
                fn(as, (uintptr_t)pdx << 22 | (uintptr_t)ptx << 12, &table[ptx], ctx);
    }
}

static void drop_page(struct addr_space *as, uintptr_t va, uint32_t *pte, void *ctx)
{
    (void)as; (void)va; (void)ctx;
    frame_unref(*pte & ~PTE_FLAGS);
    *pte = 0;
}

void uvm_destroy(struct addr_space *as)
{
    for_each_user_page(as, drop_page, NULL);
    for (uint32_t pdx = PDX(USER_BASE); pdx <= PDX(USER_TOP - 1); pdx++)
        if (as->pd[pdx] & PTE_P)
            frame_free(as->pd[pdx] & ~PTE_FLAGS);
    /* SAFETY: pointer -> integer: the directory's frame (direct map). */
    frame_free((paddr_t)(uintptr_t)as->pd);
    kfree(as);
}

void uvm_unmap(struct addr_space *as, uintptr_t va, size_t len)
{
    for (uintptr_t page = va & ~PTE_FLAGS; page < va + len; page += PAGE_SIZE) {
        paddr_t frame = vm_unmap(as, page);
        if (frame != 0)
            frame_unref(frame);
    }
}

int uvm_map_zeroed(struct addr_space *as, uintptr_t va, size_t len, uint32_t flags)
{
    uintptr_t start = va & ~PTE_FLAGS;
    for (uintptr_t page = start; page < va + len; page += PAGE_SIZE) {
        if (vm_lookup(as, page, NULL, NULL))
            continue;
        paddr_t frame = user_frame_alloc();
        if (frame == 0 || vm_map(as, page, frame, (flags & PTE_W) | PTE_U) != 0) {
            if (frame != 0)
                frame_unref(frame);
            uvm_unmap(as, start, page - start);
            return -ENOMEM;
        }
    }
    return 0;
}

struct fork_ctx {
    struct addr_space *child;
    bool failed;
};

/* Share one page with the child. A writable page becomes read-only and
 * copy-on-write on both sides: whoever writes first gets a copy. */
static void share_page(struct addr_space *parent, uintptr_t va, uint32_t *pte, void *ctx)
{
    struct fork_ctx *f = ctx;
    (void)parent;
    if (f->failed)
        return;
#if SOLVED >= 4
    if (*pte & (PTE_W | PTE_COW))
        *pte = (*pte & ~PTE_W) | PTE_COW;
    paddr_t frame = *pte & ~PTE_FLAGS;
    if (vm_map(f->child, va, frame, *pte & PTE_FLAGS) != 0) {
        f->failed = true;
        return;
    }
    frame_ref(frame);
#else
    /* LAB 4 exercise 6: share the page at va with f->child instead of
     * copying it: if it is writable (or already COW), make the parent's
     * entry read-only and PTE_COW; map the same frame in the child with
     * the same flags (vm_map), and count the new mapping (frame_ref).
     * On a vm_map failure set f->failed. */
    (void)va; (void)pte;
    LAB_TODO_ONCE(4, 6, "share_page() (fork's copy-on-write)");
    f->failed = true;
#endif
}

struct addr_space *uvm_fork(struct addr_space *parent)
{
    struct fork_ctx f = { uvm_create(), false };
    if (f.child == NULL)
        return NULL;
    for_each_user_page(parent, share_page, &f);
    /* The parent's entries lost their W bit: forget the old ones. */
#if LAB >= 5
    tlb_shootdown(TLB_ALL);     /* here, and where the parent's other threads run */
#else
    vm_activate(&kernel_as);
    vm_activate(parent);
#endif
    if (f.failed) {
        uvm_destroy(f.child);
        return NULL;
    }
    return f.child;
}

bool uvm_resolve_cow(struct addr_space *as, uintptr_t va)
{
    uint32_t *pte = vm_pte(as, va);
    if (pte == NULL || (*pte & (PTE_P | PTE_COW)) != (PTE_P | PTE_COW))
        return false;
    paddr_t old = *pte & ~PTE_FLAGS;
    uint32_t flags = (*pte & PTE_FLAGS & ~PTE_COW) | PTE_W;
#if SOLVED >= 4
    if (frame_refcount(old) == 1) {
        /* Everyone else let go of it: the frame is ours alone. */
        *pte = old | flags;
    } else {
        paddr_t copy = user_frame_alloc();
        if (copy == 0)
            return false;
        memcpy(frame_ptr(copy), frame_ptr(old), PAGE_SIZE);
        *pte = copy | flags;
        frame_unref(old);
    }
#else
    /* LAB 4 exercise 6: give this address space its own writable page
     * at va: if nobody else maps the frame (frame_refcount(old) == 1),
     * just set *pte = old | flags; otherwise take a user_frame_alloc(),
     * copy the page into it, map it with `flags` and drop this mapping's
     * count of the old frame (frame_unref). False if memory is out. */
    (void)old; (void)flags;
    LAB_TODO_ONCE(4, 6, "uvm_resolve_cow()");
    return false;
#endif
    tlb_invalidate(va);
    return true;
}

bool uvm_is_cow(struct addr_space *as, uintptr_t va)
{
    uint32_t *pte = vm_pte(as, va);
    return pte != NULL && (*pte & (PTE_P | PTE_COW)) == (PTE_P | PTE_COW);
}

static void count_page(struct addr_space *as, uintptr_t va, uint32_t *pte, void *ctx)
{
    (void)as; (void)va; (void)pte;
    (*(size_t *)ctx)++;
}

size_t uvm_mapped_pages(struct addr_space *as)
{
    size_t n = 0;
    for_each_user_page(as, count_page, &n);
    return n;
}
#endif /* LAB >= 4 */
