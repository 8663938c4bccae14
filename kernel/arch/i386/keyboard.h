/* keyboard.h -- the PS/2 keyboard, interrupt-driven. */
#ifndef ARCH_I386_KEYBOARD_H
#define ARCH_I386_KEYBOARD_H

#if LAB >= 2
void keyboard_init(void);
#endif

#endif
