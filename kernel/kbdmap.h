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
};

/* Feed one byte from the keyboard; returns the character it types, or 0
 * for bytes that type nothing (releases, modifiers, unknown keys). */
char kbd_translate(struct kbd_state *state, uint8_t scancode);
#endif /* LAB >= 2 */

#endif
