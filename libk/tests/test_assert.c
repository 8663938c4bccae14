/*
 * test_assert.c -- assert.h: what assert() passes to __assert_fail,
 * that a true assertion costs nothing else, and NDEBUG.
 */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <signal.h>

#include "libk_test.h"

static int evaluations;

static int count_and_return(int v)
{
    evaluations++;
    return v;
}

static void false_assertion(void *arg)
{
    (void)arg;
    assert(count_and_return(1) + 1 == 3);
}

static void true_assertion(void *arg)
{
    (void)arg;
    assert(count_and_return(2) == 2);
}

Test(assert, false_assertion_reports_expression_and_function)
{
    evaluations = 0;
    cr_assert(assert_fails(false_assertion, NULL));
    cr_assert_str_eq(assert_caught_expr, "count_and_return(1) + 1 == 3");
    cr_assert_str_eq(assert_caught_func, "false_assertion");
    cr_assert_eq(evaluations, 1);
}

Test(assert, true_assertion_evaluates_once_and_continues)
{
    evaluations = 0;
    cr_assert_not(assert_fails(true_assertion, NULL));
    cr_assert_eq(evaluations, 1);
}

/* Without a catcher, a failed assertion aborts (the kernel panics).
 * Its message goes to stderr, hidden here to keep the run's output clean. */
Test(assert, uncaught_assertion_aborts, .signal = SIGABRT, .init = cr_redirect_stderr)
{
    false_assertion(NULL);
}

static_assert(sizeof(uint32_t) == 4, "static_assert is usable");

/* assert.h, included again with NDEBUG, must not evaluate its argument. */
#define NDEBUG
#include "assert.h"

static void disabled_assertion(void *arg)
{
    (void)arg;
    assert(count_and_return(0));
}

Test(assert, ndebug_does_not_evaluate)
{
    evaluations = 0;
    cr_assert_not(assert_fails(disabled_assertion, NULL));
    cr_assert_eq(evaluations, 0);
}
