/*
 * string.h -- memory and string functions (the user libc).
 *
 * Most are libk's (libk/string.c, compiled into the libc), and so is
 * this header's main part; see assert.h for why it is included by path.
 * The ones below it are the libc's own: the kernel has no use for them
 * (lib/strings.c, and lib/strerror.c for strerror).
 */
#ifndef USER_STRING_H
#define USER_STRING_H

#include "../../libk/include/string.h"

/* "No such file or directory" for ENOENT, ...; "Unknown error N" for a
 * number that is not in errno.h (in a buffer the next call reuses). */
char *strerror(int errnum);

/* A malloc'd copy of s (strndup: of at most n bytes of it, plus a NUL);
 * NULL with errno = ENOMEM. */
char *strdup(const char *s);
char *strndup(const char *s, size_t n);
/* strcmp and strncmp with A-Z read as a-z (ASCII only: no locales). */
int strcasecmp(const char *a, const char *b);
int strncasecmp(const char *a, const char *b, size_t n);
/* The next token of s separated by any of delim's bytes, or NULL; s is
 * NULL to go on where *save left off. Writes NULs into s. strtok keeps
 * *save in a static: not for two strings at once, nor from threads. */
char *strtok_r(char *s, const char *delim, char **save);
char *strtok(char *s, const char *delim);
/* "ENOENT" for ENOENT, ...; NULL for a number that is not in errno.h.
 * (A GNU extension, named as in glibc.) */
const char *strerrorname_np(int errnum);

#endif
