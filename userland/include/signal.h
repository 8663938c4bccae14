/*
 * signal.h -- kill() (the user libc).
 *
 * Tidepool has no signal handlers: a "signal" is only the reason the
 * kernel gives for ending a process (SIGSEGV, SIGFPE, SIGILL, SIGKILL:
 * kernel/abi/wait.h), and kill(pid, sig) ends a process with it.
 */
#ifndef USER_SIGNAL_H
#define USER_SIGNAL_H

#include <sys/types.h>
#include <wait.h>       /* kernel/abi: the SIG* numbers */

int kill(pid_t pid, int sig);

#endif
