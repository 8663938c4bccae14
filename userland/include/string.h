/*
 * string.h -- memory and string functions (the user libc).
 *
 * All of them are libk's (libk/string.c, compiled into the libc), and so
 * is this header's main part; see assert.h for why it is included by
 * path. strerror and strerrorname_np are the libc's own (lib/strerror.c).
 */
#ifndef USER_STRING_H
#define USER_STRING_H

#include "../../libk/include/string.h"

/* "No such file or directory" for ENOENT, ...; "Unknown error N" for a
 * number that is not in errno.h (in a buffer the next call reuses). */
char *strerror(int errnum);
/* "ENOENT" for ENOENT, ...; NULL for a number that is not in errno.h.
 * (A GNU extension, named as in glibc.) */
const char *strerrorname_np(int errnum);

#endif
