/*
 * getenv.c -- looking a name up in the environment.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *getenv(const char *name)
{
    size_t len = strlen(name);

    if (environ == NULL || len == 0 || strchr(name, '=') != NULL)
        return NULL;
    for (char **p = environ; *p != NULL; p++) {
        if (strncmp(*p, name, len) == 0 && (*p)[len] == '=')
            return *p + len + 1;
    }
    return NULL;
}
