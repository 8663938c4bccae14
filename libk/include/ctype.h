/*
 * ctype.h -- character classes of the "C" locale (ASCII).
 *
 * As in the standard, the argument must be EOF (-1) or a value of
 * unsigned char: pass (unsigned char)c for a plain char, which may be
 * negative.  Bytes 0x80..0xff belong to no class.  The kernel has no
 * locales, so these are simple range checks instead of a table.
 */
#ifndef LIBK_CTYPE_H
#define LIBK_CTYPE_H

static inline int isdigit(int c)
{
    return c >= '0' && c <= '9';
}
static inline int isupper(int c)
{
    return c >= 'A' && c <= 'Z';
}
static inline int islower(int c)
{
    return c >= 'a' && c <= 'z';
}
static inline int isalpha(int c)
{
    return isupper(c) || islower(c);
}
static inline int isalnum(int c)
{
    return isalpha(c) || isdigit(c);
}

static inline int isxdigit(int c)
{
    return isdigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* space, \t, \n, \v, \f, \r */
static inline int isspace(int c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

/* 0x00..0x1f and DEL */
static inline int iscntrl(int c)
{
    return (c >= 0 && c < ' ') || c == 0x7f;
}

/* isprint includes the space; isgraph does not. */
static inline int isprint(int c)
{
    return c >= ' ' && c < 0x7f;
}
static inline int isgraph(int c)
{
    return c > ' ' && c < 0x7f;
}
static inline int ispunct(int c)
{
    return isgraph(c) && !isalnum(c);
}

static inline int toupper(int c)
{
    return islower(c) ? c - 'a' + 'A' : c;
}
static inline int tolower(int c)
{
    return isupper(c) ? c - 'A' + 'a' : c;
}

#endif /* LIBK_CTYPE_H */
