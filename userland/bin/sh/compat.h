/*
 * compat.h -- TEMPORARY: the POSIX calls sh needs that the libc does
 * not have yet (u12-libc adds them). compat.c defines them as weak
 * symbols, so the libc's own definitions win as soon as they exist;
 * this file and compat.c go away when the libc branch is merged.
 */
#ifndef SH_COMPAT_H
#define SH_COMPAT_H

#include <stddef.h>
#include <sys/types.h>

int pipe(int fds[2]);
int dup2(int fd, int newfd);
int chdir(const char *path);
char *getcwd(char *buf, size_t size);
int setpgid(pid_t pid, pid_t pgid);
int tcsetpgrp(int fd, pid_t pgid);
pid_t tcgetpgrp(int fd);
int isatty(int fd);
/* SYS_signal as the kernel has it: disposition SIG_DFL or SIG_IGN. */
int sh_set_signal(int sig, int disposition);

#endif
