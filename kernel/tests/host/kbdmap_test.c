/* kbdmap_test.c -- host tests for kernel/kbdmap.c (scancode set 1). */
#if LAB >= 2
#include <criterion/criterion.h>
#include <string.h>
#include "kbdmap.h"

/* Feed a sequence of scancodes; collect what they type. */
static void type(struct kbd_state *s, const uint8_t *codes, size_t n, char *out)
{
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        char c = kbd_translate(s, codes[i]);
        if (c != 0)
            out[len++] = c;
    }
    out[len] = '\0';
}

#define TYPE(state, out, ...)                                                 \
    do {                                                                      \
        const uint8_t codes_[] = { __VA_ARGS__ };                             \
        type(state, codes_, sizeof codes_, out);                              \
    } while (0)

Test(kbdmap, plain_keys_and_releases)
{
    struct kbd_state s = { 0 };
    char out[32];
    /* h e l p Enter, each pressed and released (release = make | 0x80) */
    TYPE(&s, out, 0x23, 0xA3, 0x12, 0x92, 0x26, 0xA6, 0x19, 0x99, 0x1C, 0x9C);
    cr_expect_str_eq(out, "help\n");
}

Test(kbdmap, shift_is_held_state)
{
    struct kbd_state s = { 0 };
    char out[32];
    /* a, LShift down, a 1, LShift up, a, RShift down, / , RShift up */
    TYPE(&s, out, 0x1E, 0x2A, 0x1E, 0x02, 0xAA, 0x1E, 0x36, 0x35, 0xB6);
    cr_expect_str_eq(out, "aA!a?");
    cr_expect(!s.shift);
}

Test(kbdmap, caps_lock_toggles_letters_only)
{
    struct kbd_state s = { 0 };
    char out[32];
    /* Caps on: a 1; shift+a (lower again); Caps off (press+release): a */
    TYPE(&s, out, 0x3A, 0xBA, 0x1E, 0x02, 0x2A, 0x1E, 0xAA, 0x3A, 0xBA, 0x1E);
    cr_expect_str_eq(out, "A1aa");
    cr_expect(!s.caps_lock);
}

Test(kbdmap, caps_lock_release_does_not_toggle)
{
    struct kbd_state s = { 0 };
    kbd_translate(&s, 0x3A);
    cr_expect(s.caps_lock);
    kbd_translate(&s, 0xBA);
    cr_expect(s.caps_lock);
}

Test(kbdmap, extended_keys_type_nothing)
{
    struct kbd_state s = { 0 };
    char out[32];
    /* E0 48 = up arrow (48 alone would be keypad 8, untyped here anyway);
     * E0 1C = keypad Enter; then a plain 'q' still works. */
    TYPE(&s, out, 0xE0, 0x48, 0xE0, 0xC8, 0xE0, 0x1C, 0x10);
    cr_expect_str_eq(out, "q");
}

Test(kbdmap, unknown_codes_are_ignored)
{
    struct kbd_state s = { 0 };
    for (unsigned code = 0x3B; code < 0x80; code++)
        cr_expect_eq(kbd_translate(&s, (uint8_t)code), 0, "code 0x%x typed something", code);
    cr_expect_eq(kbd_translate(&s, 0x00), 0);
}
#if LAB >= 4
/* Feed scancodes through kbd_translate and kbd_control, as keyboard.c does. */
static void type_ctrl(struct kbd_state *s, const uint8_t *codes, size_t n, char *out)
{
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        char c = kbd_control(s, codes[i], kbd_translate(s, codes[i]));
        if (c != 0)
            out[len++] = c;
    }
    out[len] = '\0';
}

Test(kbdmap, ctrl_makes_control_codes_while_held)
{
    struct kbd_state s = { 0 };
    char out[32];
    /* c, Ctrl down, c, d, 1, Ctrl up, c: "c" 3 4 "1" "c" */
    const uint8_t codes[] = { 0x2E, 0xAE, 0x1D, 0x2E, 0xAE, 0x20, 0xA0, 0x02, 0x82, 0x9D,
                              0x2E, 0xAE };
    type_ctrl(&s, codes, sizeof codes, out);
    cr_assert_str_eq(out, "c\x03\x04" "1c");
    /* Right Ctrl (0xE0 0x1D) with Shift: Ctrl-Shift-U is 0x15 too. */
    const uint8_t right[] = { 0xE0, 0x1D, 0x2A, 0x16, 0x96, 0xAA, 0xE0, 0x9D, 0x16, 0x96 };
    type_ctrl(&s, right, sizeof right, out);
    cr_assert_str_eq(out, "\x15u");
}
#endif
#endif /* LAB >= 2 */
