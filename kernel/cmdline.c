/*
 * cmdline.c -- the command line is space-separated words, some of them
 * key=value (docs/protocol.md). Pure string logic, no hardware: the
 * command line comes from whoever booted us, so the fuzzer
 * (kernel/tests/fuzz/cmdline_fuzz.c) feeds all of it any bytes.
 */
#include "cmdline.h"
#include <string.h>

/* Find the word whose key is `key` ("key" or "key=..."); return a pointer
 * to the character after the key, or NULL. */
static const char *cmdline_find(const char *cmdline, const char *key)
{
    size_t key_len = strlen(key);
    const char *w = cmdline;
    while (*w != '\0') {
        while (*w == ' ')
            w++;
        size_t word_len = strcspn(w, " ");
        if (word_len >= key_len && strncmp(w, key, key_len) == 0 &&
            (w[key_len] == '=' || w[key_len] == ' ' || w[key_len] == '\0'))
            return w + key_len;
        w += word_len;
    }
    return NULL;
}

const char *cmdline_value(const char *cmdline, const char *key, char *buf, size_t cap)
{
    const char *after = cmdline_find(cmdline, key);
    if (after == NULL || *after != '=' || cap == 0)
        return NULL;
    after++;
    size_t len = strcspn(after, " ");
    if (len >= cap)
        len = cap - 1;
    memcpy(buf, after, len);
    buf[len] = '\0';
    return buf;
}

bool cmdline_has(const char *cmdline, const char *word)
{
    return cmdline_find(cmdline, word) != NULL;
}

const char *cmdline_rest(const char *cmdline, const char *key)
{
    const char *after = cmdline_find(cmdline, key);
    if (after == NULL || *after != '=')
        return NULL;
    return after + 1;
}

/* The next word of *next (see cmdline_split), NUL-terminated in place,
 * or NULL at the end; *next moves past it. */
static char *next_word(char **next)
{
    char *s = *next;
    while (*s == ' ')
        s++;
    if (*s == '\0')
        return NULL;
    const char *stops = " ";
    if (*s == '"' || *s == '\'') {
        stops = *s == '"' ? "\"" : "'";
        s++;
    }
    char *word = s;
    s += strcspn(s, stops);
    if (*s != '\0')
        *s++ = '\0';
    *next = s;
    return word;
}

int cmdline_split(char *s, char **argv, int max)
{
    int n = 0;
    char *w;
    while (n < max && (w = next_word(&s)) != NULL)
        argv[n++] = w;
    argv[n] = NULL;
    return n;
}
