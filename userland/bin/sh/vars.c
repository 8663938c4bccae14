/*
 * vars.c -- the shell's variables: an array of malloc'd "NAME=value"
 * strings, searched linearly (a shell has tens of them, not thousands).
 */
#include <stdlib.h>
#include <string.h>

#include "vars.h"

static int find(const struct sh_vars *v, const char *name, size_t len)
{
    for (int i = 0; i < v->n; i++) {
        if (strncmp(v->env[i], name, len) == 0 && v->env[i][len] == '=')
            return i;
    }
    return -1;
}

bool vars_init(struct sh_vars *v, char *const *env)
{
    v->cap = 16;
    v->n = 0;
    v->env = calloc((size_t)v->cap, sizeof *v->env);
    if (v->env == NULL)
        return false;
    for (; env != NULL && *env != NULL; env++) {
        const char *eq = strchr(*env, '=');
        if (eq != NULL && eq != *env && !vars_set(v, *env, (size_t)(eq - *env), eq + 1))
            return false;
    }
    return true;
}

const char *vars_get(const struct sh_vars *v, const char *name, size_t len)
{
    int i = find(v, name, len);
    return i < 0 ? NULL : v->env[i] + len + 1;
}

/* Room for one more string and the NULL after it. */
static bool make_room(struct sh_vars *v)
{
    if (v->n + 2 <= v->cap)
        return true;
    int cap = v->cap * 2;
    char **bigger = realloc(v->env, (size_t)cap * sizeof *bigger);
    if (bigger == NULL)
        return false;
    v->env = bigger;
    v->cap = cap;
    return true;
}

bool vars_set(struct sh_vars *v, const char *name, size_t len, const char *value)
{
    size_t vlen = strlen(value);
    char *entry = malloc(len + vlen + 2);

    if (entry == NULL)
        return false;
    memcpy(entry, name, len);
    entry[len] = '=';
    memcpy(entry + len + 1, value, vlen + 1);

    int i = find(v, name, len);
    if (i >= 0) {
        free(v->env[i]);
        v->env[i] = entry;
        return true;
    }
    if (!make_room(v)) {
        free(entry);
        return false;
    }
    v->env[v->n++] = entry;
    v->env[v->n] = NULL;
    return true;
}

void vars_unset(struct sh_vars *v, const char *name)
{
    int i = find(v, name, strlen(name));
    if (i < 0)
        return;
    free(v->env[i]);
    v->env[i] = v->env[--v->n];         /* order does not matter */
    v->env[v->n] = NULL;
}

void vars_free(struct sh_vars *v)
{
    for (int i = 0; i < v->n; i++)
        free(v->env[i]);
    free(v->env);
    v->env = NULL;
    v->n = v->cap = 0;
}

bool sh_is_name(const char *s, size_t len)
{
    if (len == 0 || (s[0] >= '0' && s[0] <= '9'))
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_'))
            return false;
    }
    return true;
}

size_t sh_assignment_name_len(const char *word)
{
    const char *eq = strchr(word, '=');
    if (eq == NULL || !sh_is_name(word, (size_t)(eq - word)))
        return 0;
    return (size_t)(eq - word);
}
