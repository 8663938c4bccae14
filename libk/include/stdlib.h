/*
 * stdlib.h -- string to number conversion (libk).
 *
 * strtol/strtoul behave as in C99: skip leading white space, accept an
 * optional sign, then digits in `base` (2..36, letters either case for
 * digits above 9).  Base 16 allows a "0x"/"0X" prefix; base 0 picks 16
 * for "0x...", 8 for "0...", else 10.  *endptr (if endptr != NULL) is
 * set to the first character not used; if there were no digits, to nptr
 * itself -- that is how a caller detects "not a number".
 *
 * Out of range: libc would set errno to ERANGE; the kernel has no errno.
 * The value is clamped (strtol: LONG_MAX or LONG_MIN; strtoul:
 * ULONG_MAX), all the digits are still consumed, and the *_checked
 * variants also report it through *overflow.  A negative number for
 * strtoul wraps around as in C ("-1" gives ULONG_MAX) unless its
 * magnitude is out of range.  An invalid base returns 0 with
 * *endptr = nptr.
 */
#ifndef LIBK_STDLIB_H
#define LIBK_STDLIB_H

#include <stdbool.h>

long strtol(const char *nptr, char **endptr, int base);
unsigned long strtoul(const char *nptr, char **endptr, int base);

/* As above; *overflow (if not NULL) becomes true iff the value was
 * clamped, false otherwise. */
long strtol_checked(const char *nptr, char **endptr, int base, bool *overflow);
unsigned long strtoul_checked(const char *nptr, char **endptr, int base, bool *overflow);

/* strtol(s, NULL, 10) converted to int: no error detection at all. */
int atoi(const char *s);

#endif /* LIBK_STDLIB_H */
