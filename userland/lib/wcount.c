/*
 * wcount.c -- counting lines, words and bytes as POSIX wc does.
 *
 * A line is counted at its newline (a last line without one is not a
 * line, as in POSIX); a word is counted at its first byte, so that a
 * word cut in two by the read() buffer is still one word.
 */
#include <ctype.h>

#include "wcount.h"

void wcount_add(struct wcount *c, const char *buf, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char b = (unsigned char)buf[i];
        bool space = isspace(b);

        if (b == '\n')
            c->lines++;
        if (!space && !c->in_word)
            c->words++;
        c->in_word = !space;
    }
    c->bytes += n;
}
