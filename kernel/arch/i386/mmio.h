/*
 * mmio.h -- device registers in the physical address space, made reachable.
 *
 * The local APIC (0xFEE00000), the I/O APIC (0xFEC00000) and PCI devices'
 * BARs sit at physical addresses far above RAM, which the kernel's direct
 * map (va == pa below KERNEL_DIRECT_END) does not cover, and which must
 * not be cached: a register read has to reach the device every time. So
 * mmio_map() maps them, uncached (PCD|PWT), into a fixed kernel window
 * [MMIO_WINDOW, MMIO_WINDOW_END). The window is kernel-only and global;
 * its page directory entry is made on the first mapping (at boot, before
 * any process copies the kernel's directory entries).
 *
 * Access registers only through mmio_read32()/mmio_write32(): volatile
 * 32-bit loads and stores, never merged, split or reordered by the
 * compiler. (APIC registers must be accessed as aligned 32-bit words,
 * SDM vol. 3A 11.4.1 and the 82093AA datasheet 3.0.)
 */
#ifndef ARCH_I386_MMIO_H
#define ARCH_I386_MMIO_H

#if LAB >= 5
#include <stddef.h>
#include <stdint.h>

#define MMIO_WINDOW     0x3C000000u     /* above the kernel stacks (paging.h) */
#define MMIO_WINDOW_END 0x3C400000u     /* 4 MiB: one page table */

/* Page-table bits for device memory (SDM vol. 3A 4.9.1, table 11-6):
 * PCD|PWT in a PTE (with the PAT untouched) selects the UC memory type. */
#define PTE_PWT 0x008   /* write-through */
#define PTE_PCD 0x010   /* cache disabled */

/* Map the physical range [pa, pa+len) uncached, kernel-only, writable;
 * the returned pointer corresponds to pa (offsets within a page are
 * kept). Mapping a range that is already mapped returns the same
 * address. NULL if the window is full or the range is empty or wraps.
 * With paging off (an unfinished lab 3) physical addresses are linear
 * ones, and pa itself is returned. */
void *mmio_map(uint64_t pa, size_t len);

/* Mappings made so far, for diagnostics (`cpus`, tests). */
size_t mmio_pages_used(void);

static inline uint32_t mmio_read32(const void *base, uint32_t offset)
{
    /* SAFETY: base came from mmio_map() and base+offset is a 4-byte
     * aligned register inside the mapped range (the caller's driver knows
     * its register layout). The volatile load makes exactly one 32-bit
     * read, which devices may treat as having side effects (an APIC's
     * registers, a NIC's interrupt cause register that clears on read). */
    return *(const volatile uint32_t *)((const volatile uint8_t *)base + offset);
}

static inline void mmio_write32(void *base, uint32_t offset, uint32_t value)
{
    /* SAFETY: as mmio_read32: one aligned 32-bit store into a register the
     * caller owns. The "memory" clobbers keep the compiler from moving
     * ordinary memory accesses across it (a descriptor written before
     * the doorbell that tells the device to read it); the CPU itself
     * keeps UC stores in program order (SDM vol. 3A 8.2.5). */
    __asm__ volatile("" : : : "memory");
    *(volatile uint32_t *)((volatile uint8_t *)base + offset) = value;
    __asm__ volatile("" : : : "memory");
}
#endif /* LAB >= 5 */

#endif
