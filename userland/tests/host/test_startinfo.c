/*
 * test_startinfo.c -- reading the initial stack (lib/startinfo.c).
 *
 * Builds the stack execve() leaves (docs/abi.md) in an array of words --
 * 64-bit ones on the host, which the code handles as it does 32-bit ones
 * -- and checks what start_info_parse() and its helpers find in it.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>

#include "auxv.h"
#include "startinfo.h"

#define MAX_WORDS 64

struct fake_stack {
    uintptr_t words[MAX_WORDS];
    size_t n;
};

static void push(struct fake_stack *s, uintptr_t w)
{
    cr_assert_lt(s->n, MAX_WORDS);
    s->words[s->n++] = w;
}

static void push_ptr(struct fake_stack *s, const char *p)
{
    /* SAFETY: pointer -> integer: a word of the fake stack holds a
     * pointer, as the kernel's words do; the parser reads it back as one. */
    push(s, (uintptr_t)p);
}

/* argc, argv..., NULL, envp..., NULL, auxv pairs..., AT_NULL, 0 */
static void build(struct fake_stack *s, char **argv, int argc, char **envp,
                  const uintptr_t *auxv)
{
    s->n = 0;
    push(s, (uintptr_t)argc);
    for (int i = 0; i < argc; i++)
        push_ptr(s, argv[i]);
    push(s, 0);
    for (; *envp != NULL; envp++)
        push_ptr(s, *envp);
    push(s, 0);
    for (; auxv[0] != AT_NULL; auxv += 2) {
        push(s, auxv[0]);
        push(s, auxv[1]);
    }
    push(s, AT_NULL);
    push(s, 0);
}

static char *args3[] = {"t_args", "argc=3 envc=2", "2:x"};
static char *env2[] = {"T_ARGS_0=a", "SYSCALL=int80", NULL};
static char *no_env[] = {NULL};
static const uintptr_t auxv_sysenter[] = {AT_PAGESZ, 4096, AT_SYSENTER, 1, AT_NULL, 0};
static const uintptr_t auxv_empty[] = {AT_NULL, 0};

Test(startinfo, finds_argc_argv_envp_auxv)
{
    struct fake_stack s;
    struct start_info info;

    build(&s, args3, 3, env2, auxv_sysenter);
    start_info_parse(s.words, &info);
    cr_assert_eq(info.argc, 3);
    cr_assert_eq((void *)info.argv, (void *)&s.words[1]);
    cr_assert_str_eq(info.argv[0], "t_args");
    cr_assert_str_eq(info.argv[2], "2:x");
    cr_assert_null(info.argv[3]);
    cr_assert_eq((void *)info.envp, (void *)&s.words[5]);
    cr_assert_str_eq(info.envp[1], "SYSCALL=int80");
    cr_assert_null(info.envp[2]);
    cr_assert_eq(info.auxv, &s.words[8]);
    cr_assert_eq(auxv_value(info.auxv, AT_PAGESZ, 0), 4096);
}

Test(startinfo, no_arguments_no_environment)
{
    struct fake_stack s;
    struct start_info info;

    build(&s, NULL, 0, no_env, auxv_empty);
    start_info_parse(s.words, &info);
    cr_assert_eq(info.argc, 0);
    cr_assert_null(info.argv[0]);
    cr_assert_null(info.envp[0]);
    cr_assert_eq(info.auxv, &s.words[3]);
    cr_assert_eq(auxv_value(info.auxv, AT_PAGESZ, 77), 77);
}

Test(startinfo, auxv_value_missing_gives_default)
{
    cr_assert_eq(auxv_value(auxv_sysenter, AT_SYSENTER, 0), 1);
    cr_assert_eq(auxv_value(auxv_sysenter, 12345, 9), 9);
    cr_assert_eq(auxv_value(auxv_empty, AT_SYSENTER, 0), 0);
}

Test(startinfo, env_contains_whole_entries_only)
{
    cr_assert(env_contains(env2, "SYSCALL=int80"));
    cr_assert_not(env_contains(env2, "SYSCALL=int8"));
    cr_assert_not(env_contains(env2, "SYSCALL"));
    cr_assert_not(env_contains(no_env, "SYSCALL=int80"));
}

/* The path: sysenter iff AT_SYSENTER == 1 and no SYSCALL=int80. */
static bool wants_sysenter(char **envp, const uintptr_t *auxv)
{
    struct fake_stack s;
    struct start_info info;

    build(&s, args3, 3, envp, auxv);
    start_info_parse(s.words, &info);
    return start_wants_sysenter(&info);
}

Test(startinfo, path_choice)
{
    static char *plain_env[] = {"HOME=/", NULL};
    static char *other_value[] = {"SYSCALL=sysenter", NULL};
    static const uintptr_t auxv_no_sysenter[] = {AT_SYSENTER, 0, AT_NULL, 0};
    static const uintptr_t auxv_odd_value[] = {AT_SYSENTER, 2, AT_NULL, 0};

    cr_assert(wants_sysenter(plain_env, auxv_sysenter));
    cr_assert(wants_sysenter(other_value, auxv_sysenter));
    cr_assert_not(wants_sysenter(env2, auxv_sysenter), "SYSCALL=int80 forces int $0x80");
    cr_assert_not(wants_sysenter(plain_env, auxv_no_sysenter));
    cr_assert_not(wants_sysenter(plain_env, auxv_empty), "no AT_SYSENTER: int $0x80");
    cr_assert_not(wants_sysenter(plain_env, auxv_odd_value), "only the value 1 means yes");
}
