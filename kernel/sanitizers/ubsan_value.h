/*
 * ubsan_value.h -- reading the values GCC's UBSan checks hand their
 * handlers: a type descriptor (kind, signedness, width, name) and a
 * "value handle". Pure logic, no hardware: Criterion tests it on the host
 * (kernel/tests/host/ubsan_value_test.c).
 */
#ifndef SANITIZERS_UBSAN_VALUE_H
#define SANITIZERS_UBSAN_VALUE_H

#include <stdbool.h>
#include <stdint.h>

/* GCC's (and compiler-rt's ubsan_value.h) TypeDescriptor. */
struct type_descriptor {
    uint16_t kind;          /* TK_INTEGER, TK_FLOAT, or unknown (0xffff) */
    uint16_t info;          /* integer: bit 0 signed, bits 1+: log2(bit width) */
    char name[];            /* as written in the source, quoted: "'int'" */
};

enum { TK_INTEGER = 0, TK_FLOAT = 1 };

bool ubsan_type_is_int(const struct type_descriptor *t);
bool ubsan_type_is_signed(const struct type_descriptor *t);
unsigned ubsan_type_bits(const struct type_descriptor *t);

/* A value handle holds the value itself when the type fits in a pointer
 * (its low bits are the value), else the address of the value. These
 * return the value's bits zero-extended, or sign-extended. */
uint64_t ubsan_value_bits(const struct type_descriptor *t, uintptr_t handle);
int64_t ubsan_value_signed(const struct type_descriptor *t, uintptr_t handle);
bool ubsan_value_is_negative(const struct type_descriptor *t, uintptr_t handle);

#endif
