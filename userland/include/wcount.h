/*
 * wcount.h -- wc's counting of lines, words and bytes (lib/wcount.c).
 * Pure logic: the host tests run it too.
 */
#ifndef USER_WCOUNT_H
#define USER_WCOUNT_H

#include <stdbool.h>
#include <stddef.h>

struct wcount {
    unsigned long lines;        /* newline characters */
    unsigned long words;        /* maximal runs of non-space characters */
    unsigned long bytes;
    bool in_word;               /* the last byte counted was not a space */
};

/* Adds the n bytes at buf to *c. A word may span two calls: feed a file
 * in pieces to one zeroed struct wcount. */
void wcount_add(struct wcount *c, const char *buf, size_t n);

#endif
