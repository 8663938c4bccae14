/*
 * ubsan_value.c -- decoding UBSan's type descriptors and value handles
 * (ubsan_value.h). Compiled in every kernel (it is small and pure) so that
 * the host tests build it without the checker.
 */
#include "sanitizers/ubsan_value.h"

bool ubsan_type_is_int(const struct type_descriptor *t)
{
    return t->kind == TK_INTEGER;
}

bool ubsan_type_is_signed(const struct type_descriptor *t)
{
    return ubsan_type_is_int(t) && (t->info & 1);
}

unsigned ubsan_type_bits(const struct type_descriptor *t)
{
    return 1u << (t->info >> 1);
}

uint64_t ubsan_value_bits(const struct type_descriptor *t, uintptr_t handle)
{
    unsigned bits = ubsan_type_bits(t);
    if (bits > 8 * sizeof(uintptr_t)) {
        /* SAFETY: integer -> pointer. For a type wider than a pointer the
         * ABI passes the address of the value, a live temporary in the
         * caller's frame for the duration of the handler's call. */
        return *(const uint64_t *)handle;
    }
    uint64_t v = (uint64_t)handle;
    return bits >= 64 ? v : v & ((1ull << bits) - 1);
}

int64_t ubsan_value_signed(const struct type_descriptor *t, uintptr_t handle)
{
    uint64_t v = ubsan_value_bits(t, handle);
    unsigned bits = ubsan_type_bits(t);
    if (bits < 64 && ((v >> (bits - 1)) & 1))      /* sign-extend */
        v |= ~0ull << bits;
    return (int64_t)v;
}

bool ubsan_value_is_negative(const struct type_descriptor *t, uintptr_t handle)
{
    return ubsan_type_is_signed(t) && ubsan_value_signed(t, handle) < 0;
}
