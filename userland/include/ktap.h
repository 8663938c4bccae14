/*
 * ktap.h -- KTAP output for the user-space test programs (lib/ktap.c).
 *
 * A test program prints, on stdout:
 *     KTAP version 1
 *     1..N
 *     # diagnostics of case 1: what was expected, what happened
 *     ok 1 name
 *     not ok 2 other_name
 *     ok 3 third # SKIP why
 * Diagnostics come before the result line they explain, as in the
 * kernel's KTAP (docs/protocol.md). Case numbers count up by themselves.
 * The program then returns ktap_finish(): 0 iff exactly N cases were
 * reported and none failed.
 */
#ifndef USER_KTAP_H
#define USER_KTAP_H

#include <stdbool.h>

#include <stdio.h>

void ktap_plan(int cases);
/* "# ..." and a newline. */
void ktap_diag(const char *fmt, ...) PRINTF_LIKE(1, 2);
/* "ok K name" if passed, else "not ok K name"; returns passed. */
bool ktap_result(bool passed, const char *name_fmt, ...) PRINTF_LIKE(2, 3);
/* "ok K name # SKIP reason". */
void ktap_skip(const char *name, const char *reason);
/* The exit status: 0 iff every planned case was reported and passed.
 * Says in a diagnostic when the count does not match the plan. */
int ktap_finish(void);

/* A system call's raw result in words: "-14 (EFAULT)" for -EFAULT, "32"
 * for 32. The text lives in one of 4 static buffers used in turn, so up
 * to 4 of them can appear in one printf. */
const char *ktap_raw(long result);
/* The same for a libc result: "-1 (errno ENOENT)" or "0". */
const char *ktap_errno(long result, int error);
/* A wait status in words: "exited with 42", "killed by signal 11". */
const char *ktap_status(int status);

#endif
