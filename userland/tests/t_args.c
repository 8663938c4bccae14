/*
 * t_args.c -- checks the arguments and environment execve() gave it.
 *
 * Run by t_exec (and t_efault) through execve(); not a KTAP test on its
 * own. The caller writes what t_args should find into the arguments:
 *
 *     argv[0]            anything (the caller's choice, as always)
 *     argv[1]            "argc=A envc=E" (or "argc=A,envc=E", for a
 *                        command line that splits at spaces): argc must
 *                        be A, and envp must hold E strings
 *     argv[i], i >= 2    must start with "i:" (the words keep their
 *                        order, and a space inside one does not split it)
 *     envp[j]            must start with "T_ARGS_j="
 *
 * It also checks what the start code and the kernel add: argv[argc] and
 * envp[E] are NULL, environ is envp, every pointer lies in user space,
 * and the auxiliary vector says AT_PAGESZ = 4096.
 *
 * Exit status: 0 if everything matched; 1 if something did not (each
 * mismatch printed as a "# t_args: ..." line, which lands in the
 * caller's KTAP output as a diagnostic); 2 if argv[1] is not of the form
 * above.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tidepool.h>
#include <unistd.h>

static int mismatches;

static void mismatch(const char *what, const char *expected, const char *got)
{
    printf("# t_args: %s: expected %s, got %s\n", what, expected, got);
    mismatches++;
}

static bool in_user_space(const void *p)
{
    /* SAFETY: pointer -> integer, only compared with the bounds. */
    uintptr_t a = (uintptr_t)p;

    return a >= USER_BASE && a < USER_TOP;
}

/* "argc=A envc=E" -> A, E; false if it is not that. */
static bool parse_expectation(const char *s, long *argc, long *envc)
{
    char *end;

    if (strncmp(s, "argc=", 5) != 0)
        return false;
    *argc = strtol(s + 5, &end, 10);
    if (end == s + 5 || (strncmp(end, " envc=", 6) != 0 && strncmp(end, ",envc=", 6) != 0))
        return false;
    s = end + 6;
    *envc = strtol(s, &end, 10);
    return end != s && *end == '\0';
}

static void check_argv(int argc, char **argv, long want_argc)
{
    char want[32], got[32];

    if (argc != want_argc) {
        snprintf(want, sizeof want, "%ld", want_argc);
        snprintf(got, sizeof got, "%d", argc);
        mismatch("argc", want, got);
    }
    if (!in_user_space(argv))
        mismatch("argv itself", "a user address", "one outside user space");
    if (argv[argc] != NULL)
        mismatch("argv[argc]", "NULL", "a pointer");
    for (int i = 2; i < argc; i++) {
        char what[32];

        snprintf(want, sizeof want, "%d:", i);
        snprintf(what, sizeof what, "argv[%d]", i);
        if (!in_user_space(argv[i]))
            mismatch(what, "a user address", "one outside user space");
        else if (strncmp(argv[i], want, strlen(want)) != 0)
            mismatch(what, want, argv[i]);
    }
}

static void check_envp(char **envp, long want_envc)
{
    char want[32], got[32];
    long envc = 0;

    for (; envp[envc] != NULL; envc++) {
        char what[32];

        snprintf(want, sizeof want, "T_ARGS_%ld=", envc);
        snprintf(what, sizeof what, "envp[%ld]", envc);
        if (!in_user_space(envp[envc]))
            mismatch(what, "a user address", "one outside user space");
        else if (strncmp(envp[envc], want, strlen(want)) != 0)
            mismatch(what, want, envp[envc]);
    }
    if (envc != want_envc) {
        snprintf(want, sizeof want, "%ld", want_envc);
        snprintf(got, sizeof got, "%ld", envc);
        mismatch("envc (strings in envp)", want, got);
    }
    if (environ != envp)
        mismatch("environ", "envp (main's third argument)", "another pointer");
}

static void check_auxv(void)
{
    unsigned long pagesz = getauxval(AT_PAGESZ);

    if (pagesz != 4096) {
        char got[32];

        snprintf(got, sizeof got, "%lu", pagesz);
        mismatch("auxv AT_PAGESZ", "4096", got);
    }
}

/* The bss: execve must hand it over zeroed, all of it -- the tail of
 * the page that .data ends in (which the file has other bytes for) as
 * well as the pages after it. 12 KiB spans both. */
static unsigned char zero_filled[12 * 1024];

static void check_bss(void)
{
    for (size_t i = 0; i < sizeof zero_filled; i++)
        if (zero_filled[i] != 0) {
            printf("# t_args: bss byte %zu (at %p) is 0x%02x, expected 0: execve must "
                   "zero the bss\n", i, (void *)&zero_filled[i], zero_filled[i]);
            mismatches++;
            return;
        }
}

int main(int argc, char **argv, char **envp)
{
    long want_argc, want_envc;

    if (argc < 2 || !parse_expectation(argv[1], &want_argc, &want_envc)) {
        printf("# t_args: usage: t_args \"argc=A envc=E\" [2:...] [3:...] ...\n");
        return 2;
    }
    check_argv(argc, argv, want_argc);
    check_envp(envp, want_envc);
    check_auxv();
    check_bss();
    return mismatches == 0 ? 0 : 1;
}
