/* idt.h -- the Interrupt Descriptor Table. */
#ifndef ARCH_I386_IDT_H
#define ARCH_I386_IDT_H

#if LAB >= 2
#include <stdbool.h>
#include <stdint.h>

#define IDT_ENTRIES 256
#define T_IRQ0      32      /* IRQ n arrives as vector T_IRQ0 + n (pic.c) */
#if LAB >= 5
/* The local APIC's own vectors (lapic.c, smp.c), above the 16 ISA IRQs,
 * which keep 32..47 when they come through the I/O APIC. */
#define T_LAPIC_TIMER    48     /* each CPU's preemption tick */
#define T_IPI_RESCHED    49     /* "run the scheduler" (smp_send_resched) */
#define T_IPI_TLB        50     /* "invlpg the shootdown's address" */
#define T_IPI_CALL       51     /* "run this function" (smp_call) */
#define T_LAPIC_SPURIOUS 63     /* low nibble 1111: P6 hardwires those bits */
#define IDT_STUBS        64     /* vectors with a stub in trapentry.S */
#else
#define IDT_STUBS        (T_IRQ0 + 16)
#endif

/* One 8-byte gate (Intel SDM vol. 3A, 6.11, figure 6-2). */
struct idt_gate {
    uint16_t offset_low;    /* handler address bits 0..15 */
    uint16_t selector;      /* code segment of the handler */
    uint8_t zero;
    uint8_t type_attr;      /* P, DPL, 0, gate type */
    uint16_t offset_high;   /* handler address bits 16..31 */
} __attribute__((packed));

#define GATE_PRESENT    0x80
#define GATE_DPL(n)     ((n) << 5)
#define GATE_INT32      0x0E    /* interrupt gate: clears IF on entry */
#define GATE_TRAP32     0x0F    /* trap gate: leaves IF as it was */

extern struct idt_gate idt[IDT_ENTRIES];

struct idt_gate idt_make_gate(uint32_t handler, uint16_t selector, uint8_t type_attr);
/* Build and load the IDT; false (and nothing loaded) if the gates are
 * not usable yet (lab 2 exercise 2 not done). */
bool idt_init(void);
#if LAB >= 5
/* Load, on AP `cpu`, its own copy of the IDT idt_init() built, whose #DF
 * gate names that CPU's double-fault task. */
void idt_load_cpu(int cpu);
#endif
#endif /* LAB >= 2 */

#endif
