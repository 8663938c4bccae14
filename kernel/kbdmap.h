/* kbdmap.h -- PS/2 scancode set 1 to ASCII (pure logic, host-tested). */
#ifndef KBDMAP_H
#define KBDMAP_H

#if LAB >= 2
#include <stdbool.h>
#include <stdint.h>

struct kbd_state {
    bool shift;         /* a shift key is held */
    bool caps_lock;     /* toggled by each press of Caps Lock */
    bool extended;      /* the previous byte was the 0xE0 prefix */
#if LAB >= 4
    bool ctrl;          /* a Ctrl key is held (kbd_control) */
#endif
};

/* Feed one byte from the keyboard; returns the character it types, or 0
 * for bytes that type nothing (releases, modifiers, unknown keys). */
char kbd_translate(struct kbd_state *state, uint8_t scancode);
#if LAB >= 4
/* After kbd_translate: track the Ctrl keys and, while one is held, turn
 * a letter c into its control code (Ctrl-C is 3, for the console's line
 * discipline). Returns what the key types. */
char kbd_control(struct kbd_state *state, uint8_t scancode, char c);
#endif
#endif /* LAB >= 2 */

#endif
