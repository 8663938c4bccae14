/*
 * strtol.c -- strtol, strtoul and friends.
 *
 * Both are built on parse_magnitude(), which does the C99 parsing
 * (space, sign, prefix, digits) and accumulates the magnitude in an
 * unsigned long; the two differ only in how they apply the sign and
 * where they clamp.  Conventions are in include/stdlib.h.
 */
#include "stdlib.h"

#include "limits.h"
#include <stddef.h>

#include "ctype.h"

/* The value of c as a digit (0..35), or 36 if it is none. */
static int digit_value(char c)
{
    unsigned char u = (unsigned char)c;

    if (isdigit(u))
        return u - '0';
    if (isalpha(u))
        return tolower(u) - 'a' + 10;
    return 36;
}

/* A "0x" prefix counts only if a hex digit follows: in "0xg" the
 * number is the "0" and parsing stops at the 'x'. */
static int has_hex_prefix(const char *s)
{
    return s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && digit_value(s[2]) < 16;
}

struct parsed {
    unsigned long magnitude; /* ULONG_MAX if it overflowed */
    bool negative;
    bool overflow;
};

/* Parses nptr as described in stdlib.h, into *p; sets *endptr. */
static void parse_magnitude(const char *nptr, char **endptr, int base, struct parsed *p)
{
    const char *s = nptr;

    p->magnitude = 0;
    p->negative = false;
    p->overflow = false;

    if (base != 0 && (base < 2 || base > 36)) {
        if (endptr != NULL)
            *endptr = (char *)nptr;
        return;
    }

    while (isspace((unsigned char)*s))
        s++;
    if (*s == '+' || *s == '-')
        p->negative = *s++ == '-';
    if ((base == 0 || base == 16) && has_hex_prefix(s)) {
        s += 2;
        base = 16;
    } else if (base == 0) {
        base = *s == '0' ? 8 : 10;
    }

    const char *digits = s;
    unsigned long value = 0;
    unsigned long ubase = (unsigned long)base;

    for (; digit_value(*s) < base; s++) {
        unsigned long d = (unsigned long)digit_value(*s);

        /* value * base + d must not exceed ULONG_MAX; once it has,
         * value stays at ULONG_MAX while the digits are consumed. */
        if (value > (ULONG_MAX - d) / ubase) {
            p->overflow = true;
            value = ULONG_MAX;
        } else {
            value = value * ubase + d;
        }
    }

    if (s == digits) { /* no digits: nothing was converted */
        p->negative = false;
        s = nptr;
    }
    p->magnitude = value;
    if (endptr != NULL)
        *endptr = (char *)s; /* C's signature drops the const */
}

static void report(bool *overflow, bool value)
{
    if (overflow != NULL)
        *overflow = value;
}

long strtol_checked(const char *nptr, char **endptr, int base, bool *overflow)
{
    struct parsed p;

    parse_magnitude(nptr, endptr, base, &p);

    /* |LONG_MIN| = LONG_MAX + 1, so the negative side reaches one
     * further. */
    unsigned long limit = p.negative ? (unsigned long)LONG_MAX + 1 : (unsigned long)LONG_MAX;

    if (p.overflow || p.magnitude > limit) {
        report(overflow, true);
        return p.negative ? LONG_MIN : LONG_MAX;
    }
    report(overflow, false);
    if (!p.negative)
        return (long)p.magnitude;
    /* Negate in unsigned arithmetic so that LONG_MIN comes out right;
     * -(long)magnitude would overflow for it. */
    if (p.magnitude == limit)
        return LONG_MIN;
    return -(long)p.magnitude;
}

unsigned long strtoul_checked(const char *nptr, char **endptr, int base, bool *overflow)
{
    struct parsed p;

    parse_magnitude(nptr, endptr, base, &p);
    report(overflow, p.overflow);
    if (p.overflow)
        return ULONG_MAX;
    return p.negative ? -p.magnitude : p.magnitude;
}

long strtol(const char *nptr, char **endptr, int base)
{
    return strtol_checked(nptr, endptr, base, NULL);
}

unsigned long strtoul(const char *nptr, char **endptr, int base)
{
    return strtoul_checked(nptr, endptr, base, NULL);
}

int atoi(const char *s)
{
    return (int)strtol(s, NULL, 10);
}
