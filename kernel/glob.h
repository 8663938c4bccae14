/* glob.h -- shell-style pattern matching for test names. */
#ifndef GLOB_H
#define GLOB_H

#include <stdbool.h>
#include <stddef.h>

/* Does `name` match `pattern`, where '*' matches any run of characters
 * and '?' any one character? Only the first pattern_len bytes of pattern
 * count (patterns are often slices of a longer string). */
bool glob_match(const char *pattern, size_t pattern_len, const char *name);

#endif
