/*
 * paging.h -- i386 two-level paging: address spaces and the kernel's layout.
 *
 * Virtual layout (every address space has the kernel part, supervisor
 * only, so user code cannot touch it: the U/S bit separates the two):
 *
 *   0x00000000 - 0x00000fff  unmapped: a NULL dereference faults
 *   0x00001000 - 0x2fffffff  direct map: virtual == physical for RAM
 *                            (kernel image, page tables, frames)
 *   0x30000000 - 0x37ffffff  kernel heap (kmalloc), grows up
 *   0x38000000 - 0x3fffffff  kernel stacks with guard pages, demand-zero areas
 *   0x40000000 - 0xffffffff  user space (lab 4)
 *
 * Keeping the kernel where it was loaded (no higher half) means the boot
 * path needs no trampoline and addresses in GDB stay physical ones.
 */
#ifndef ARCH_I386_PAGING_H
#define ARCH_I386_PAGING_H

#if LAB >= 3
#include "mm/pmm.h"
#if LAB >= 4
#include "sync/spinlock.h"
#endif
#include <stdbool.h>
#include <stdint.h>

#define KERNEL_DIRECT_END 0x30000000u
#define KHEAP_BASE        0x30000000u
#define KHEAP_END         0x38000000u
#define KSTACK_AREA       0x38000000u
#define KERNEL_SPACE_END  0x40000000u
#define USER_BASE         0x40000000u

/* Page-table entry bits (Intel SDM vol. 3A, 4.3, tables 4-5 and 4-6). */
#define PTE_P   0x001   /* present */
#define PTE_W   0x002   /* writable */
#define PTE_U   0x004   /* user accessible */
#define PTE_PS  0x080   /* (PDE) 4 MiB page */
#define PTE_G   0x100   /* global: kept in the TLB across CR3 loads */
#define PTE_FLAGS 0xFFF

/* SAFETY: pointer -> integer only to take the address's index bits; the
 * result is never turned back into a pointer. */
#define PDX(va) (((uintptr_t)(va) >> 22) & 0x3FF)
#define PTX(va) (((uintptr_t)(va) >> 12) & 0x3FF)

struct addr_space {
    uint32_t *pd;           /* page directory (direct-mapped: va == pa) */
#if LAB >= 4
    /* The user half's page tables and entries (uvm.c), and the owner's
     * heap break (sbrk): the threads of a process share the address
     * space and fault, grow and copy-on-write on different CPUs at once.
     * Unused in kernel_as. */
    struct spinlock lock;
#endif
};

extern struct addr_space kernel_as;

/* Build the kernel's address space and turn paging on; false (paging
 * stays off) if pages cannot be mapped yet (lab 3 not done). */
bool paging_init(void);
/* Map the page at va to frame pa with flags (PTE_W, PTE_U, PTE_G).
 * 0, or -1 if va is mapped already or no frame is left for a page table. */
int vm_map(struct addr_space *as, uintptr_t va, paddr_t pa, uint32_t flags);
/* Unmap va; returns the frame it mapped (the caller frees it), or 0. */
paddr_t vm_unmap(struct addr_space *as, uintptr_t va);
/* What maps va: true and *pa, *flags set, or false. */
bool vm_lookup(struct addr_space *as, uintptr_t va, paddr_t *pa, uint32_t *flags);
/* Set the flags of every mapped page in [va, va+len); -1 if one is not mapped. */
int vm_protect(struct addr_space *as, uintptr_t va, size_t len, uint32_t flags);

/* A demand-zero region: its pages get a zeroed frame on first touch. */
int vm_demand_zero(struct addr_space *as, uintptr_t va, size_t len, uint32_t flags);
/* From the page-fault handler: true if the fault was resolved. */
bool vm_handle_fault(uintptr_t addr, uint32_t err);
extern uint32_t demand_zero_faults;

/* Forget va's translation: on this CPU, and from lab 5 on every online
 * CPU (tlb_shootdown); tlb_invalidate_local: this CPU's only. */
void tlb_invalidate(uintptr_t va);
#if LAB >= 5
void tlb_invalidate_local(uintptr_t va);
#endif

#if LAB >= 4
#define PTE_COW 0x200   /* an "available" bit: shared by fork, copy on write (uvm.c) */

/* The page-table entry of va, or NULL if va's page table does not exist. */
uint32_t *vm_pte(struct addr_space *as, uintptr_t va);
/* Give every 4 MiB of kernel space in [KERNEL_DIRECT_END, end) -- the
 * heap and the thread stacks -- its page table now, so that those
 * directory entries never change again: each process's page directory
 * copies them once (uvm.c). */
bool vm_prealloc_kernel_tables(uintptr_t end);
/* A fault on a kernel address above `end` whose page table was made after
 * the current address space copied the kernel's entries: copy the one
 * entry now and return true (the access is retried). */
bool vm_sync_kernel_pde(uintptr_t addr);
/* Load as's page directory into CR3 (if it is not loaded already).
 * Inline: every switch between user threads runs it (docs/bench.md). */
static inline void vm_activate(struct addr_space *as)
{
    /* SAFETY: pointer -> integer: a page directory's frame is
     * direct-mapped (va == pa), so its address is what CR3 takes. */
    uint32_t pd = (uint32_t)(uintptr_t)as->pd, cr3;
    /* SAFETY: reads and writes CR3. Every address space holds the same
     * kernel entries (vm_prealloc_kernel_tables), so the code, stack and
     * data in use stay mapped across the load. */
    __asm__ volatile("movl %%cr3, %0" : "=r"(cr3));
    if (cr3 != pd)
        __asm__ volatile("movl %0, %%cr3" : : "r"(pd) : "memory");
}
#endif
#endif /* LAB >= 3 */

#endif
