/*
 * support.c -- what the host tests provide in place of the kernel.
 *
 * libk's assert() calls __assert_fail, which the kernel defines (it
 * panics).  Here it either hands control back to assert_fails() -- for
 * tests that check an assertion fires -- or reports and aborts, which
 * Criterion shows as a crashed test.
 */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>

#include "libk_test.h"

const char *assert_caught_expr;
const char *assert_caught_func;
static jmp_buf *assert_catcher;

void __assert_fail(const char *expr, const char *file, int line, const char *func)
{
    if (assert_catcher != NULL) {
        assert_caught_expr = expr;
        assert_caught_func = func;
        longjmp(*assert_catcher, 1);
    }
    fprintf(stderr, "%s:%d: %s: assertion failed: %s\n", file, line, func, expr);
    abort();
}

bool assert_fails(void (*body)(void *arg), void *arg)
{
    jmp_buf env;

    assert_caught_expr = NULL;
    assert_caught_func = NULL;
    assert_catcher = &env;
    if (setjmp(env) != 0) { /* back from __assert_fail */
        assert_catcher = NULL;
        return true;
    }
    body(arg);
    assert_catcher = NULL;
    return false;
}
