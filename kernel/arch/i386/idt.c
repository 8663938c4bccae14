/*
 * idt.c -- where the CPU goes on an interrupt or exception.
 *
 * Vectors 0..31 are the CPU's exceptions, 32..47 the PIC's IRQs
 * (remapped there by pic.c, away from the exceptions). Every gate points
 * at a stub in trapentry.S. All gates are interrupt gates (IF cleared on
 * entry): a handler decides itself when to allow the next interrupt.
 */
#if LAB >= 2
#include "arch/i386/idt.h"
#include "arch/i386/gdt.h"
#include "lab.h"
#if LAB >= 5
#include "arch/i386/doublefault.h"
#include "arch/i386/percpu.h"
#include <string.h>
#endif

struct idt_gate idt[IDT_ENTRIES];

/* The stubs, in vector order (trapentry.S). */
extern const uint32_t trap_vectors[IDT_STUBS];

struct idt_gate idt_make_gate(uint32_t handler, uint16_t selector, uint8_t type_attr)
{
    struct idt_gate g = { 0 };
#if SOLVED >= 2
    g.offset_low = handler & 0xFFFF;
    g.selector = selector;
    g.zero = 0;
    g.type_attr = type_attr;
    g.offset_high = (handler >> 16) & 0xFFFF;
#else
    /* LAB 2 exercise 2: fill in the gate (SDM 3A figure 6-2): the handler
     * address split into two halves, the code segment selector, and the
     * type/attribute byte. */
    (void)handler; (void)selector; (void)type_attr;
    LAB_TODO(2, 2, "idt_make_gate()");
#endif
    return g;
}

struct idt_pointer {
    uint16_t limit;
    uint32_t base;
} __attribute__((packed));

bool idt_init(void)
{
    /* DPL 0 for all, int3's included: `int N` (and int3, into) from
     * ring 3 then raises #GP before any handler runs. A DPL-3 gate would
     * let a program fake an IRQ, or enter the handler of an exception
     * that pushes an error code with a frame one word short. Only
     * int $0x80 is for ring 3 (syscall_arch.c, lab 4); Tidepool has no
     * user debugger that would want int3 (t_hostile checks every vector). */
    for (int v = 0; v < IDT_STUBS; v++)
        idt[v] = idt_make_gate(trap_vectors[v], GDT_KERNEL_CODE,
                               GATE_PRESENT | GATE_DPL(0) | GATE_INT32);
    /* Empty gates would turn the first interrupt into a triple fault:
     * keep interrupts off and let the rest of the kernel run as in lab 1. */
    if (!(idt[T_IRQ0].type_attr & GATE_PRESENT)) {
        kprintf("idt: NOT loaded, interrupts stay off\n");
        return false;
    }

    /* SAFETY: pointer -> integer for IDTR's base; the table is static and
     * every gate below IDT_STUBS (48; 64 from lab 5) points at a stub in
     * trapentry.S. Vectors above are not present: `int $n` on one raises #NP (error code
     * n * 8 + 2), which has a gate. */
    struct idt_pointer ip = { sizeof idt - 1, (uint32_t)(uintptr_t)idt };
    /* SAFETY: lidt only loads IDTR from ip, which lives on this stack
     * frame while the instruction runs. */
    __asm__ volatile("lidt %0" : : "m"(ip));
    kprintf("idt: loaded, %d vectors\n", IDT_STUBS);
    return true;
}

#if LAB >= 5
/* Each AP's own copy of the table: the same gates but #DF's, which names
 * that CPU's double-fault task (doublefault.c: two CPUs cannot share
 * one). The boot CPU keeps `idt`. Copied when the AP starts: the boot CPU
 * finished `idt` before (main.c: the double-fault and system-call gates,
 * then smp_start_aps), and nothing writes a gate afterwards. */
static struct idt_gate ap_idt[MAX_CPUS][IDT_ENTRIES];  /* [0] unused */

void idt_load_cpu(int cpu)
{
    memcpy(ap_idt[cpu], idt, sizeof idt);
    ap_idt[cpu][8] = doublefault_gate(cpu);
    /* SAFETY: as in idt_init(): pointer -> integer for IDTR's base; the
     * table is static and complete, its gates name loaded code. */
    struct idt_pointer ip = { sizeof ap_idt[cpu] - 1, (uint32_t)(uintptr_t)ap_idt[cpu] };
    __asm__ volatile("lidt %0" : : "m"(ip));
}
#endif
#endif /* LAB >= 2 */
