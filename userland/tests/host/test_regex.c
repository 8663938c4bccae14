/*
 * test_regex.c -- grep's matcher (lib/regex.c).
 */
#include <criterion/criterion.h>

#include "re.h"

/* Whether re (which must be well-formed) matches somewhere in line. */
static bool m(const char *re, const char *line)
{
    cr_assert_null(re_error(re), "RE %s rejected: %s", re, re_error(re));
    return re_search(re, line, 0);
}

static bool mi(const char *re, const char *line)
{
    cr_assert_null(re_error(re));
    return re_search(re, line, RE_ICASE);
}

Test(regex, literals_match_anywhere)
{
    cr_assert(m("bc", "abcd"));
    cr_assert(m("abcd", "abcd"));
    cr_assert(!m("bd", "abcd"));
    cr_assert(!m("abcde", "abcd"));
    cr_assert(m("", "anything"));
    cr_assert(m("", ""));
}

Test(regex, dot_is_any_one_character)
{
    cr_assert(m("a.c", "xabcx"));
    cr_assert(m("a.c", "a.c"));
    cr_assert(!m("a.c", "ac"));
    cr_assert(!m(".", ""));
}

Test(regex, anchors)
{
    cr_assert(m("^ab", "abc"));
    cr_assert(!m("^bc", "abc"));
    cr_assert(m("bc$", "abc"));
    cr_assert(!m("ab$", "abc"));
    cr_assert(m("^abc$", "abc"));
    cr_assert(!m("^abc$", "abcabc"));
    cr_assert(m("^$", ""));
    cr_assert(!m("^$", "x"));
}

Test(regex, anchors_elsewhere_are_literal)
{
    cr_assert(m("a^b", "xa^by"));
    cr_assert(!m("a^b", "ab"));
    cr_assert(m("a$b", "a$b"));
}

Test(regex, star_repeats_zero_or_more)
{
    cr_assert(m("ab*c", "ac"));
    cr_assert(m("ab*c", "abbbc"));
    cr_assert(!m("ab*c", "abxc"));
    cr_assert(m("^a*$", ""));
    cr_assert(m("^a*$", "aaaa"));
    cr_assert(!m("^a*$", "aaba"));
    cr_assert(m("^.*x.*$", "abcxdef"));
    cr_assert(m("a.*b.*c", "a--b--c"));
    cr_assert(!m("a.*b.*c", "a--c--b"));
}

Test(regex, star_first_is_literal)
{
    cr_assert(m("*a", "x*a"));
    cr_assert(!m("*a", "a"));
    cr_assert(m("^*", "*x"));
    cr_assert(!m("^*", "x*"));
}

Test(regex, brackets)
{
    cr_assert(m("[abc]", "xxbxx"));
    cr_assert(!m("[abc]", "xyz"));
    cr_assert(m("^[a-z]*$", "hello"));
    cr_assert(!m("^[a-z]*$", "Hello"));
    cr_assert(m("[0-9][0-9]", "a12"));
    cr_assert(!m("[0-9][0-9]", "a1b2"));
    cr_assert(m("x[^a-z]y", "x1y"));
    cr_assert(!m("x[^a-z]y", "xqy"));
    cr_assert(!m("[^a]", ""), "a negated set still needs a character");
}

Test(regex, bracket_edge_members)
{
    cr_assert(m("[]x]", "]"));
    cr_assert(m("[]x]", "x"));
    cr_assert(!m("[]x]", "y"));
    cr_assert(m("[^]x]", "y"));
    cr_assert(!m("[^]x]", "]"));
    cr_assert(m("[a-]", "-"));
    cr_assert(m("[-a]", "-"));
    cr_assert(m("[.*]", "*"));
    cr_assert(!m("[.*]", "x"), "'.' and '*' are plain inside brackets");
}

Test(regex, bracket_classes)
{
    cr_assert(m("^[[:digit:]]*$", "0123"));
    cr_assert(!m("^[[:digit:]]*$", "01a"));
    cr_assert(m("[[:space:]]", "a b"));
    cr_assert(m("[^[:alpha:]]", "ab1"));
    cr_assert(!m("[^[:alpha:]]", "ab"));
    cr_assert(m("[x[:upper:]]", "aBc"));
}

Test(regex, escapes)
{
    cr_assert(m("a\\.c", "a.c"));
    cr_assert(!m("a\\.c", "abc"));
    cr_assert(m("\\*", "*"));
    cr_assert(m("\\[", "["));
    cr_assert(m("\\\\", "a\\b"));
    cr_assert(m("^\\^", "^x"));
    cr_assert(m("\\$$", "5$"));
}

Test(regex, ignore_case)
{
    cr_assert(mi("hello", "Say HELLO"));
    cr_assert(mi("[a-c]x", "BX"));
    cr_assert(mi("[A-C]x", "bX"));
    cr_assert(!mi("[^a]", "A"));
    cr_assert(!re_search("hello", "HELLO", 0));
}

Test(regex, errors)
{
    cr_assert_str_eq(re_error("[abc"), "unmatched [");
    cr_assert_str_eq(re_error("[^"), "unmatched [");
    cr_assert_str_eq(re_error("[]"), "unmatched [");
    cr_assert_str_eq(re_error("ab\\"), "trailing backslash (\\)");
    cr_assert_not_null(re_error("\\(a\\)"));
    cr_assert_not_null(re_error("a\\{2\\}"));
    cr_assert_not_null(re_error("\\1"));
    cr_assert_str_eq(re_error("[[:nosuch:]]"), "invalid character class");
    cr_assert_null(re_error("[[:alpha:]x]"));
    cr_assert_null(re_error("a]b"));
}

Test(regex, many_stars_stay_correct)
{
    cr_assert(!m("a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaa"));
    cr_assert(m("a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaab"));
}
