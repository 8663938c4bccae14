/*
 * startinfo.h -- reading what execve() left on a new program's stack.
 *
 * Pure logic over an array of words, so that the host tests can run it
 * over a fake stack: on i386 a word is 32 bits, on the host 64, and the
 * code works for either (a word is a uintptr_t, as wide as a pointer).
 */
#ifndef USER_STARTINFO_H
#define USER_STARTINFO_H

#include <stdbool.h>
#include <stdint.h>

struct start_info {
    int argc;
    char **argv;            /* argv[argc] is NULL */
    char **envp;            /* ends with NULL */
    const uintptr_t *auxv;  /* (type, value) pairs ending with AT_NULL */
};

/* sp points at argc (docs/abi.md: the initial stack). */
void start_info_parse(const uintptr_t *sp, struct start_info *info);

/* The value of auxv entry `type`, or if_absent. */
uintptr_t auxv_value(const uintptr_t *auxv, uintptr_t type, uintptr_t if_absent);

/* True if one of envp's strings is exactly `entry` ("NAME=value"). */
bool env_contains(char *const envp[], const char *entry);

/* The system-call path: sysenter iff the kernel offers it
 * (AT_SYSENTER = 1) and the environment does not hold SYSCALL=int80. */
bool start_wants_sysenter(const struct start_info *info);

#endif
