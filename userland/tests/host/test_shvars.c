/*
 * test_shvars.c -- the shell's variables (userland/bin/sh/vars.c).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "vars.h"

static int count_env(const struct sh_vars *v)
{
    int n = 0;
    while (v->env[n] != NULL)
        n++;
    return n;
}

Test(shvars, init_copies_the_environment_and_skips_junk)
{
    char *env[] = {"HOME=/root", "noequals", "=novalue", "EMPTY=", "X=a=b", NULL};
    struct sh_vars v;

    cr_assert(vars_init(&v, env));
    cr_assert_eq(v.n, 3);
    cr_assert_eq(count_env(&v), 3);
    cr_assert_str_eq(vars_get(&v, "HOME", 4), "/root");
    cr_assert_str_eq(vars_get(&v, "EMPTY", 5), "");
    cr_assert_str_eq(vars_get(&v, "X", 1), "a=b");
    cr_assert_null(vars_get(&v, "noequals", 8));
    cr_assert_null(vars_get(&v, "HOM", 3), "a prefix is not the name");
    cr_assert_str_eq(vars_get(&v, "HOMEX", 4), "/root", "the length decides, not a NUL");
    vars_free(&v);
}

Test(shvars, init_of_no_environment)
{
    struct sh_vars v;
    cr_assert(vars_init(&v, NULL));
    cr_assert_eq(v.n, 0);
    cr_assert_null(v.env[0]);
    vars_free(&v);
}

Test(shvars, set_replaces_and_adds_and_unset_removes)
{
    struct sh_vars v;
    cr_assert(vars_init(&v, NULL));
    cr_assert(vars_set(&v, "A", 1, "1"));
    cr_assert(vars_set(&v, "B", 1, "2"));
    cr_assert(vars_set(&v, "A", 1, "3"));
    cr_assert_eq(v.n, 2);
    cr_assert_str_eq(vars_get(&v, "A", 1), "3");
    cr_assert_str_eq(v.env[0], "A=3");
    vars_unset(&v, "A");
    vars_unset(&v, "nosuch");
    cr_assert_eq(v.n, 1);
    cr_assert_null(vars_get(&v, "A", 1));
    cr_assert_str_eq(v.env[0], "B=2");
    cr_assert_null(v.env[1]);
    vars_free(&v);
}

Test(shvars, grows_past_its_first_array)
{
    struct sh_vars v;
    char name[16];

    cr_assert(vars_init(&v, NULL));
    for (int i = 0; i < 1000; i++) {
        snprintf(name, sizeof name, "V%d", i);
        cr_assert(vars_set(&v, name, strlen(name), name));
    }
    cr_assert_eq(count_env(&v), 1000);
    cr_assert_str_eq(vars_get(&v, "V999", 4), "V999");
    cr_assert_str_eq(vars_get(&v, "V0", 2), "V0");
    vars_free(&v);
}

Test(shvars, names_and_assignments)
{
    cr_assert(sh_is_name("_a1", 3));
    cr_assert(sh_is_name("PATH", 4));
    cr_assert_not(sh_is_name("1a", 2));
    cr_assert_not(sh_is_name("a-b", 3));
    cr_assert_not(sh_is_name("", 0));
    cr_assert_eq(sh_assignment_name_len("FOO=bar"), 3);
    cr_assert_eq(sh_assignment_name_len("FOO="), 3);
    cr_assert_eq(sh_assignment_name_len("FOO"), 0);
    cr_assert_eq(sh_assignment_name_len("=x"), 0);
    cr_assert_eq(sh_assignment_name_len("a-b=c"), 0);
    cr_assert_eq(sh_assignment_name_len("./x=y"), 0);
}
