/*
 * libk_test.h -- what every libk host test includes, LAST (after any
 * system or Criterion header).
 *
 * Declares libk's API with the libc-named functions spelled libk_NAME
 * (libk_memcpy, libk_snprintf, ...; see host_names.h), then gives the
 * plain names back to glibc, so a test can compare the two directly:
 *
 *     libk_snprintf(ours, sizeof ours, fmt, v);
 *     snprintf(theirs, sizeof theirs, fmt, v);
 *
 * Functions without a libc namesake (bitmap_set, vformat, list_push_back,
 * strtol_checked, ...) keep their names.
 */
#ifndef LIBK_TEST_H
#define LIBK_TEST_H

#include "host_names.h"

/* libk's headers, found through -iquote libk/include. */
#include "assert.h"
#include "bitmap.h"
#include "compiler.h"
#include "ctype.h"
#include "list.h"
#include "ringbuf.h"
#include "stdio.h"
#include "stdlib.h"
#include "string.h"

/* Generated from host_names.h by libk/libk.mk, into build/host/libk/. */
#include "host_names_undo.h"

/*
 * Test support (support.c): run `body` and report whether libk called
 * __assert_fail during it, instead of aborting the test.  The message
 * of the failed assertion is kept in assert_caught_expr/_func.
 */
extern const char *assert_caught_expr;
extern const char *assert_caught_func;
bool assert_fails(void (*body)(void *arg), void *arg);

#endif /* LIBK_TEST_H */
