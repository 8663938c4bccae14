/*
 * sys/wait.h -- waiting for child processes (the user libc).
 *
 * The status encoding (WIFEXITED, WEXITSTATUS, WIFSIGNALED, WTERMSIG) and
 * WNOHANG are the kernel's: kernel/abi/wait.h.
 */
#ifndef USER_SYS_WAIT_H
#define USER_SYS_WAIT_H

#include <sys/types.h>
#include <wait.h>       /* kernel/abi */

/* pid > 0: that child; pid == -1: any child. status may be NULL. */
pid_t waitpid(pid_t pid, int *status, int options);
pid_t wait(int *status);

#endif
