/*
 * syscall.h -- the system-call table and its dispatcher.
 *
 * Both doors (int $0x80 and sysenter, arch/i386/syscall_arch.c) end in
 * the same table: eax picks the handler, ebx ecx edx esi edi are its
 * arguments, and its result goes back in eax -- through syscall_run()
 * (int $0x80, and sysenter's full path), or, on sysenter's fast path,
 * called from arch/i386/sysenter.S directly. A handler never
 * dereferences a user pointer: it passes it to copyin/copyout
 * (mm/usercopy.h), which return -EFAULT for a bad one.
 */
#ifndef PROC_SYSCALL_H
#define PROC_SYSCALL_H

#if LAB >= 4
#include "arch/i386/trapframe.h"
#include "abi/syscall.h"
#include <stdbool.h>
#include <stdint.h>

typedef int32_t (*syscall_fn)(uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4, uint32_t a5);

/* The handlers, by number (NULL: none, the call is -ENOSYS). sysenter's
 * fast path (arch/i386/sysenter.S) calls them from here too. */
extern const syscall_fn syscall_table[SYS_MAX];
/* Does system call nr's handler use the caller's trap frame
 * (current_thread->tf)? Then sysenter takes its full path for it. */
bool syscall_needs_trapframe(uint32_t nr);

void syscall_dispatch(struct trapframe *tf);
/* sysenter's full path in C: read the return address from the user's
 * stack, then as syscall_dispatch. */
void syscall_sysenter(struct trapframe *tf);
/* How many system calls each door has taken (tests, ps). */
extern uint32_t syscalls_by_int80, syscalls_by_sysenter;

/* The handlers: sys_proc.c (processes, threads, memory, time) and
 * fs/sys_file.c (files). Arguments as the user passed them. */
int32_t sys_exit(uint32_t status, uint32_t, uint32_t, uint32_t, uint32_t);
int32_t sys_fork(uint32_t, uint32_t, uint32_t, uint32_t, uint32_t);
int32_t sys_execve(uint32_t path, uint32_t argv, uint32_t envp, uint32_t, uint32_t);
int32_t sys_waitpid(uint32_t pid, uint32_t status, uint32_t options, uint32_t, uint32_t);
int32_t sys_getpid(uint32_t, uint32_t, uint32_t, uint32_t, uint32_t);
int32_t sys_getppid(uint32_t, uint32_t, uint32_t, uint32_t, uint32_t);
int32_t sys_gettid(uint32_t, uint32_t, uint32_t, uint32_t, uint32_t);
int32_t sys_kill(uint32_t pid, uint32_t sig, uint32_t, uint32_t, uint32_t);
int32_t sys_yield(uint32_t, uint32_t, uint32_t, uint32_t, uint32_t);
int32_t sys_sleep(uint32_t ticks, uint32_t, uint32_t, uint32_t, uint32_t);
int32_t sys_uptime(uint32_t, uint32_t, uint32_t, uint32_t, uint32_t);
int32_t sys_sbrk(uint32_t increment, uint32_t, uint32_t, uint32_t, uint32_t);
int32_t sys_thread_create(uint32_t entry, uint32_t arg, uint32_t stack, uint32_t, uint32_t);
int32_t sys_thread_join(uint32_t tid, uint32_t, uint32_t, uint32_t, uint32_t);
int32_t sys_thread_exit(uint32_t status, uint32_t, uint32_t, uint32_t, uint32_t);
int32_t sys_freeframes(uint32_t, uint32_t, uint32_t, uint32_t, uint32_t);
int32_t sys_open(uint32_t path, uint32_t flags, uint32_t, uint32_t, uint32_t);
int32_t sys_read(uint32_t fd, uint32_t buf, uint32_t n, uint32_t, uint32_t);
int32_t sys_write(uint32_t fd, uint32_t buf, uint32_t n, uint32_t, uint32_t);
int32_t sys_close(uint32_t fd, uint32_t, uint32_t, uint32_t, uint32_t);
int32_t sys_fstat(uint32_t fd, uint32_t st, uint32_t, uint32_t, uint32_t);
int32_t sys_stat(uint32_t path, uint32_t st, uint32_t, uint32_t, uint32_t);
int32_t sys_dup(uint32_t fd, uint32_t, uint32_t, uint32_t, uint32_t);
int32_t sys_signal(uint32_t sig, uint32_t disposition, uint32_t, uint32_t, uint32_t);
int32_t sys_setpgid(uint32_t pid, uint32_t pgid, uint32_t, uint32_t, uint32_t);
int32_t sys_getpgid(uint32_t pid, uint32_t, uint32_t, uint32_t, uint32_t);
int32_t sys_tcsetpgrp(uint32_t fd, uint32_t pgid, uint32_t, uint32_t, uint32_t);
int32_t sys_tcgetpgrp(uint32_t fd, uint32_t, uint32_t, uint32_t, uint32_t);
int32_t sys_procinfo(uint32_t buf, uint32_t max, uint32_t, uint32_t, uint32_t);
int32_t sys_meminfo(uint32_t buf, uint32_t size, uint32_t, uint32_t, uint32_t);
#if LAB >= 6
int32_t sys_pcilist(uint32_t buf, uint32_t max, uint32_t, uint32_t, uint32_t);
#endif
int32_t sys_dup2(uint32_t fd, uint32_t newfd, uint32_t, uint32_t, uint32_t);
int32_t sys_lseek(uint32_t fd, uint32_t offset, uint32_t whence, uint32_t, uint32_t);
int32_t sys_pipe(uint32_t fds, uint32_t, uint32_t, uint32_t, uint32_t);
int32_t sys_unlink(uint32_t path, uint32_t, uint32_t, uint32_t, uint32_t);
int32_t sys_mkdir(uint32_t path, uint32_t mode, uint32_t, uint32_t, uint32_t);
int32_t sys_rmdir(uint32_t path, uint32_t, uint32_t, uint32_t, uint32_t);
int32_t sys_rename(uint32_t from, uint32_t to, uint32_t, uint32_t, uint32_t);
int32_t sys_chdir(uint32_t path, uint32_t, uint32_t, uint32_t, uint32_t);
int32_t sys_getcwd(uint32_t buf, uint32_t n, uint32_t, uint32_t, uint32_t);
int32_t sys_getdents(uint32_t fd, uint32_t buf, uint32_t n, uint32_t, uint32_t);
int32_t sys_ftruncate(uint32_t fd, uint32_t length, uint32_t, uint32_t, uint32_t);
#if LAB >= 5
/* sync/futex.c and sys_proc.c */
int32_t sys_futex(uint32_t uaddr, uint32_t op, uint32_t val, uint32_t, uint32_t);
int32_t sys_getcpu(uint32_t cpu, uint32_t ncpus, uint32_t, uint32_t, uint32_t);
/* arch/i386/cpuinfo.c and sync/sys_locks.c: for /bin/cpus and /bin/locks */
int32_t sys_cpuinfo(uint32_t buf, uint32_t size, uint32_t, uint32_t, uint32_t);
int32_t sys_lockinfo(uint32_t buf, uint32_t size, uint32_t, uint32_t, uint32_t);
#endif
#if LAB >= 6
/* net/sys_socket.c, net/sys_netstat.c, fs/poll.c */
int32_t sys_socket(uint32_t domain, uint32_t type, uint32_t proto, uint32_t, uint32_t);
int32_t sys_bind(uint32_t fd, uint32_t addr, uint32_t len, uint32_t, uint32_t);
int32_t sys_connect(uint32_t fd, uint32_t addr, uint32_t len, uint32_t, uint32_t);
int32_t sys_listen(uint32_t fd, uint32_t backlog, uint32_t, uint32_t, uint32_t);
int32_t sys_accept4(uint32_t fd, uint32_t addr, uint32_t lenp, uint32_t flags, uint32_t);
int32_t sys_getsockname(uint32_t fd, uint32_t addr, uint32_t lenp, uint32_t, uint32_t);
int32_t sys_getpeername(uint32_t fd, uint32_t addr, uint32_t lenp, uint32_t, uint32_t);
int32_t sys_sendto(uint32_t fd, uint32_t buf, uint32_t n, uint32_t flags, uint32_t addrarg);
int32_t sys_recvfrom(uint32_t fd, uint32_t buf, uint32_t n, uint32_t flags, uint32_t addrarg);
int32_t sys_shutdown(uint32_t fd, uint32_t how, uint32_t, uint32_t, uint32_t);
int32_t sys_setsockopt(uint32_t fd, uint32_t level, uint32_t name, uint32_t val, uint32_t len);
int32_t sys_getsockopt(uint32_t fd, uint32_t level, uint32_t name, uint32_t val, uint32_t lenp);
int32_t sys_poll(uint32_t fds, uint32_t nfds, uint32_t timeout_ms, uint32_t, uint32_t);
int32_t sys_netstat(uint32_t buf, uint32_t size, uint32_t, uint32_t, uint32_t);
#endif
#endif /* LAB >= 4 */

#endif
