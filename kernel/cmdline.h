/* cmdline.h -- reading key=value words from the kernel command line. */
#ifndef CMDLINE_H
#define CMDLINE_H

#include <stdbool.h>
#include <stddef.h>

/* Copy the value of the first word "key=value" into buf (at most cap-1
 * bytes) and return buf; NULL when no such word exists. */
const char *cmdline_value(const char *cmdline, const char *key, char *buf, size_t cap);
/* Is `word` one of the words (exactly, or as "word=...")? */
bool cmdline_has(const char *cmdline, const char *word);

#endif
