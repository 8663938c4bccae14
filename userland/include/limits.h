/*
 * limits.h -- integer ranges: libk's (GCC's own limits.h does not stand
 * alone under -nostdinc). See assert.h for why it is included by path.
 * Then the system's limits, which are the kernel's (kernel/abi/rlimit.h
 * and dirent.h): fixed at build time, the same for every process.
 */
#ifndef USER_LIMITS_H
#define USER_LIMITS_H

#include "../../libk/include/limits.h"

#include <rlimit.h>                     /* kernel/abi: TP_* */
/* By path: <dirent.h> is the libc's own (userland/include/dirent.h). */
#include "../../kernel/abi/dirent.h"    /* NAME_MAX */

#define PATH_MAX  TP_PATH_MAX   /* bytes of a path, the NUL included */
#define OPEN_MAX  TP_OPEN_MAX   /* descriptors per process */
#define CHILD_MAX TP_PROC_MAX   /* processes (all of them, not per user) */
#define PIPE_BUF  TP_PIPE_BUF   /* pipe writes this size or less are atomic */

#endif
