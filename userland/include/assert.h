/*
 * assert.h -- assert() and static_assert (the user libc).
 *
 * libk's header, as it is: a failed assert() calls __assert_fail(), which
 * the user libc defines (lib/assert.c) to print the expression and where
 * it is on stderr, then abort(). No include guard, as in the standard:
 * each inclusion redefines assert() for the NDEBUG of that moment.
 *
 * Why the path: user programs see only userland/include and kernel/abi,
 * yet the code behind these declarations is libk's own (DESIGN.md: the
 * libc shares libk's string and format code), so the declarations are
 * libk's too and cannot drift apart from the definitions.
 */
#include "../../libk/include/assert.h"
