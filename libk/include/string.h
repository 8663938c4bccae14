/*
 * string.h -- memory and C-string functions (libk).
 *
 * Same meaning as the C standard's functions of the same names, plus
 * strlcpy (from BSD) and strnlen (POSIX).  See libk/string.c.
 *
 * The compiler may emit calls to memcpy, memmove, memset and memcmp on
 * its own (struct copies, zero-initialised arrays), so the kernel must
 * link these plain names even if no source calls them.
 */
#ifndef LIBK_STRING_H
#define LIBK_STRING_H

#include <stddef.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
#if defined(CONFIG_KASAN) && (!defined(__SANITIZE_ADDRESS__) || defined(KASAN_UNCHECKED_FILE))
/* A file KASAN does not instrument (kernel/sanitizers/, the heap's
 * internals) reads and writes redzones on purpose: it gets the raw
 * functions, which check nothing (libk/string.c). */
void *__memcpy(void *restrict dst, const void *restrict src, size_t n);
void *__memmove(void *dst, const void *src, size_t n);
void *__memset(void *dst, int c, size_t n);
#define memcpy __memcpy
#define memmove __memmove
#define memset __memset
#endif
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);

size_t strlen(const char *s);
size_t strnlen(const char *s, size_t maxlen);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
char *strstr(const char *haystack, const char *needle);
size_t strspn(const char *s, const char *accept);
size_t strcspn(const char *s, const char *reject);

char *strcpy(char *restrict dst, const char *restrict src);
char *strncpy(char *restrict dst, const char *restrict src, size_t n);
size_t strlcpy(char *restrict dst, const char *restrict src, size_t size);
char *strcat(char *restrict dst, const char *restrict src);

#endif /* LIBK_STRING_H */
