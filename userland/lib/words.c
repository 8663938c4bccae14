/*
 * words.c -- splitting a command line into words, in place (for sh).
 *
 * No quoting, no escapes: a word is a run of characters other than space
 * and tab, and a newline or carriage return ends the line. Each word is
 * cut off with a NUL where its separator was.
 */
#include <stdbool.h>
#include <stddef.h>

#include "words.h"

static bool is_separator(char c)
{
    return c == ' ' || c == '\t';
}

static bool is_line_end(char c)
{
    return c == '\0' || c == '\n' || c == '\r';
}

int split_words(char *line, char *words[], int max_words)
{
    int n = 0;
    char *p = line;

    if (max_words < 1)
        return -1;              /* not even room for the NULL */
    for (;;) {
        while (is_separator(*p))
            p++;
        if (is_line_end(*p))
            break;
        if (n >= max_words - 1)
            return -1;          /* no room for this word and the NULL */
        words[n++] = p;
        while (!is_separator(*p) && !is_line_end(*p))
            p++;
        if (is_line_end(*p)) {
            *p = '\0';
            break;
        }
        *p++ = '\0';
    }
    words[n] = NULL;
    return n;
}
