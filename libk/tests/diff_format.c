/*
 * diff_format.c -- the case generator and the comparison of
 * diff_format.h.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "diff_format.h"
#include "libk_test.h"

#define BUF    256
#define CANARY 0x5a
#define TAIL   "<tail>"

const char *const arg_kind_names[] = {
    "int",    "unsigned",  "long",     "unsigned long", "long long", "unsigned long long",
    "size_t", "ptrdiff_t", "intmax_t", "uintmax_t",     "char *",    "void *",
};

/* ---- generating a case ----------------------------------------------- */

static const uint64_t edges[] = {
    0,
    1,
    2,
    7,
    8,
    9,
    10,
    15,
    16,
    99,
    100,
    127,
    128,
    255,
    256,
    32767,
    32768,
    65535,
    65536,
    999999999,
    1000000000,
    INT_MAX,
    (uint64_t)INT_MAX + 1,
    UINT_MAX,
    (uint64_t)UINT_MAX + 1,
    LLONG_MAX,
    (uint64_t)LLONG_MAX + 1,
    UINT64_MAX,
    9999999999999999999u,
    10000000000000000000u,
    0x123456789abcdefull,
};

static const char *const strings[] = {
    "",
    "a",
    "abc",
    "hello, world",
    "%d%s%%",
    "tab\there",
    "\xe9\xff high bytes",
    "0123456789012345678901234567890123456789",
};

static const char *const literals[] = {
    "", "", "x", "[", "] ", "%%", "ab%%c", "\t", "=",
};

static uint64_t gen_bits(struct prng *r)
{
    uint64_t v;

    switch (prng_below(r, 4)) {
    case 0:
        return edges[prng_below(r, sizeof edges / sizeof edges[0])];
    case 1: /* -1, INT_MIN, LLONG_MIN, ... */
        return -edges[prng_below(r, sizeof edges / sizeof edges[0])];
    default: /* random length in bits, either sign */
        v = prng_next(r) >> prng_below(r, 64);
        return prng_one_in(r, 3) ? -v : v;
    }
}

static char *append(char *f, const char *s)
{
    size_t n = strlen(s);

    memcpy(f, s, n);
    return f + n;
}

/* Flags: up to four picks (repeats allowed, as in C). */
static char *gen_flags(struct prng *r, char *f, struct fcase *c, char conv)
{
    const char *set = conv == 'p' ? "-0#" : "-0 +#";
    size_t n = prng_below(r, 5);

    for (size_t i = 0; i < n; i++)
        c->flags[i] = *f++ = set[prng_below(r, strlen(set))];
    return f;
}

static char *gen_width(struct prng *r, char *f, struct fcase *c)
{
    switch (prng_below(r, 3)) {
    case 0:
        return f;
    case 1: /* 1..30: a leading 0 would be the flag */
        return f + sprintf(f, "%d", 1 + (int)prng_below(r, 30));
    default:
        c->star_width = true;
        c->width_arg = (int)prng_below(r, 61) - 30;
        *f++ = '*';
        return f;
    }
}

static char *gen_precision(struct prng *r, char *f, struct fcase *c)
{
    switch (prng_below(r, 4)) {
    case 0:
        return f;
    case 1:
        if (prng_one_in(r, 4))
            return append(f, "."); /* means .0 */
        return f + sprintf(f, ".%d", (int)prng_below(r, 31));
    default:
        c->star_precision = true;
        c->precision_arg = (int)prng_below(r, 36) - 5;
        return append(f, ".*");
    }
}

/* Length modifier and the argument type that goes with it. */
static char *gen_integer_length(struct prng *r, char *f, struct fcase *c, bool is_signed)
{
    static const char *const lengths[] = {"", "hh", "h", "l", "ll", "z", "t", "j"};
    size_t which = prng_below(r, 8);
    uint64_t b = c->bits = gen_bits(r);

    switch (which) {
    case 0:
    case 1:
    case 2: /* int, char and short all pass as int */
        if (is_signed) {
            c->kind = ARG_INT;
            c->v.i = (int)b;
        } else {
            c->kind = ARG_UINT;
            c->v.u = (unsigned)b;
        }
        break;
    case 3:
        if (is_signed) {
            c->kind = ARG_LONG;
            c->v.l = (long)b;
        } else {
            c->kind = ARG_ULONG;
            c->v.ul = (unsigned long)b;
        }
        break;
    case 4:
        if (is_signed) {
            c->kind = ARG_LLONG;
            c->v.ll = (long long)b;
        } else {
            c->kind = ARG_ULLONG;
            c->v.ull = b;
        }
        break;
    case 5:
        c->kind = ARG_SIZE;
        c->v.z = (size_t)b;
        break;
    case 6:
        c->kind = ARG_PTRDIFF;
        c->v.t = (ptrdiff_t)b;
        break;
    default:
        if (is_signed) {
            c->kind = ARG_INTMAX;
            c->v.j = (intmax_t)b;
        } else {
            c->kind = ARG_UINTMAX;
            c->v.uj = b;
        }
        break;
    }
    return append(f, lengths[which]);
}

void fcase_generate(struct prng *r, struct fcase *c)
{
    static const char conversions[] = "diuoxXcsp";
    char conv = conversions[prng_below(r, sizeof conversions - 1)];
    char *f = c->fmt;

    memset(c, 0, sizeof *c);
    f = append(f, literals[prng_below(r, sizeof literals / sizeof literals[0])]);
    *f++ = '%';
    f = gen_flags(r, f, c, conv);
    f = gen_width(r, f, c);
    f = gen_precision(r, f, c);

    switch (conv) {
    case 'd':
    case 'i':
        f = gen_integer_length(r, f, c, true);
        break;
    case 'u':
    case 'o':
    case 'x':
    case 'X':
        f = gen_integer_length(r, f, c, false);
        break;
    case 'c': /* mostly bytes, incl. NUL; sometimes above 255 */
        c->kind = ARG_INT;
        c->bits = prng_one_in(r, 8) ? gen_bits(r) : prng_below(r, 256);
        c->v.i = (int)c->bits;
        break;
    case 's':
        c->kind = ARG_STR;
        c->v.s = strings[prng_below(r, sizeof strings / sizeof strings[0])];
        break;
    case 'p': /* never NULL: see the top */
        c->kind = ARG_PTR;
        c->bits = gen_bits(r) | 1;
        c->v.p = (void *)(uintptr_t)c->bits;
        break;
    }
    *f++ = conv;
    f = append(f, literals[prng_below(r, sizeof literals / sizeof literals[0])]);
    f = append(f, "|%s");
    *f = '\0';
}

/* ---- running a case on both implementations ------------------------ */

typedef int snprintf_fn(char *buf, size_t size, const char *fmt, ...);

/* The '*' arguments come first, then the value, then the marker. */
#define CALL(fn, buf, size, c, value)                                                              \
    ((c)->star_width                                                                               \
         ? ((c)->star_precision                                                                    \
                ? fn(buf, size, (c)->fmt, (c)->width_arg, (c)->precision_arg, value, TAIL)         \
                : fn(buf, size, (c)->fmt, (c)->width_arg, value, TAIL))                            \
         : ((c)->star_precision ? fn(buf, size, (c)->fmt, (c)->precision_arg, value, TAIL)         \
                                : fn(buf, size, (c)->fmt, value, TAIL)))

static int run(snprintf_fn *fn, char *buf, size_t size, const struct fcase *c)
{
    switch (c->kind) {
    case ARG_INT:
        return CALL(fn, buf, size, c, c->v.i);
    case ARG_UINT:
        return CALL(fn, buf, size, c, c->v.u);
    case ARG_LONG:
        return CALL(fn, buf, size, c, c->v.l);
    case ARG_ULONG:
        return CALL(fn, buf, size, c, c->v.ul);
    case ARG_LLONG:
        return CALL(fn, buf, size, c, c->v.ll);
    case ARG_ULLONG:
        return CALL(fn, buf, size, c, c->v.ull);
    case ARG_SIZE:
        return CALL(fn, buf, size, c, c->v.z);
    case ARG_PTRDIFF:
        return CALL(fn, buf, size, c, c->v.t);
    case ARG_INTMAX:
        return CALL(fn, buf, size, c, c->v.j);
    case ARG_UINTMAX:
        return CALL(fn, buf, size, c, c->v.uj);
    case ARG_STR:
        return CALL(fn, buf, size, c, c->v.s);
    case ARG_PTR:
        return CALL(fn, buf, size, c, c->v.p);
    }
    return -99;
}

/* Printable rendering of n bytes (NULs and high bytes as \xNN). */
static const char *escape(const char *s, size_t n, char *out, size_t out_size)
{
    size_t len = 0;

    for (size_t i = 0; i < n && len + 5 < out_size; i++) {
        unsigned char ch = (unsigned char)s[i];

        if (ch >= 0x20 && ch < 0x7f && ch != '\\')
            out[len++] = (char)ch;
        else
            len += (size_t)sprintf(out + len, "\\x%02x", ch);
    }
    out[len] = '\0';
    return out;
}

static void report(const struct fcase *c, size_t size, const char *ours, int n_ours,
                   const char *theirs, int n_theirs, bool overrun)
{
    char e_fmt[BUF], e_ours[4 * BUF], e_theirs[4 * BUF];
    size_t shown = size == 0 ? 0 : size - 1;

    fprintf(stderr,
            "mismatch: format \"%s\" value %s %lld (0x%llx)%s%s "
            "width* %d precision* %d size %zu\n"
            "    libk  returned %d: \"%s\"%s\n"
            "    libc  returned %d: \"%s\"\n",
            escape(c->fmt, strlen(c->fmt), e_fmt, sizeof e_fmt), arg_kind_names[c->kind],
            (long long)c->bits, (unsigned long long)c->bits, c->kind == ARG_STR ? " string " : "",
            c->kind == ARG_STR ? c->v.s : "", c->width_arg, c->precision_arg, size, n_ours,
            escape(ours, n_ours >= 0 && (size_t)n_ours < shown ? (size_t)n_ours : shown, e_ours,
                   sizeof e_ours),
            overrun ? " and wrote past size" : "", n_theirs,
            escape(theirs, n_theirs >= 0 && (size_t)n_theirs < shown ? (size_t)n_theirs : shown,
                   e_theirs, sizeof e_theirs));
}

/* Runs c with buffer size `size` on both; true if all agrees. */
static bool same_output(const struct fcase *c, size_t size)
{
    char ours[BUF], theirs[BUF];

    memset(ours, CANARY, sizeof ours);
    memset(theirs, CANARY, sizeof theirs);
    int n_ours = run(libk_snprintf, ours, size, c);
    int n_theirs = run(snprintf, theirs, size, c); /* the C library's */
    bool ok = n_ours == n_theirs;

    if (ok && size > 0) {
        /* Compare what was stored, including the NUL after it. */
        size_t stored = (size_t)n_theirs < size ? (size_t)n_theirs : size - 1;

        ok = memcmp(ours, theirs, stored + 1) == 0;
    }
    bool overrun = false;

    for (size_t i = size; i < BUF; i++) /* nothing past size */
        overrun = overrun || ours[i] != (char)CANARY;
    ok = ok && !overrun;
    if (!ok)
        report(c, size, ours, n_ours, theirs, n_theirs, overrun);
    return ok;
}

int diff_format_run(uint64_t seed, int cases, int max_reports, int *compared)
{
    struct prng r = {seed};
    int mismatches = 0;

    *compared = 0;
    for (int i = 0; i < cases && mismatches < max_reports; i++) {
        struct fcase c;
        char probe[BUF];

        fcase_generate(&r, &c);
        int len = run(snprintf, probe, sizeof probe, &c);

        if (len < 0 || len >= BUF) {
            fprintf(stderr, "format \"%s\": output too long\n", c.fmt);
            mismatches++;
            continue;
        }
        /* The whole output, then a small buffer: 0, 1, or a cut
         * anywhere up to just past the end. */
        size_t small = prng_below(&r, (uint64_t)len + 3);

        mismatches += !same_output(&c, BUF);
        mismatches += !same_output(&c, small);
        *compared += 2;
    }
    return mismatches;
}
