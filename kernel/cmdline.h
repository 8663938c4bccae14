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
/* What follows "key=" in the word "key=...", up to the end of the command
 * line (run=/bin/sh -c "echo hi" takes the rest); NULL when there is no
 * such word (a bare "key" is not one). */
const char *cmdline_rest(const char *cmdline, const char *key);
/* Split s in place at spaces into at most max words, argv[0..n), and set
 * argv[n] = NULL (argv holds max + 1). A word that starts with a double
 * or single quote runs to the next such quote, spaces and all, quotes
 * dropped: both kinds, because `make qemu` puts CMDLINE inside double
 * quotes. Returns n. No hidden state, unlike strtok. */
int cmdline_split(char *s, char **argv, int max);

#endif
