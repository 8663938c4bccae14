/*
 * vars.h -- the shell's variables (vars.c): one array of "NAME=value"
 * strings that is both what $NAME looks up and the environment every
 * command gets (there are no unexported variables). Pure code over
 * malloc: the host tests run it.
 */
#ifndef SH_VARS_H
#define SH_VARS_H

#include <stdbool.h>
#include <stddef.h>

struct sh_vars {
    char **env;                 /* n strings, then NULL: execve's envp */
    int n;
    int cap;                    /* slots in env, the NULL's included */
};

/* Copies env (NULL-terminated, may be NULL); entries without a '='
 * or with an empty name are left out. False if memory ran out. */
bool vars_init(struct sh_vars *v, char *const *env);

/* The value of the variable called name[0..len), or NULL if unset. */
const char *vars_get(const struct sh_vars *v, const char *name, size_t len);

/* Sets name[0..len) to value; false (nothing changed) if memory ran
 * out. The caller checks that the name is one (sh_is_name). */
bool vars_set(struct sh_vars *v, const char *name, size_t len, const char *value);

void vars_unset(struct sh_vars *v, const char *name);

/* Frees every variable and the array (v is then unusable). */
void vars_free(struct sh_vars *v);

/* A NAME: a letter or '_', then letters, digits and '_'. */
bool sh_is_name(const char *s, size_t len);

/* If word is NAME=VALUE, the length of NAME, else 0. */
size_t sh_assignment_name_len(const char *word);

#endif
