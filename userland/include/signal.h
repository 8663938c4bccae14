/*
 * signal.h -- kill() and signal() (the user libc).
 *
 * Tidepool has no signal handlers: a "signal" is the reason the kernel
 * gives for ending a process (kernel/abi/wait.h: SIGINT, SIGSEGV, ...),
 * and kill(pid, sig) ends a process with it (pid < 0: the group -pid).
 * signal() chooses between only the two dispositions the kernel knows:
 * SIG_DFL (the signal ends the process) and SIG_IGN (SIGINT and SIGPIPE
 * can be ignored). Any other handler gives SIG_ERR with errno = EINVAL.
 */
#ifndef USER_SIGNAL_H
#define USER_SIGNAL_H

#include <sys/types.h>
#include <wait.h>       /* kernel/abi: the SIG* numbers, SIG_DFL, SIG_IGN */

typedef void (*sighandler_t)(int sig);

/* The kernel's dispositions are the ints SIG_DFL (0) and SIG_IGN (1);
 * C's are handler pointers. Keep the ints under other names, then make
 * SIG_DFL and SIG_IGN the pointers that stand for them. */
enum { SIG_DISPOSITION_DFL = SIG_DFL, SIG_DISPOSITION_IGN = SIG_IGN };
#undef SIG_DFL
#undef SIG_IGN
/* SAFETY: integer -> pointer: these "handlers" are markers, compared
 * with and turned back into the kernel's ints, never called; (void *)0
 * and (void *)1 are below USER_BASE, where no function can be. */
#define SIG_DFL ((sighandler_t)SIG_DISPOSITION_DFL)
#define SIG_IGN ((sighandler_t)SIG_DISPOSITION_IGN)
/* SAFETY: integer -> pointer: signal()'s failure value, never called. */
#define SIG_ERR ((sighandler_t)-1)

int kill(pid_t pid, int sig);
/* Sets sig's disposition (SIG_DFL or SIG_IGN) and returns the old one,
 * or SIG_ERR with errno set (EINVAL: a real handler, or a signal that
 * cannot be ignored). */
sighandler_t signal(int sig, sighandler_t handler);

#endif
