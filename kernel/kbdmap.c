/*
 * kbdmap.c -- scancode set 1 (what the 8042 controller hands the kernel
 * after translation) to ASCII, US layout.
 *
 * A key press sends its "make" code, a release the same code with bit 7
 * set. Shift is a state (held or not); Caps Lock a toggle that, unlike
 * shift, only affects letters.
 */
#if LAB >= 2
#include "kbdmap.h"
#include "lab.h"

enum {
    SC_CTRL = 0x1D,     /* left Ctrl; right Ctrl is 0xE0 0x1D */
    SC_LSHIFT = 0x2A, SC_RSHIFT = 0x36, SC_CAPSLOCK = 0x3A,
    SC_RELEASE = 0x80, SC_EXTENDED = 0xE0,
};

/* Index: make code. 0 = types nothing. */
static const char keymap_plain[0x3A] = {
    0, 27, '1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '-', '=', '\b',
    '\t', 'q', 'w', 'e', 'r', 't', 'y', 'u', 'i', 'o', 'p', '[', ']', '\n',
    0, 'a', 's', 'd', 'f', 'g', 'h', 'j', 'k', 'l', ';', '\'', '`',
    0, '\\', 'z', 'x', 'c', 'v', 'b', 'n', 'm', ',', '.', '/', 0,
    '*', 0, ' ',
};

static const char keymap_shift[0x3A] = {
    0, 27, '!', '@', '#', '$', '%', '^', '&', '*', '(', ')', '_', '+', '\b',
    '\t', 'Q', 'W', 'E', 'R', 'T', 'Y', 'U', 'I', 'O', 'P', '{', '}', '\n',
    0, 'A', 'S', 'D', 'F', 'G', 'H', 'J', 'K', 'L', ':', '"', '~',
    0, '|', 'Z', 'X', 'C', 'V', 'B', 'N', 'M', '<', '>', '?', 0,
    '*', 0, ' ',
};

static bool is_letter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

char kbd_translate(struct kbd_state *state, uint8_t scancode)
{
    if (scancode == SC_EXTENDED) {
        state->extended = true;
        return 0;
    }
    if (state->extended) {          /* arrows, right ctrl, ...: not typed */
        state->extended = false;
        return 0;
    }
    bool released = scancode & SC_RELEASE;
    uint8_t code = scancode & (uint8_t)~SC_RELEASE;
#if SOLVED >= 2
    if (code == SC_LSHIFT || code == SC_RSHIFT) {
        state->shift = !released;
        return 0;
    }
    if (code == SC_CAPSLOCK) {
        if (!released)
            state->caps_lock = !state->caps_lock;
        return 0;
    }
    if (released || code >= sizeof keymap_plain)
        return 0;
    char c = state->shift ? keymap_shift[code] : keymap_plain[code];
    /* Caps Lock inverts the case of letters only, even with shift held. */
    if (state->caps_lock && is_letter(c))
        c = state->shift ? keymap_plain[code] : keymap_shift[code];
    return c;
#else
    /* LAB 2 exercise 5: keep state->shift up to date (both shift keys,
     * press and release), toggle state->caps_lock on each Caps Lock press,
     * and return the character of a key press from keymap_plain or
     * keymap_shift. Caps Lock changes the case of letters only. */
    (void)released; (void)code; (void)keymap_plain; (void)keymap_shift; (void)is_letter;
    LAB_TODO_ONCE(2, 5, "kbd_translate()");
    return 0;
#endif
}

#if LAB >= 4
char kbd_control(struct kbd_state *state, uint8_t scancode, char c)
{
    if ((scancode & (uint8_t)~SC_RELEASE) == SC_CTRL) {
        state->ctrl = !(scancode & SC_RELEASE);
        return 0;
    }
    if (state->ctrl && is_letter(c))
        return (char)(c & 0x1f);
    return c;
}
#endif
#endif /* LAB >= 2 */
