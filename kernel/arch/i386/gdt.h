/* gdt.h -- the kernel's Global Descriptor Table. */
#ifndef ARCH_I386_GDT_H
#define ARCH_I386_GDT_H

/* Segment selectors: index * 8, plus the requested privilege level. */
#define GDT_KERNEL_CODE 0x08
#define GDT_KERNEL_DATA 0x10
#define GDT_USER_CODE   (0x18 | 3)
#define GDT_USER_DATA   (0x20 | 3)
#define GDT_TSS         0x28
#if LAB >= 5
/* Entry 6 (0x30), labs 3-4's double-fault task, is unused from here on:
 * each CPU has its own (below). */
/* Two entries per CPU i: its TSS, and right after it its per-CPU data
 * segment (base &cpus[i], loaded into %fs). A kernel entry finds its
 * CPU's %fs as "task register + 8" (str), before it knows which CPU it
 * is on: the task register is the one per-CPU thing it can read for free. */
#define GDT_MAX_CPUS    8       /* == MAX_CPUS (percpu.h; checked in gdt.c) */
#define GDT_CPU_FIRST   7
#define GDT_CPU_TSS(i)  ((GDT_CPU_FIRST + 2 * (i)) << 3)
#define GDT_CPU_FS(i)   (GDT_CPU_TSS(i) + 8)
/* After those pairs, one entry per CPU: the TSS of its double-fault task
 * (doublefault.c). A task's TSS is busy while the task runs, so two CPUs
 * cannot share one: the second #DF would find it busy and reset the
 * machine. */
#define GDT_CPU_DF_FIRST (GDT_CPU_FIRST + 2 * GDT_MAX_CPUS)
#define GDT_CPU_DF_TSS(i) ((GDT_CPU_DF_FIRST + (i)) << 3)
#define GDT_ENTRIES     (GDT_CPU_DF_FIRST + GDT_MAX_CPUS)
#elif LAB >= 3
#define GDT_DF_TSS      0x30    /* the double-fault task (doublefault.c) */
#define GDT_ENTRIES     7
#else
#define GDT_ENTRIES     6
#endif

#ifndef __ASSEMBLY__    /* the selectors above are shared with trapentry.S */
#include <stdint.h>

/* One 8-byte segment descriptor (Intel SDM vol. 3A, 3.4.5, figure 3-8).
 * The base and limit are scattered over the descriptor for backward
 * compatibility with the 80286. */
struct gdt_entry {
    uint16_t limit_low;     /* limit bits 0..15 */
    uint16_t base_low;      /* base bits 0..15 */
    uint8_t base_mid;       /* base bits 16..23 */
    uint8_t access;         /* P, DPL, S, type */
    uint8_t limit_flags;    /* limit bits 16..19 | G, D/B, L, AVL << 4 */
    uint8_t base_high;      /* base bits 24..31 */
} __attribute__((packed));

/* Access byte bits. */
#define SEG_PRESENT     0x80
#define SEG_DPL(n)      ((n) << 5)
#define SEG_CODE_DATA   0x10    /* S=1: code/data, not a system segment */
#define SEG_CODE        0x0A    /* type: execute/read */
#define SEG_DATA        0x02    /* type: read/write */
#define SEG_TSS32       0x09    /* system type: available 32-bit TSS */
/* Flags nibble. */
#define SEG_4K          0x8     /* G: limit counts 4 KiB pages */
#define SEG_32BIT       0x4     /* D/B: 32-bit segment */

/* The task-state segment: the CPU reads esp0/ss0 from it when an
 * interrupt arrives in ring 3 (lab 4). Intel SDM vol. 3A, 8.2.1. */
struct tss {
    uint32_t prev_task, esp0, ss0, esp1, ss1, esp2, ss2;
    uint32_t cr3, eip, eflags, eax, ecx, edx, ebx, esp, ebp, esi, edi;
    uint32_t es, cs, ss, ds, fs, gs, ldt;
    uint16_t trap, iomap_base;
} __attribute__((packed));

extern struct gdt_entry gdt[GDT_ENTRIES];
extern struct tss tss;      /* the boot CPU's (lab 5: cpus[i].tss for each CPU) */

#if LAB >= 5
#include "arch/i386/percpu.h"
#include <stddef.h>

/* Where the CPU puts esp when an interrupt or sysenter takes it from
 * ring 3 to ring 0: the running thread's kernel stack, in this CPU's TSS
 * and in the word this CPU's sysenter entry loads esp from (syscall_arch.c). */
static inline void tss_set_kernel_stack(uint32_t esp0)
{
    struct cpu *c = this_cpu();
    c->tss->esp0 = esp0;
    if (c->sysenter_esp0 != NULL)
        *c->sysenter_esp0 = esp0;
}

/* Build the GDT and load it on the boot CPU, with its TSS and %fs: before
 * the first this_cpu() (kmain's first call). Quiet: no console yet. */
void gdt_early_init(void);
/* The same GDT on an AP: segments, its TSS, its %fs = &cpus[cpu]. */
void gdt_init_cpu(int cpu);
#else
/* Where the CPU puts esp when an interrupt or sysenter takes it from
 * ring 3 to ring 0: the running thread's kernel stack (lab 4). */
static inline void tss_set_kernel_stack(uint32_t esp0)
{
    tss.esp0 = esp0;
}
#endif

struct gdt_entry gdt_encode(uint32_t base, uint32_t limit, uint8_t access, uint8_t flags);
void gdt_init(void);
#endif /* __ASSEMBLY__ */

#endif
