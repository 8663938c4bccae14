/*
 * uvm.h -- user address spaces: one page directory per process.
 *
 * Every address space holds the kernel's entries for [0, USER_BASE),
 * supervisor-only, so a system call or an interrupt runs the kernel
 * without switching page tables; user pages ([USER_BASE, USER_TOP)) have
 * the U bit. User frames are counted (frameref.h): fork shares them
 * copy-on-write, and a frame goes back to the allocator when its last
 * mapping does.
 */
#ifndef MM_UVM_H
#define MM_UVM_H

#if LAB >= 4
#include "arch/i386/paging.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A new address space: the kernel's part, nothing in user space. NULL
 * if memory is out. */
struct addr_space *uvm_create(void);
/* Unmap every user page (dropping each frame's count), free the page
 * tables, the directory and the struct. Not the address space in CR3. */
void uvm_destroy(struct addr_space *as);
/* Map fresh zeroed frames at every page of [va, va + len) that is not
 * mapped yet, with PTE_U and `flags` (PTE_W or 0). -ENOMEM if memory runs
 * out; the pages this call mapped are unmapped again then. */
int uvm_map_zeroed(struct addr_space *as, uintptr_t va, size_t len, uint32_t flags);
/* Unmap the pages of [va, va + len), dropping each frame's count. */
void uvm_unmap(struct addr_space *as, uintptr_t va, size_t len);
/* The child's address space for fork: every user page shared with the
 * parent, read-only and marked copy-on-write in both. NULL if memory is out. */
struct addr_space *uvm_fork(struct addr_space *parent);
/* A write fault at va: if the page is copy-on-write, give this address
 * space its own writable copy (or the frame itself, when nobody else
 * maps it any more) and return true. False: not a COW page, or no memory. */
bool uvm_resolve_cow(struct addr_space *as, uintptr_t va);
/* Is the page at va present and copy-on-write? */
bool uvm_is_cow(struct addr_space *as, uintptr_t va);
/* How many user pages are mapped (for tests and ps). */
size_t uvm_mapped_pages(struct addr_space *as);

/* as->lock, for a caller that must decide and map in one piece (the heap
 * fault against sbrk's break). Interrupts off while held; the _locked
 * calls below expect it held, the others take it themselves. Order:
 * after proc_lock, before frameref's and the allocators' locks. */
uint32_t uvm_lock(struct addr_space *as);
void uvm_unlock(struct addr_space *as, uint32_t saved);
int uvm_map_zeroed_locked(struct addr_space *as, uintptr_t va, size_t len, uint32_t flags);
void uvm_unmap_locked(struct addr_space *as, uintptr_t va, size_t len);
#endif /* LAB >= 4 */

#endif
