/* ubsan_value_test.c -- host tests for kernel/sanitizers/ubsan_value.c:
 * how UBSan's type descriptors and value handles decode. The host's
 * pointer is 64 bits wide, so 64-bit values come inline here; wider-than-
 * a-pointer values (by address) are what the i386 kernel gets for 64-bit
 * types, tested with a 128-bit descriptor's low half. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "sanitizers/ubsan_value.h"

/* A descriptor for an integer of 2^log2_bits bits. */
static struct type_descriptor *int_type(unsigned log2_bits, bool is_signed)
{
    struct type_descriptor *t = calloc(1, sizeof *t + 8);
    t->kind = TK_INTEGER;
    t->info = (uint16_t)(log2_bits << 1 | (is_signed ? 1 : 0));
    strcpy(t->name, "'int'");
    return t;
}

Test(ubsan_value, widths_and_signedness)
{
    struct type_descriptor *s32 = int_type(5, true), *u8 = int_type(3, false);
    cr_expect_eq(ubsan_type_bits(s32), 32);
    cr_expect_eq(ubsan_type_bits(u8), 8);
    cr_expect(ubsan_type_is_signed(s32));
    cr_expect(!ubsan_type_is_signed(u8));
    struct type_descriptor f = { .kind = TK_FLOAT, .info = 32 };
    cr_expect(!ubsan_type_is_int(&f));
    cr_expect(!ubsan_type_is_signed(&f));
    free(s32);
    free(u8);
}

Test(ubsan_value, inline_values_sign_extend)
{
    struct type_descriptor *s32 = int_type(5, true), *s8 = int_type(3, true);
    cr_expect_eq(ubsan_value_signed(s32, 0xffffffffu), -1);
    cr_expect_eq(ubsan_value_signed(s32, 0x7fffffffu), 2147483647);
    cr_expect_eq(ubsan_value_signed(s8, 0x80), -128);
    /* only the type's bits count: garbage above them is ignored */
    cr_expect_eq(ubsan_value_signed(s8, 0x1234567f), 127);
    cr_expect(ubsan_value_is_negative(s32, 0x80000000u));
    cr_expect(!ubsan_value_is_negative(s32, 33));
    free(s32);
    free(s8);
}

Test(ubsan_value, unsigned_values_never_negative)
{
    struct type_descriptor *u32 = int_type(5, false);
    cr_expect_eq(ubsan_value_bits(u32, 0xffffffffu), 0xffffffffu);
    cr_expect(!ubsan_value_is_negative(u32, 0xffffffffu));
    free(u32);
}

Test(ubsan_value, wider_than_a_pointer_comes_by_address)
{
    /* 128 bits never fit a pointer: the handle is the value's address,
     * and the low 64 bits are read from there (little endian). */
    struct type_descriptor *s128 = int_type(7, true);
    uint64_t value[2] = { 0xfffffffffffffffbull, ~0ull };
    cr_expect_eq(ubsan_value_bits(s128, (uintptr_t)value), 0xfffffffffffffffbull);
    cr_expect_eq(ubsan_value_signed(s128, (uintptr_t)value), -5);
    free(s128);
}
