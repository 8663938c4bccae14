/*
 * tidepool.h (Linux) -- Tidepool's user API on top of Linux and glibc,
 * for `make bench-linux` (docs/bench.md, "Linux column").
 *
 * The benchmark program (userland/bin/bench.c) includes <tidepool.h>;
 * built for Linux, this header is found first (-Iuserland/linux), so the
 * row code is the same source on both systems. Only what the benchmark
 * uses is here; linux.c implements it. Everything else bench.c calls
 * (getpid, fork, pipe, open, sbrk, ...) is glibc's own.
 */
#ifndef USER_TIDEPOOL_LINUX_H
#define USER_TIDEPOOL_LINUX_H

#include <stdbool.h>     /* Tidepool's tidepool.h gives these three too */
#include <stddef.h>
#include <sys/types.h>

/* Threads: clone(2) on the caller's stack, as Tidepool's thread_create
 * uses the caller's; thread_join waits on a futex for the thread's end
 * and returns fn's result. The tid returned is an index into linux.c's
 * table, not the kernel's tid. */
int thread_create(int (*fn)(void *arg), void *arg, void *stack_top);
int thread_join(int tid);
/* sched_yield(2). */
void yield(void);

/* The libc's door, by name: on Linux always "linux" -- glibc's own
 * wrappers, which enter through the vDSO's __kernel_vsyscall (sysenter).
 * syscall_set_door accepts only "linux" (else -1, errno = EINVAL). */
const char *syscall_door(void);
int syscall_set_door(const char *name);

/* main: linux.c's, which runs the program's (renamed tidepool_main
 * by -Dmain=tidepool_main) as /init and then powers the machine off. */

#endif
