/* pic.h -- the two 8259A programmable interrupt controllers. */
#ifndef ARCH_I386_PIC_H
#define ARCH_I386_PIC_H

#if LAB >= 2
#include <stdbool.h>

#define IRQ_TIMER    0
#define IRQ_KEYBOARD 1
#define IRQ_CASCADE  2      /* the slave PIC hangs off the master's line 2 */
#define IRQ_COM1     4
#define IRQ_SPURIOUS_MASTER 7
#define IRQ_RTC      8
#define IRQ_SPURIOUS_SLAVE 15

void pic_init(void);
void pic_unmask(int irq);
void pic_mask(int irq);
#if LAB >= 5
/* Mask every line: the I/O APIC delivers the ISA IRQs instead. */
void pic_disable(void);
#endif
/* Is this IRQ 7 or 15 one the PIC did not really raise? */
bool pic_is_spurious(int irq);
/* End of interrupt: tell the PIC(s) that `irq` has been handled. */
void pic_send_eoi(int irq);
/* The in-service register of both chips (slave << 8 | master). */
unsigned pic_in_service(void);
#endif /* LAB >= 2 */

#endif
