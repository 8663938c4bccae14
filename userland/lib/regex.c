/*
 * regex.c -- grep's regular-expression matcher (the language is in re.h).
 *
 * It works on the RE's text directly, as in Kernighan and Pike's matcher:
 * match_here() takes one atom ("c", "\c", ".", "[set]") off the front of
 * the RE, and a following '*' sends it to match_star(), which tries every
 * number of repetitions. There is no compiled form, so an RE is checked
 * once with re_error() and then only read. Backtracking can take time
 * exponential in the number of stars, which grep's patterns never reach.
 */
#include <ctype.h>
#include <stddef.h>
#include <string.h>

#include "re.h"

/* The character classes a bracket expression may name ([:digit:]). */
static const struct {
    const char *name;
    int (*is)(int c);
} classes[] = {
    { "alnum", isalnum }, { "alpha", isalpha }, { "digit", isdigit },
    { "lower", islower }, { "upper", isupper }, { "space", isspace },
    { "punct", ispunct }, { "print", isprint }, { "xdigit", isxdigit },
    { "cntrl", iscntrl }, { "graph", isgraph },
};

/* The class named by the len bytes at name, or -1. */
static int class_index(const char *name, size_t len)
{
    for (size_t i = 0; i < sizeof classes / sizeof classes[0]; i++)
        if (strlen(classes[i].name) == len && memcmp(classes[i].name, name, len) == 0)
            return (int)i;
    return -1;
}

/* If p starts "[:", the length of the "[:name:]" there, else 0. */
static size_t class_len(const char *p)
{
    if (p[0] != '[' || p[1] != ':')
        return 0;
    const char *end = strstr(p + 2, ":]");
    return end ? (size_t)(end + 2 - p) : 0;
}

/* The first item of the bracket expression "[...]" at b (after any
 * '^'). A ']' there is a member, not the end. */
static const char *bracket_items(const char *b)
{
    return b[1] == '^' ? b + 2 : b + 1;
}

/* Where the bracket expression at b ends (just past its ']'), or NULL. */
static const char *bracket_end(const char *b)
{
    const char *p = bracket_items(b);

    if (*p == ']')
        p++;
    while (*p && *p != ']')
        p += class_len(p) ? class_len(p) : 1;
    return *p ? p + 1 : NULL;
}

/* Whether the bracket expression at b (well-formed) lists c, with no
 * regard to the '^'. */
static bool bracket_lists(const char *b, unsigned char c)
{
    const char *p = bracket_items(b);
    bool first = true;

    while (first || *p != ']') {
        size_t cl = class_len(p);
        if (cl) {
            if (classes[class_index(p + 2, cl - 4)].is(c))
                return true;
            p += cl;
        } else if (p[1] == '-' && p[2] && p[2] != ']') {
            if ((unsigned char)p[0] <= c && c <= (unsigned char)p[2])
                return true;
            p += 3;
        } else {
            if ((unsigned char)*p == c)
                return true;
            p++;
        }
        first = false;
    }
    return false;
}

/* Whether the bracket expression at b matches c. */
static bool bracket_matches(const char *b, unsigned char c, int flags)
{
    bool listed = bracket_lists(b, c);

    if (!listed && (flags & RE_ICASE))
        listed = bracket_lists(b, (unsigned char)tolower(c)) ||
                 bracket_lists(b, (unsigned char)toupper(c));
    return b[1] == '^' ? !listed : listed;
}

/* The length of the atom at the front of re (well-formed, not empty). */
static size_t atom_len(const char *re)
{
    if (re[0] == '\\')
        return 2;
    if (re[0] == '[')
        return (size_t)(bracket_end(re) - re);
    return 1;
}

/* Whether the atom at the front of re matches the character c. */
static bool atom_matches(const char *re, char c, int flags)
{
    if (c == '\0')
        return false;
    if (re[0] == '[')
        return bracket_matches(re, (unsigned char)c, flags);
    if (re[0] == '.')
        return true;
    char want = re[0] == '\\' ? re[1] : re[0];
    if (flags & RE_ICASE)
        return tolower((unsigned char)want) == tolower((unsigned char)c);
    return want == c;
}

static bool match_here(const char *re, const char *text, int flags);

/* Zero or more of the atom at the front of atom, then rest, at text.
 * Shortest first: grep asks only whether there is a match, not where. */
static bool match_star(const char *atom, const char *rest, const char *text, int flags)
{
    for (;; text++) {
        if (match_here(rest, text, flags))
            return true;
        if (!atom_matches(atom, *text, flags))
            return false;
    }
}

/* Whether re matches a prefix of text. */
static bool match_here(const char *re, const char *text, int flags)
{
    if (re[0] == '\0')
        return true;
    if (re[0] == '$' && re[1] == '\0')
        return *text == '\0';
    size_t n = atom_len(re);
    if (re[n] == '*')
        return match_star(re, re + n + 1, text, flags);
    if (atom_matches(re, *text, flags))
        return match_here(re + n, text + 1, flags);
    return false;
}

bool re_search(const char *re, const char *line, int flags)
{
    if (re[0] == '^')
        return match_here(re + 1, line, flags);
    for (const char *t = line;; t++) {
        if (match_here(re, t, flags))
            return true;
        if (*t == '\0')
            return false;
    }
}

const char *re_error(const char *re)
{
    for (const char *p = re; *p; p++) {
        if (p[0] == '\\') {
            if (p[1] == '\0')
                return "trailing backslash (\\)";
            if (isalnum((unsigned char)p[1]) || strchr("(){}|+?<>", p[1]))
                return "unsupported escape (groups, intervals, back-references)";
            p++;
        } else if (p[0] == '[') {
            const char *end = bracket_end(p);
            if (!end)
                return "unmatched [";
            for (const char *q = bracket_items(p); q < end - 1; q++) {
                size_t cl = class_len(q);
                if (cl && class_index(q + 2, cl - 4) < 0)
                    return "invalid character class";
                if (cl)
                    q += cl - 1;
            }
            p = end - 1;
        }
    }
    return NULL;
}
