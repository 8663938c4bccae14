/*
 * tidepool.h (Linux) -- Tidepool's user API on top of Linux and glibc,
 * for `make bench-linux` (docs/bench.md, "Linux column").
 *
 * The benchmark program (userland/bin/bench.c) includes <tidepool.h>;
 * built for Linux, this header is found first (-Iuserland/linux), so the
 * row code is the same source on both systems. Only what the benchmark
 * uses is here; linux.c implements it. System-call numbers are Linux's
 * (<sys/syscall.h>), never Tidepool's kernel/abi ones.
 */
#ifndef USER_TIDEPOOL_LINUX_H
#define USER_TIDEPOOL_LINUX_H

#define _GNU_SOURCE
#include <stdbool.h>
#include <stddef.h>
#include <sys/auxv.h>      /* getauxval, AT_SYSINFO */
#include <sys/syscall.h>   /* SYS_getpid etc.: Linux's numbers */
#include <sys/types.h>
#include <unistd.h>

/* Tidepool's AT_SYSENTER says "the kernel takes sysenter". Linux i386
 * says the same by giving the vDSO's __kernel_vsyscall in AT_SYSINFO
 * (it uses sysenter on Intel CPUs and on QEMU's). */
#define AT_SYSENTER AT_SYSINFO

/* Threads: pthreads on the caller's stack (pthread_attr_setstack), as
 * Tidepool's thread_create uses the caller's; thread_join is
 * pthread_join. The tid returned is an index into linux.c's table. */
int thread_create(int (*fn)(void *arg), void *arg, void *stack_top);
int thread_join(int tid);
/* sched_yield(2). */
void yield(void);

/* Tidepool's libc returns this from a failed sbrk; glibc's is the same. */
#define SBRK_FAILED ((void *)-1)

/* The two doors, raw: int $0x80, and the vDSO's __kernel_vsyscall
 * (sysenter; what glibc's own system calls go through). Both return the
 * kernel's result as it is (negative errno), errno untouched. */
long syscall_int80(long nr, long a1, long a2, long a3, long a4, long a5);
long syscall_sysenter(long nr, long a1, long a2, long a3, long a4, long a5);

/* The libc's door, by name: on Linux always "linux" -- glibc's own
 * wrappers, which enter through the vDSO's __kernel_vsyscall (sysenter).
 * syscall_set_door accepts only "linux" (else -1, errno = EINVAL). */
const char *syscall_door(void);
int syscall_set_door(const char *name);

/* main: linux.c's, which runs the program's (renamed tidepool_main
 * by -Dmain=tidepool_main) as /init and then powers the machine off. */

#endif
