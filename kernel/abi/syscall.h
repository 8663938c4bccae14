/*
 * syscall.h -- system-call numbers (the ABI; see docs/abi.md).
 *
 * eax = number; ebx, ecx, edx, esi, edi = arguments; the result comes
 * back in eax, a negative errno on failure. `int $0x80` and `sysenter`
 * reach the same table.
 */
#ifndef ABI_SYSCALL_H
#define ABI_SYSCALL_H

#define SYS_exit          1     /* (int status) */
#define SYS_fork          2     /* () -> child pid / 0 */
#define SYS_read          3     /* (int fd, void *buf, size_t n) */
#define SYS_write         4     /* (int fd, const void *buf, size_t n) */
#define SYS_open          5     /* (const char *path, int flags, int mode) */
#define SYS_close         6     /* (int fd) */
#define SYS_waitpid       7     /* (int pid, int *status, int options) */
#define SYS_unlink       10     /* (const char *path) */
#define SYS_execve       11     /* (const char *path, char *const argv[], char *const envp[]) */
#define SYS_chdir        12     /* (const char *path) */
#define SYS_lseek        19     /* (int fd, int offset, int whence) -> new offset */
#define SYS_getpid       20     /* () */
#define SYS_kill         37     /* (int pid, int sig); pid < 0: the group -pid */
#define SYS_rename       38     /* (const char *from, const char *to) */
#define SYS_mkdir        39     /* (const char *path, int mode) */
#define SYS_rmdir        40     /* (const char *path) */
#define SYS_dup          41     /* (int fd) */
#define SYS_pipe         42     /* (int fds[2]): fds[0] reads, fds[1] writes */
#define SYS_sbrk         45     /* (int increment) -> old break */
#define SYS_signal       48     /* (int sig, int disposition: SIG_DFL or SIG_IGN) -> old one */
#define SYS_setpgid      57     /* (int pid, int pgid): 0 means the caller / its pid */
#define SYS_dup2         63     /* (int fd, int newfd) */
#define SYS_getppid      64     /* () */
#define SYS_ftruncate    93     /* (int fd, unsigned length) */
#define SYS_stat        106     /* (const char *path, struct stat *st) */
#define SYS_fstat       108     /* (int fd, struct stat *st) */
#define SYS_getpgid     132     /* (int pid) */
#define SYS_getdents    141     /* (int fd, struct dirent *buf, size_t n) -> bytes (whole records) */
#define SYS_yield       158     /* () */
#define SYS_sleep       162     /* (unsigned ticks) */
#define SYS_getcwd      183     /* (char *buf, size_t n) -> length with the NUL */
#define SYS_uptime      200     /* () -> timer ticks since boot */
#define SYS_thread_create 201   /* (void (*entry)(void *), void *arg, void *stack_top) -> tid */
#define SYS_thread_join 202     /* (int tid) -> status */
#define SYS_thread_exit 203     /* (int status) */
#define SYS_gettid      224     /* () */
#define SYS_tcsetpgrp   225     /* (int fd, int pgid): the console's foreground group */
#define SYS_tcgetpgrp   226     /* (int fd) -> the console's foreground group */
#define SYS_freeframes  230     /* () -> free physical frames (for tests: leaks) */
#define SYS_procinfo    231     /* (struct procinfo *buf, int max) -> how many filled (ps) */
#define SYS_meminfo     233     /* (struct meminfo *buf, size_t size): meminfo.h (leak checks) */
#if LAB >= 5
#define SYS_getcpu      232     /* (unsigned *cpu, unsigned *ncpus): the CPU running the caller, CPUs online */
#define SYS_cpuinfo     234     /* (struct cpus_info *buf, size_t size): cpuinfo.h (/bin/cpus) */
#define SYS_lockinfo    235     /* (struct locks_info *buf, size_t size): lockinfo.h (/bin/locks) */
#define SYS_futex       240     /* (uint32_t *uaddr, int op, uint32_t val): FUTEX_* of futex.h */
#endif
#if LAB >= 6
/* Sockets (socket.h) and poll (poll.h): Linux i386's numbers. */
#define SYS_poll        168     /* (struct pollfd *fds, nfds_t n, int timeout_ms) -> ready count */
#define SYS_netstat     236     /* (struct netstat_info *buf, size_t size): netstat.h */
#define SYS_socket      359     /* (int domain, int type, int protocol) */
#define SYS_bind        361     /* (int fd, const struct sockaddr *a, socklen_t len) */
#define SYS_connect     362     /* (int fd, const struct sockaddr *a, socklen_t len) */
#define SYS_listen      363     /* (int fd, int backlog) */
#define SYS_accept4     364     /* (int fd, struct sockaddr *a, socklen_t *len, int flags) */
#define SYS_getsockopt  365     /* (int fd, int level, int name, void *val, socklen_t *len) */
#define SYS_setsockopt  366     /* (int fd, int level, int name, const void *val, socklen_t len) */
#define SYS_getsockname 367     /* (int fd, struct sockaddr *a, socklen_t *len) */
#define SYS_getpeername 368     /* (int fd, struct sockaddr *a, socklen_t *len) */
#define SYS_sendto      369     /* (int fd, buf, n, flags, const struct sockaddr *to, socklen_t) -- a5: struct sock_addrarg *, socket.h */
#define SYS_recvfrom    371     /* (int fd, buf, n, flags, struct sockaddr *from, socklen_t *) -- a5: struct sock_addrarg *, socket.h */
#define SYS_shutdown    373     /* (int fd, int how) */
#define SYS_pcilist     239     /* (struct pci_info *buf, int max) -> how many filled (lspci) */
#endif

/* Where user space is: programs are linked at USER_TEXT, the first
 * thread's stack ends at USER_STACK_TOP, and nothing of user space lies
 * outside [USER_BASE, USER_TOP). */
#define USER_BASE       0x40000000u
#define USER_TEXT       0x40000000u
#define USER_TOP        0xFFFFF000u
#define USER_STACK_TOP  USER_TOP

#if LAB >= 6
#define SYS_MAX         384     /* numbers are below this (Linux's socket calls are 359..373) */
#else
#define SYS_MAX         256     /* numbers are below this */
#endif

#endif
