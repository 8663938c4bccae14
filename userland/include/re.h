/*
 * re.h -- a small regular-expression matcher for grep (lib/regex.c).
 * Pure logic: the host tests run it too.
 *
 * The language is a subset of POSIX basic regular expressions (BRE):
 *
 *     c       a character that is not special matches itself
 *     \c      c itself, for a punctuation character c (\. \* \[ \\ \^ \$)
 *     .       any character
 *     [set]   one character of set: [abc] [a-z0-9] []x] [a-] [[:digit:]];
 *             [^set] one character not in it
 *     x*      zero or more of the atom x ('*' first in the RE is literal)
 *     ^       at the start of the RE: the start of the line
 *     $       at the end of the RE: the end of the line
 *
 * Not supported (re_error says so): groups \( \), back-references \1,
 * intervals \{m,n\}, and GNU's \+ \? \| \< \> \w.
 */
#ifndef USER_RE_H
#define USER_RE_H

#include <stdbool.h>

#define RE_ICASE 1      /* letters match either case (grep -i) */

/* NULL if re is well-formed, else why not ("unmatched [", ...). Check
 * an RE once with this before searching with it. */
const char *re_error(const char *re);

/* Whether some substring of line matches re (well-formed: see re_error). */
bool re_search(const char *re, const char *line, int flags);

#endif
