/*
 * assert.h -- run-time and compile-time assertions (libk).
 *
 * assert(expr): if expr is false, call __assert_fail() with the text of
 * the expression and where it is.  libk only declares __assert_fail;
 * whoever links libk defines it:
 *   - the kernel, to panic with the message (it must not return);
 *   - the host unit tests, in libk/tests/support.c.
 * With NDEBUG defined, assert() does not evaluate expr at all -- so
 * never put side effects inside an assert().
 *
 * static_assert(cond, "message"): checked by the compiler (C11).
 */
#ifndef LIBK_ASSERT_H
#define LIBK_ASSERT_H

__attribute__((noreturn)) void __assert_fail(const char *expr, const char *file, int line,
                                             const char *func);

#undef static_assert
#define static_assert _Static_assert

#endif /* LIBK_ASSERT_H */

/* Outside the guard, as in the standard: each inclusion redefines
 * assert() according to whether NDEBUG is defined at that point. */
#undef assert
#ifdef NDEBUG
#define assert(expr) ((void)0)
#else
#define assert(expr)                                                                               \
    (__builtin_expect(!!(expr), 1) ? (void)0 : __assert_fail(#expr, __FILE__, __LINE__, __func__))
#endif
