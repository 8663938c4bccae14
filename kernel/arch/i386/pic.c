/*
 * pic.c -- the 8259A pair.
 *
 * A PC has two 8259A PICs: the master handles IRQs 0-7, the slave IRQs
 * 8-15 and signals the master on IRQ 2. Out of reset they deliver IRQs
 * 0-7 as vectors 8-15, the same vectors as the CPU's exceptions (#DF is 8),
 * so the first job is to move them: to vectors 32-47 (T_IRQ0).
 * Intel 8259A datasheet; OSDev's "8259 PIC" page has the register tables.
 */
#if LAB >= 2
#include "arch/i386/pic.h"
#include "arch/i386/idt.h"
#include "arch/i386/io.h"
#include "lab.h"
#include <stdint.h>

enum {
    PIC1_CMD = 0x20, PIC1_DATA = 0x21,  /* master */
    PIC2_CMD = 0xA0, PIC2_DATA = 0xA1,  /* slave */
    ICW1_INIT_ICW4 = 0x11,              /* start init, edge-triggered, ICW4 follows */
    ICW4_8086 = 0x01,
    OCW2_EOI = 0x20,                    /* non-specific end of interrupt */
    OCW3_READ_ISR = 0x0B,               /* next read of CMD returns the ISR */
};

/* SAFETY (every port access in this file): 0x20/0x21 and 0xA0/0xA1 are
 * the two PICs on every PC; only this file programs them, always with
 * interrupts off (boot, or inside a handler) so the sequences of the
 * init protocol are never interleaved. */

static uint16_t irq_mask = 0xFFFF & ~(1u << IRQ_CASCADE);   /* 1 = masked */

static void pic_write_masks(void)
{
    outb(PIC1_DATA, (uint8_t)irq_mask);
    outb(PIC2_DATA, (uint8_t)(irq_mask >> 8));
}

void pic_init(void)
{
    /* ICW1..ICW4 to each chip, in this order (datasheet, "Initialization
     * command words"). */
    outb(PIC1_CMD, ICW1_INIT_ICW4);
    outb(PIC2_CMD, ICW1_INIT_ICW4);
    outb(PIC1_DATA, T_IRQ0);            /* ICW2: master vectors 32..39 */
    outb(PIC2_DATA, T_IRQ0 + 8);        /*       slave vectors 40..47 */
    outb(PIC1_DATA, 1 << IRQ_CASCADE);  /* ICW3: master has a slave on line 2 */
    outb(PIC2_DATA, IRQ_CASCADE);       /*       slave's identity is 2 */
    outb(PIC1_DATA, ICW4_8086);
    outb(PIC2_DATA, ICW4_8086);
    pic_write_masks();                  /* everything masked but the cascade */
}

#if LAB >= 5
void pic_disable(void)
{
    irq_mask = 0xFFFF;          /* the I/O APIC takes over (intc.c) */
    pic_write_masks();
}
#endif

void pic_unmask(int irq)
{
    irq_mask &= (uint16_t)~(1u << irq);
    pic_write_masks();
}

void pic_mask(int irq)
{
    irq_mask |= (uint16_t)(1u << irq);
    pic_write_masks();
}

unsigned pic_in_service(void)
{
    outb(PIC1_CMD, OCW3_READ_ISR);
    outb(PIC2_CMD, OCW3_READ_ISR);
    return (unsigned)inb(PIC2_CMD) << 8 | inb(PIC1_CMD);
}

bool pic_is_spurious(int irq)
{
    /* A line that drops before the CPU acknowledges it still makes the
     * PIC deliver its lowest-priority vector (7 or 15), without setting
     * the in-service bit. Such an IRQ must not get an EOI: it would end
     * some other, real, interrupt. */
    if (irq != IRQ_SPURIOUS_MASTER && irq != IRQ_SPURIOUS_SLAVE)
        return false;
    return !(pic_in_service() & (1u << irq));
}

void pic_send_eoi(int irq)
{
#if SOLVED >= 2
    if (irq == IRQ_SPURIOUS_SLAVE && pic_is_spurious(irq)) {
        /* The master saw a real IRQ 2 from the slave: end that one only. */
        outb(PIC1_CMD, OCW2_EOI);
        return;
    }
    if (irq == IRQ_SPURIOUS_MASTER && pic_is_spurious(irq))
        return;
    if (irq >= 8)
        outb(PIC2_CMD, OCW2_EOI);
    outb(PIC1_CMD, OCW2_EOI);
#else
    /* LAB 2 exercise 3: acknowledge `irq`. An IRQ of the slave (8..15)
     * needs an EOI on both chips, slave first; one of the master only on
     * the master. A spurious IRQ 7 (pic_is_spurious) gets none at all; a
     * spurious IRQ 15 only the master's (it did see IRQ 2). */
    LAB_TODO_ONCE(2, 3, "pic_send_eoi()");
    outb(PIC1_CMD, OCW2_EOI);   /* the master only, always: not enough */
    (void)irq;
#endif
}
#endif /* LAB >= 2 */
