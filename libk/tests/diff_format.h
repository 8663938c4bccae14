/*
 * diff_format.h -- differential testing of libk_snprintf against the C
 * library's snprintf, on generated cases.
 *
 * A case is literal text, then one conversion with a random subset of
 * flags, a width and a precision (digits or '*', negative '*' values
 * included), a length modifier and a value of the matching type, often
 * an edge value (0, INT_MIN, LLONG_MIN, UINT64_MAX, ...).  A "%s" with a
 * marker string always follows, so a conversion that consumes the wrong
 * number of arguments shows up.  Output bytes and return value must be
 * identical, with a large buffer and again with a small one (truncation,
 * NUL termination, nothing written past `size`).
 *
 * Left out on purpose, because Tidepool defines them differently
 * (include/stdio.h; test_format.c checks them): %p of NULL (glibc:
 * "(nil)"), '+' and ' ' with %p (glibc prints a sign), %s of NULL.
 *
 * Used by test_format_diff.c (Criterion, x86-64) and by m32/main.c (the
 * same comparison as a 32-bit program, where long, size_t and pointers
 * have the kernel's sizes).
 */
#ifndef LIBK_TESTS_DIFF_FORMAT_H
#define LIBK_TESTS_DIFF_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "prng.h"

#define DIFF_FORMAT_SEED 0x7105e9001ull

enum arg_kind {
    ARG_INT,
    ARG_UINT,
    ARG_LONG,
    ARG_ULONG,
    ARG_LLONG,
    ARG_ULLONG,
    ARG_SIZE,
    ARG_PTRDIFF,
    ARG_INTMAX,
    ARG_UINTMAX,
    ARG_STR,
    ARG_PTR,
};

extern const char *const arg_kind_names[];

struct fcase {
    char fmt[64];
    char flags[8]; /* the flags chosen, for the coverage check */
    bool star_width, star_precision;
    int width_arg, precision_arg;
    enum arg_kind kind;
    uint64_t bits; /* the integer value, for the report */
    union {
        int i;
        unsigned u;
        long l;
        unsigned long ul;
        long long ll;
        unsigned long long ull;
        size_t z;
        ptrdiff_t t;
        intmax_t j;
        uintmax_t uj;
        const char *s;
        void *p;
    } v;
};

/* The next case from r. */
void fcase_generate(struct prng *r, struct fcase *c);

/*
 * Generates `cases` cases from `seed`, compares each with a full buffer
 * and with a random small one, and prints the first max_reports
 * mismatches to stderr.  Returns the number of mismatches; *compared
 * gets the number of comparisons made.
 */
int diff_format_run(uint64_t seed, int cases, int max_reports, int *compared);

#endif /* LIBK_TESTS_DIFF_FORMAT_H */
