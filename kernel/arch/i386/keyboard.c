/*
 * keyboard.c -- IRQ 1: a byte from the 8042 keyboard controller.
 *
 * The controller raises IRQ 1 when its output buffer holds a scancode
 * (status port 0x64, bit 0); reading port 0x60 takes it out. kbdmap.c
 * turns scancodes into characters, which go to the console's input.
 */
#if LAB >= 2
#include "arch/i386/keyboard.h"
#include "arch/i386/io.h"
#include "arch/i386/pic.h"
#include "console.h"
#include "kbdmap.h"
#include "trap.h"

enum { KBC_DATA = 0x60, KBC_STATUS = 0x64, KBC_OUTPUT_FULL = 0x01 };

static struct kbd_state kbd_state;

static void keyboard_irq(struct trapframe *tf)
{
    (void)tf;
    /* SAFETY: 0x60/0x64 belong to the 8042 controller; only this handler
     * reads them once interrupts are on (IRQ 1 does not nest with itself). */
    while (inb(KBC_STATUS) & KBC_OUTPUT_FULL) {
        uint8_t scancode = inb(KBC_DATA);
        char c = kbd_translate(&kbd_state, scancode);
#if LAB >= 4
        c = kbd_control(&kbd_state, scancode, c);   /* Ctrl-C for the console */
#endif
        if (c != 0)
            console_input(c);
    }
}

void keyboard_init(void)
{
    irq_register(IRQ_KEYBOARD, keyboard_irq);
}
#endif /* LAB >= 2 */
