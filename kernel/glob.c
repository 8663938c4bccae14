/*
 * glob.c -- '*' and '?' matching, without recursion.
 *
 * The classic greedy algorithm: on a mismatch after a '*', let that star
 * swallow one more character of the name and try again from there. Only
 * the last star ever needs revisiting, so this is O(len(pattern) * len(name))
 * and uses no stack, which matters in a kernel.
 */
#include "glob.h"

bool glob_match(const char *pattern, size_t pattern_len, const char *name)
{
    size_t p = 0, n = 0;
    size_t star_p = (size_t)-1, star_n = 0;   /* where the last '*' was */

    while (name[n] != '\0') {
        if (p < pattern_len && (pattern[p] == '?' || pattern[p] == name[n])) {
            p++;
            n++;
        } else if (p < pattern_len && pattern[p] == '*') {
            star_p = p++;
            star_n = n;
        } else if (star_p != (size_t)-1) {
            p = star_p + 1;
            n = ++star_n;
        } else {
            return false;
        }
    }
    while (p < pattern_len && pattern[p] == '*')
        p++;
    return p == pattern_len;
}
