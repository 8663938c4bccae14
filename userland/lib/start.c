/*
 * start.c -- from _start to main().
 *
 * crt0.S passes the initial stack pointer. Here the libc learns its
 * arguments, environment and auxiliary vector (startinfo.c), takes the
 * system-call path once, runs main(argc, argv, envp), and exits with
 * what main returns -- as C's startup does.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <tidepool.h>
#include <unistd.h>

#include "libc.h"
#include "startinfo.h"

char **environ;

/* An empty vector, until start sets the real one. */
static const uintptr_t no_auxv[2] = {AT_NULL, 0};
static const uintptr_t *auxv = no_auxv;

int main(int argc, char **argv, char **envp);

void auxv_remember(const uintptr_t *vector)
{
    auxv = vector;
}

unsigned long getauxval(unsigned long type)
{
    return auxv_value(auxv, type, 0);
}

/* Called by crt0.S with sp pointing at argc; never returns. */
__attribute__((noreturn, used)) void libc_start(const uintptr_t *sp);

void libc_start(const uintptr_t *sp)
{
    struct start_info info;

    start_info_parse(sp, &info);
    environ = info.envp;
    auxv_remember(info.auxv);
    syscall_choose_path(start_wants_sysenter(&info));
    exit(main(info.argc, info.argv, info.envp));
}
