/*
 * startinfo.c -- finding argv, envp and auxv on the initial stack.
 *
 * The layout, from sp up (docs/abi.md):
 *     argc, argv[0..argc-1], NULL, envp[0..], NULL, auxv pairs, AT_NULL 0
 * Everything here is a walk over those words; nothing is copied.
 */
#include "startinfo.h"

#include <stddef.h>
#include <string.h>

#include "auxv.h"      /* kernel/abi */

void start_info_parse(const uintptr_t *sp, struct start_info *info)
{
    info->argc = (int)sp[0];
    /* SAFETY: pointer -> pointer: the words after argc are the argv
     * pointers the kernel stored (docs/abi.md), so reading them as char *
     * reads what was written; the build uses -fno-strict-aliasing. */
    info->argv = (char **)(sp + 1);
    info->envp = info->argv + info->argc + 1;

    char **p = info->envp;
    while (*p != NULL)
        p++;
    /* SAFETY: pointer -> pointer: the auxv pairs follow envp's NULL as
     * words, which is how they are read. */
    info->auxv = (const uintptr_t *)(p + 1);
}

uintptr_t auxv_value(const uintptr_t *auxv, uintptr_t type, uintptr_t if_absent)
{
    for (; auxv[0] != AT_NULL; auxv += 2) {
        if (auxv[0] == type)
            return auxv[1];
    }
    return if_absent;
}

bool env_contains(char *const envp[], const char *entry)
{
    for (; *envp != NULL; envp++) {
        if (strcmp(*envp, entry) == 0)
            return true;
    }
    return false;
}

bool start_wants_sysenter(const struct start_info *info)
{
    return auxv_value(info->auxv, AT_SYSENTER, 0) == 1 &&
           !env_contains(info->envp, "SYSCALL=int80");
}
