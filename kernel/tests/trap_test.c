/*
 * trap_test.c -- lab 2: exceptions land on the right vector, with the
 * right faulting eip and error code, and the kernel goes on.
 *
 * Each case announces the trap it provokes (trap_expect); trap() then
 * records the frame and resumes at the label after the faulting
 * instruction instead of panicking. The inline asm publishes two labels:
 * 2: the instruction that must fault, 1: where to resume.
 */
#if LAB >= 2
#include "ktest.h"
#include "trap.h"
#include "arch/i386/gdt.h"
#include "arch/i386/idt.h"
#include <string.h>

static struct expected_trap seen;

static void expect_frame(uint32_t vector, uint32_t fault_eip, uint32_t err)
{
    KEXPECT(seen.hit);
    KEXPECT_EQ(seen.frame.vector, vector);
    KEXPECT_EQ(seen.frame.eip, fault_eip);
    KEXPECT_EQ(seen.frame.err, err);
    KEXPECT_EQ(seen.frame.cs, GDT_KERNEL_CODE);
}

KTEST(trap, divide_error)
{
    uint32_t fault_eip;
    seen.vector = T_DIVIDE;
    trap_expect(&seen);
    /* SAFETY: divides by zero on purpose; the trap resumes at 1:. */
    __asm__ volatile("movl $1f, %1\n\t"
                     "movl $2f, %0\n\t"
                     "xorl %%ecx, %%ecx\n\t"
                     "movl $7, %%eax\n\t"
                     "xorl %%edx, %%edx\n"
                     "2:\tdivl %%ecx\n"
                     "1:"
                     : "=&r"(fault_eip), "=m"(seen.resume_eip) : : "eax", "ecx", "edx", "memory");
    expect_frame(T_DIVIDE, fault_eip, 0);
}

KTEST(trap, invalid_opcode)
{
    uint32_t fault_eip;
    seen.vector = T_ILLOP;
    trap_expect(&seen);
    /* SAFETY: ud2 is defined to raise #UD; the trap resumes at 1:. */
    __asm__ volatile("movl $1f, %1\n\t"
                     "movl $2f, %0\n"
                     "2:\tud2\n"
                     "1:"
                     : "=&r"(fault_eip), "=m"(seen.resume_eip) : : "memory");
    expect_frame(T_ILLOP, fault_eip, 0);
}

KTEST(trap, general_protection)
{
    uint32_t fault_eip;
    seen.vector = T_GPFLT;
    trap_expect(&seen);
    /* SAFETY: loads a selector far past the GDT's limit into fs on
     * purpose: #GP with the selector as error code; fs keeps its value
     * because the load never completes. Resumes at 1:. */
    __asm__ volatile("movl $1f, %1\n\t"
                     "movl $2f, %0\n\t"
                     "movw $0x1230, %%ax\n"
                     "2:\tmovw %%ax, %%fs\n"
                     "1:"
                     : "=&r"(fault_eip), "=m"(seen.resume_eip) : : "eax", "memory");
    expect_frame(T_GPFLT, fault_eip, 0x1230);
}

/* Page faults need paging, which arrives in lab 3. This case turns it on
 * for a moment with tables of its own: 4 MiB pages (PSE), the first 4 MiB
 * identity-mapped (kernel, stack, VGA), 8..12 MiB mapped read-only, the
 * rest not present. CR0.WP makes read-only pages read-only in ring 0. */
static uint32_t test_pd[1024] __attribute__((aligned(4096)));

enum { PDE_P = 0x1, PDE_W = 0x2, PDE_PS = 0x80, CR0_PG = 1u << 31, CR0_WP = 1u << 16,
       CR4_PSE = 1u << 4 };

/* Write to `addr` with paging on; returns the eip of the write. */
static uint32_t write_with_paging(uint32_t addr)
{
    uint32_t fault_eip;
    /* SAFETY: the page directory maps this code, its stack and data
     * identically, so turning paging on and off changes no address in
     * use; interrupts are off meanwhile (no handler runs on these tables).
     * The write to addr faults on purpose and resumes at 1:. */
    __asm__ volatile("pushfl\n\tcli\n\t"
                     "movl %%cr4, %%eax\n\torl %[pse], %%eax\n\tmovl %%eax, %%cr4\n\t"
                     "movl %[pd], %%cr3\n\t"
                     "movl %%cr0, %%eax\n\torl %[pgwp], %%eax\n\tmovl %%eax, %%cr0\n\t"
                     "movl $1f, %[resume]\n\t"
                     "movl $2f, %[eip]\n"
                     "2:\tmovl $0x5a5a, (%[addr])\n"
                     "1:\tmovl %%cr0, %%eax\n\tandl %[nopg], %%eax\n\tmovl %%eax, %%cr0\n\t"
                     "popfl"
                     : [eip] "=&r"(fault_eip), [resume] "=m"(seen.resume_eip)
                     : [pd] "r"(test_pd), [addr] "r"(addr), [pse] "i"(CR4_PSE),
                       [pgwp] "i"(CR0_PG | CR0_WP), [nopg] "i"(~(CR0_PG | CR0_WP))
                     : "eax", "memory");
    return fault_eip;
}

#if LAB >= 3
/* With paging on (lab 3), fault through the kernel's own tables instead:
 * an unmapped page, and a page mapped read-only. */
#include "arch/i386/paging.h"
#include "mm/pmm.h"

static uint32_t write_faulting(uint32_t addr)
{
    uint32_t fault_eip;
    /* SAFETY: the write to addr faults on purpose and resumes at 1:. */
    __asm__ volatile("movl $1f, %[resume]\n\t"
                     "movl $2f, %[eip]\n"
                     "2:\tmovl $0x5a5a, (%[addr])\n"
                     "1:"
                     : [eip] "=&r"(fault_eip), [resume] "=m"(seen.resume_eip)
                     : [addr] "r"(addr) : "memory");
    return fault_eip;
}

static void page_fault_kernel_tables(void)
{
    const uintptr_t unmapped = KSTACK_AREA + 0x7000000, readonly = unmapped + PAGE_SIZE;
    paddr_t frame = frame_alloc();
    KASSERT(frame != 0);
    KASSERT(vm_map(&kernel_as, readonly, frame, 0) == 0);

    seen.vector = T_PGFLT;
    trap_expect(&seen);
    uint32_t eip = write_faulting(unmapped);
    expect_frame(T_PGFLT, eip, PF_WRITE);
    KEXPECT_EQ(seen.cr2, unmapped);

    seen.vector = T_PGFLT;
    trap_expect(&seen);
    eip = write_faulting(readonly + 0x234);
    expect_frame(T_PGFLT, eip, PF_WRITE | PF_PRESENT);
    KEXPECT_EQ(seen.cr2, readonly + 0x234);
    frame_free(vm_unmap(&kernel_as, readonly));
}
#endif /* LAB >= 3 */

static void page_fault_private_tables(void)
{
    memset(test_pd, 0, sizeof test_pd);
    test_pd[0] = 0x00000000 | PDE_P | PDE_W | PDE_PS;
    test_pd[2] = 0x00800000 | PDE_P | PDE_PS;           /* read-only */

    seen.vector = T_PGFLT;
    trap_expect(&seen);
    uint32_t eip = write_with_paging(0x40000000);       /* not present */
    expect_frame(T_PGFLT, eip, PF_WRITE);
    KEXPECT_EQ(seen.cr2, 0x40000000);

    seen.vector = T_PGFLT;
    trap_expect(&seen);
    eip = write_with_paging(0x00801234);                /* present, read-only */
    expect_frame(T_PGFLT, eip, PF_WRITE | PF_PRESENT);
    KEXPECT_EQ(seen.cr2, 0x00801234);
}

KTEST(trap, page_fault)
{
#if LAB >= 3
    if (kernel_as.pd != NULL) {     /* paging is on (lab 3 done) */
        page_fault_kernel_tables();
        return;
    }
#endif
    page_fault_private_tables();
}

KTEST(trap, int3_continues)
{
    uint32_t before = trap_counts[T_BRKPT], ebx_after;
    /* SAFETY: int3 traps and returns right after itself; ebx must come
     * back as it was, or the stub loses registers. */
    __asm__ volatile("movl $0x1badcafe, %%ebx\n\tint3\n\tmovl %%ebx, %0"
                     : "=r"(ebx_after) : : "ebx", "memory");
    KEXPECT_EQ(trap_counts[T_BRKPT], before + 1);
    KEXPECT_EQ(ebx_after, 0x1badcafe);
}

KTEST(idt, gate_encoding)
{
    struct idt_gate g = idt_make_gate(0x12345678, 0x0008, 0x8E);
    const uint8_t expected[8] = { 0x78, 0x56, 0x08, 0x00, 0x00, 0x8E, 0x34, 0x12 };
    uint8_t got[8];
    memcpy(got, &g, sizeof got);
    for (int i = 0; i < 8; i++)
        if (got[i] != expected[i])
            ktest_fail(__FILE__, __LINE__, "gate byte %d: expected 0x%02x, got 0x%02x",
                       i, expected[i], got[i]);
}

KTEST(idt, loaded)
{
    struct { uint16_t limit; uint32_t base; } __attribute__((packed)) idtr;
    /* SAFETY: sidt stores 6 bytes into idtr, which has 6 (packed). */
    __asm__ volatile("sidt %0" : "=m"(idtr));
    KEXPECT_EQ(idtr.base, (uintptr_t)idt);
    KEXPECT_EQ(idtr.limit, sizeof idt - 1);
    /* Every exception and IRQ vector has a present gate into the kernel. */
    for (int v = 0; v < T_IRQ0 + 16; v++) {
#if LAB >= 3
        if (v == T_DBLFLT)      /* a task gate to the double-fault task (lab 3) */
            continue;
#endif
        if (!(idt[v].type_attr & GATE_PRESENT) || idt[v].selector != GDT_KERNEL_CODE)
            ktest_fail(__FILE__, __LINE__, "vector %d: gate not present or wrong selector", v);
    }
}
#endif /* LAB >= 2 */
