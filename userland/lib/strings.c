/*
 * strings.c -- the string functions the libc has and libk does not:
 * they allocate (strdup), or only user programs want them (case-blind
 * comparison, tokens). The rest of string.h is libk's own code.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* make lint: gcc -fanalyzer knows strndup by name and reports the copy
 * strndup/strdup return to their caller as leaked (a false positive:
 * these ARE the allocating functions). */
#pragma GCC diagnostic ignored "-Wanalyzer-malloc-leak"

char *strndup(const char *s, size_t n)
{
    size_t len = strnlen(s, n);
    char *copy = malloc(len + 1);

    if (copy == NULL)
        return NULL;            /* errno: ENOMEM */
    memcpy(copy, s, len);
    copy[len] = '\0';
    return copy;
}

char *strdup(const char *s)
{
    return strndup(s, strlen(s));
}

int strncasecmp(const char *a, const char *b, size_t n)
{
    for (; n > 0; a++, b++, n--) {
        int ca = tolower((unsigned char)*a);
        int cb = tolower((unsigned char)*b);
        if (ca != cb || ca == '\0')
            return ca - cb;
    }
    return 0;
}

int strcasecmp(const char *a, const char *b)
{
    return strncasecmp(a, b, (size_t)-1);
}

char *strtok_r(char *s, const char *delim, char **save)
{
    if (s == NULL)
        s = *save;
    s += strspn(s, delim);
    if (*s == '\0') {
        *save = s;
        return NULL;
    }
    char *end = s + strcspn(s, delim);
    if (*end != '\0')
        *end++ = '\0';
    *save = end;
    return s;
}

char *strtok(char *s, const char *delim)
{
    static char *save;

    return strtok_r(s, delim, &save);
}
