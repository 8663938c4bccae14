/*
 * format.c -- the printf engine, vformat().
 *
 * vformat() copies the format string to the output; at each '%' it
 * parses a conversion specification into a struct spec, fetches the
 * argument from the va_list, and emits it with its padding.  What is
 * supported, and Tidepool's choices where C leaves them open, is listed
 * in include/stdio.h.  Buffers are filled by snprintf.c.
 */
#include "stdio.h"

/* Lab 1's first exercise is in this file (to_digits). */
#if !defined(SOLVED)
#error "SOLVED must be defined: the Makefiles pass -DLAB=n -DSOLVED=m"
#endif

#include "limits.h"
#include <stdbool.h>
#include <stdint.h>

#include "assert.h"
#include "ctype.h"
#include "string.h"

/* The flag characters of a specification. */
enum {
    FLAG_LEFT = 1 << 0,  /* '-': pad on the right */
    FLAG_ZERO = 1 << 1,  /* '0': pad numbers with leading zeros */
    FLAG_PLUS = 1 << 2,  /* '+': "+" before non-negative numbers */
    FLAG_SPACE = 1 << 3, /* ' ': " " before non-negative numbers */
    FLAG_ALT = 1 << 4,   /* '#': "0x" for %x, leading 0 for %o */
};

/* Length modifiers: which integer type the argument has. */
enum length {
    LEN_INT, /* none: int / unsigned int */
    LEN_HH,  /* char */
    LEN_H,   /* short */
    LEN_L,   /* long */
    LEN_LL,  /* long long */
    LEN_Z,   /* size_t */
    LEN_T,   /* ptrdiff_t */
    LEN_J,   /* intmax_t */
};

#define NO_PRECISION (-1)

/* One parsed "%-08.3lx". */
struct spec {
    unsigned flags;
    int width;     /* 0 if none */
    int precision; /* NO_PRECISION if none */
    enum length length;
    char conversion; /* 'd', 'x', ... */
};

/* Where the characters go, and how many have gone there. */
struct output {
    format_emit_fn emit;
    void *ctx;
    size_t count;
};

static void put_char(struct output *out, char c)
{
    out->emit(c, out->ctx);
    out->count++;
}

static void put_chars(struct output *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        put_char(out, s[i]);
}

static void put_repeated(struct output *out, char c, size_t n)
{
    for (; n > 0; n--)
        put_char(out, c);
}

/* ---- Parsing a specification ---------------------------------------- */

/* A decimal number; saturates at INT_MAX rather than overflowing. */
static int parse_decimal(const char **fmt)
{
    int n = 0;

    while (isdigit((unsigned char)**fmt)) {
        int digit = *(*fmt)++ - '0';

        n = n > (INT_MAX - digit) / 10 ? INT_MAX : n * 10 + digit;
    }
    return n;
}

static const char *parse_flags(const char *fmt, unsigned *flags)
{
    *flags = 0;
    for (;; fmt++) {
        switch (*fmt) {
        case '-':
            *flags |= FLAG_LEFT;
            break;
        case '0':
            *flags |= FLAG_ZERO;
            break;
        case '+':
            *flags |= FLAG_PLUS;
            break;
        case ' ':
            *flags |= FLAG_SPACE;
            break;
        case '#':
            *flags |= FLAG_ALT;
            break;
        default:
            return fmt;
        }
    }
}

/* Digits, or '*': the width is the next int argument, and a negative
 * one means '-' plus its absolute value. */
static const char *parse_width(const char *fmt, struct spec *spec, va_list *ap)
{
    if (*fmt != '*') {
        spec->width = parse_decimal(&fmt);
        return fmt;
    }
    int width = va_arg(*ap, int);

    if (width < 0) {
        spec->flags |= FLAG_LEFT;
        width = width == INT_MIN ? INT_MAX : -width;
    }
    spec->width = width;
    return fmt + 1;
}

/* '.' then digits (none means 0), or ".*": a negative argument means
 * "no precision". */
static const char *parse_precision(const char *fmt, struct spec *spec, va_list *ap)
{
    spec->precision = NO_PRECISION;
    if (*fmt != '.')
        return fmt;
    fmt++;
    if (*fmt != '*') {
        spec->precision = parse_decimal(&fmt);
        return fmt;
    }
    int precision = va_arg(*ap, int);

    spec->precision = precision < 0 ? NO_PRECISION : precision;
    return fmt + 1;
}

static const char *parse_length(const char *fmt, enum length *length)
{
    switch (*fmt) {
    case 'h':
        if (fmt[1] == 'h') {
            *length = LEN_HH;
            return fmt + 2;
        }
        *length = LEN_H;
        return fmt + 1;
    case 'l':
        if (fmt[1] == 'l') {
            *length = LEN_LL;
            return fmt + 2;
        }
        *length = LEN_L;
        return fmt + 1;
    case 'z':
        *length = LEN_Z;
        return fmt + 1;
    case 't':
        *length = LEN_T;
        return fmt + 1;
    case 'j':
        *length = LEN_J;
        return fmt + 1;
    default:
        *length = LEN_INT;
        return fmt;
    }
}

/* Parses what follows a '%'; returns a pointer to the conversion
 * character (which may be the format's terminating NUL). */
static const char *parse_spec(const char *fmt, struct spec *spec, va_list *ap)
{
    fmt = parse_flags(fmt, &spec->flags);
    fmt = parse_width(fmt, spec, ap);
    fmt = parse_precision(fmt, spec, ap);
    fmt = parse_length(fmt, &spec->length);
    spec->conversion = *fmt;
    return fmt;
}

/* ---- Fetching the argument ------------------------------------------ */

/* %zd takes "the signed type of size_t's width"; ptrdiff_t is that. */
static_assert(sizeof(ptrdiff_t) == sizeof(size_t), "no signed size_t");

/*
 * Arguments narrower than int arrive promoted to int, so hh and h read
 * an int and convert it back to the narrow type, as C99 specifies.
 */
static intmax_t fetch_signed(enum length length, va_list *ap)
{
    switch (length) {
    case LEN_HH:
        return (signed char)va_arg(*ap, int);
    case LEN_H:
        return (short)va_arg(*ap, int);
    case LEN_L:
        return va_arg(*ap, long);
    case LEN_LL:
        return va_arg(*ap, long long);
    case LEN_Z:
        return (ptrdiff_t)va_arg(*ap, size_t);
    case LEN_T:
        return va_arg(*ap, ptrdiff_t);
    case LEN_J:
        return va_arg(*ap, intmax_t);
    default:
        return va_arg(*ap, int);
    }
}

static uintmax_t fetch_unsigned(enum length length, va_list *ap)
{
    switch (length) {
    case LEN_HH:
        return (unsigned char)va_arg(*ap, unsigned int);
    case LEN_H:
        return (unsigned short)va_arg(*ap, unsigned int);
    case LEN_L:
        return va_arg(*ap, unsigned long);
    case LEN_LL:
        return va_arg(*ap, unsigned long long);
    case LEN_Z:
        return va_arg(*ap, size_t);
    case LEN_T:
        return (size_t)va_arg(*ap, ptrdiff_t);
    case LEN_J:
        return va_arg(*ap, uintmax_t);
    default:
        return va_arg(*ap, unsigned int);
    }
}

/* ---- Integers -------------------------------------------------------- */

static_assert(sizeof(uintmax_t) == 8, "divide_small assumes 64 bits");

/*
 * Divides *n by base (2..16) in place and returns the remainder.
 *
 * Why not simply `*n % base` and `*n / base`?  On i386 a 64-bit division
 * is no single instruction, and GCC would call __udivdi3/__umoddi3 from
 * libgcc.  Dividing by hand keeps libk self-contained.  It is school
 * long division with 16-bit "digits": each step divides a number below
 * base * 2^16, which fits in 32 bits.
 */
static unsigned divide_small(uintmax_t *n, unsigned base)
{
    if (*n <= UINT32_MAX) { /* the usual case: one division */
        uint32_t v = (uint32_t)*n;

        *n = v / base;
        return v % base;
    }

    uintmax_t quotient = 0;
    uint32_t remainder = 0;

    for (int shift = 48; shift >= 0; shift -= 16) {
        uint32_t part = (remainder << 16) | (uint32_t)((*n >> shift) & 0xffff);

        quotient = (quotient << 16) | (part / base);
        remainder = part % base;
    }
    *n = quotient;
    return remainder;
}

/* The longest digit string: UINT64_MAX in octal has 22 digits. */
#define MAX_DIGITS 22

/* Writes the digits of value backwards, ending just before `end`;
 * returns how many were written. */
static size_t to_digits(uintmax_t value, unsigned base, bool upper, char *end)
{
    const char *digit = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char *p = end;

#if SOLVED >= 1
    do {
        *--p = digit[divide_small(&value, base)];
    } while (value != 0);
#else
    /* LAB 1 exercise 1: write the digits of value in the given base,
     * last digit first, going backwards from `end` (so the first one goes
     * to end[-1]). divide_small(&value, base) divides value in place and
     * returns the remainder: the next digit. Zero is one digit, "0".
     * Until then every number prints as "?". */
    (void)value;
    (void)base;
    (void)digit;
    (void)divide_small;
    *--p = '?';
#endif
    return (size_t)(end - p);
}

/*
 * Emits  [spaces] prefix [zeros] digits [spaces]
 * where prefix is a sign ("-", "+", " "), "0x", "0X" or "".
 */
static void put_integer(struct output *out, const struct spec *spec, uintmax_t magnitude,
                        const char *prefix, unsigned base)
{
    char buf[MAX_DIGITS];
    char *end = buf + MAX_DIGITS;
    size_t ndigits = 0;

    /* C99: a zero value with precision 0 prints no digits at all. */
    if (magnitude != 0 || spec->precision != 0)
        ndigits = to_digits(magnitude, base, spec->conversion == 'X', end);

    size_t precision = spec->precision == NO_PRECISION ? 0 : (size_t)spec->precision;
    size_t zeros = precision > ndigits ? precision - ndigits : 0;

    /* "%#o": the first digit must be a 0; add one if there is none. */
    if (spec->conversion == 'o' && (spec->flags & FLAG_ALT) && zeros == 0 &&
        (ndigits == 0 || end[-ndigits] != '0'))
        zeros = 1;

    size_t prefix_len = strlen(prefix);
    size_t len = prefix_len + zeros + ndigits;
    size_t width = (size_t)spec->width;
    size_t padding = width > len ? width - len : 0;

    /* '0' turns the padding into zeros after the sign or 0x -- unless a
     * precision is given or '-' is set, which both override it. */
    if ((spec->flags & FLAG_ZERO) && !(spec->flags & FLAG_LEFT) &&
        spec->precision == NO_PRECISION) {
        zeros += padding;
        padding = 0;
    }

    if (!(spec->flags & FLAG_LEFT))
        put_repeated(out, ' ', padding);
    put_chars(out, prefix, prefix_len);
    put_repeated(out, '0', zeros);
    put_chars(out, end - ndigits, ndigits);
    if (spec->flags & FLAG_LEFT)
        put_repeated(out, ' ', padding);
}

static void put_signed(struct output *out, const struct spec *spec, intmax_t value)
{
    /* Negate as unsigned: -INTMAX_MIN does not fit in intmax_t. */
    uintmax_t magnitude = value < 0 ? -(uintmax_t)value : (uintmax_t)value;
    const char *sign = value < 0                  ? "-"
                       : spec->flags & FLAG_PLUS  ? "+"
                       : spec->flags & FLAG_SPACE ? " "
                                                  : "";

    put_integer(out, spec, magnitude, sign, 10);
}

static void put_unsigned(struct output *out, const struct spec *spec, uintmax_t value)
{
    bool alt = spec->flags & FLAG_ALT;

    switch (spec->conversion) {
    case 'o':
        put_integer(out, spec, value, "", 8);
        break;
    case 'x':
        put_integer(out, spec, value, alt && value ? "0x" : "", 16);
        break;
    case 'X':
        put_integer(out, spec, value, alt && value ? "0X" : "", 16);
        break;
    default:
        put_integer(out, spec, value, "", 10);
        break;
    }
}

/* ---- Characters and strings ----------------------------------------- */

/* Emits s[0..len) padded to the field width with spaces. */
static void put_padded(struct output *out, const struct spec *spec, const char *s, size_t len)
{
    size_t width = (size_t)spec->width;
    size_t padding = width > len ? width - len : 0;

    if (!(spec->flags & FLAG_LEFT))
        put_repeated(out, ' ', padding);
    put_chars(out, s, len);
    if (spec->flags & FLAG_LEFT)
        put_repeated(out, ' ', padding);
}

static void put_string(struct output *out, const struct spec *spec, const char *s)
{
    if (s == NULL)
        s = "(null)";
    /* With a precision, s need not be NUL-terminated: never look
     * further than the precision. */
    size_t len = spec->precision == NO_PRECISION ? strlen(s) : strnlen(s, (size_t)spec->precision);

    put_padded(out, spec, s, len);
}

/* ---- The engine ------------------------------------------------------ */

/* Emits one conversion; false if the conversion character is unknown. */
static bool convert(struct output *out, const struct spec *spec, va_list *ap)
{
    switch (spec->conversion) {
    case 'd':
    case 'i':
        put_signed(out, spec, fetch_signed(spec->length, ap));
        return true;
    case 'u':
    case 'o':
    case 'x':
    case 'X':
        put_unsigned(out, spec, fetch_unsigned(spec->length, ap));
        return true;
    case 'p':
        /* SAFETY: pointer -> integer, only to print its value. */
        put_integer(out, spec, (uintptr_t)va_arg(*ap, void *), "0x", 16);
        return true;
    case 'c': {
        char c = (char)va_arg(*ap, int);

        put_padded(out, spec, &c, 1);
        return true;
    }
    case 's':
        put_string(out, spec, va_arg(*ap, const char *));
        return true;
    case '%':
        put_char(out, '%');
        return true;
    default:
        return false;
    }
}

int vformat(format_emit_fn emit, void *ctx, const char *fmt, va_list ap)
{
    struct output out = {.emit = emit, .ctx = ctx, .count = 0};
    /*
     * The helpers take a va_list * so that the arguments they consume
     * stay consumed.  On x86-64, va_list is an array type and `&ap` of
     * a parameter is not a va_list *; a local copy makes it one.
     */
    va_list args;

    va_copy(args, ap);
    while (*fmt != '\0') {
        if (*fmt != '%') {
            put_char(&out, *fmt++);
            continue;
        }

        const char *start = fmt;
        struct spec spec;

        fmt = parse_spec(fmt + 1, &spec, &args);
        if (convert(&out, &spec, &args)) {
            fmt++;
        } else {
            /* Unknown: show the specification as written. */
            if (*fmt != '\0')
                fmt++;
            put_chars(&out, start, (size_t)(fmt - start));
        }
    }
    va_end(args);
    return out.count > INT_MAX ? -1 : (int)out.count;
}
