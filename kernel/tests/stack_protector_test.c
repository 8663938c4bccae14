/*
 * stack_protector_test.c -- lab 1: the stack protector's guard was chosen
 * at boot (kernel/sanitizers/stack_protector.c), not left at its
 * link-time value, and has the zero low byte that stops string copies.
 */
#include "ktest.h"
#include "sanitizers/stack_protector.h"

KTEST(sanitizers, stack_guard_chosen)
{
    uintptr_t guard = __stack_chk_guard;
    KEXPECT(guard != STACK_GUARD_FALLBACK);
    KEXPECT_EQ(guard & 0xff, 0);
    KEXPECT(guard != 0);
}
