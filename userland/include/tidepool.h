/*
 * tidepool.h -- Tidepool's own system calls and libc extras.
 *
 * Threads, time, the free-frame counter for leak tests, directory
 * entries (getdents), the process table (procinfo), the two raw
 * system-call entries (for tests that compare them), the auxiliary vector
 * and the shell's word splitter (words.h). docs/abi.md is the contract behind them.
 */
#ifndef USER_TIDEPOOL_H
#define USER_TIDEPOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include <auxv.h>       /* kernel/abi: AT_* */
#include <procinfo.h>   /* kernel/abi: struct procinfo */
#if LAB >= 5
#include <cpuinfo.h>    /* kernel/abi: struct cpus_info, cpu_info_format() */
#include <lockinfo.h>   /* kernel/abi: struct locks_info, lock_info_format() */
#endif
#include <syscall.h>    /* kernel/abi: SYS_*, USER_BASE, USER_TOP */

/* ---- threads (of this process: they share its memory and its files) */

/* Starts fn(arg) on a new thread whose stack ends at stack_top (memory
 * the caller owns, e.g. malloc'd, and keeps until the thread is joined;
 * the libc rounds stack_top down to 16 bytes and keeps the top 16 for
 * itself). When fn returns r, the thread ends as if by thread_exit(r).
 * Returns the new thread's tid, or -1 with errno set. */
int thread_create(int (*fn)(void *arg), void *arg, void *stack_top);
/* Waits for thread tid to end and returns its status (the value given
 * to thread_exit, or returned by fn), or -1 with errno set. Use
 * statuses >= 0: a negative one would read as an error. */
int thread_join(int tid);
/* Ends the calling thread; exit() ends the whole process instead. */
__attribute__((noreturn)) void thread_exit(int status);
int gettid(void);
/* Gives the CPU to another thread, if one is ready. */
void yield(void);

#if LAB >= 5
/* ---- futexes and CPUs (lib/futex.c; kernel/abi/futex.h is the contract)
 *
 * The futex calls return the kernel's result as it is -- 0 (or how many
 * were woken), or a negative errno -- and leave errno alone: errno is one
 * per process, and these are called by many threads at once. Build on
 * usync.h's mutex and condition variable rather than on these. */

/* Sleeps if *uaddr == expected, until futex_wake() on uaddr: 0.
 * -EAGAIN at once if *uaddr != expected; -EINVAL if uaddr is not 4-aligned;
 * -EFAULT if it is not mapped; -EINTR if the process is being killed. */
long futex_wait(const unsigned *uaddr, unsigned expected);
/* Wakes up to n (>= 0) threads sleeping on uaddr, longest waiting first:
 * how many it woke; -EINVAL (misaligned, n < 0), -EFAULT (uaddr outside
 * user space; the word itself is not read). */
long futex_wake(const unsigned *uaddr, int n);
/* The CPU running the caller now (*cpu, from 0; a snapshot: the thread
 * may run elsewhere next) and how many are online (*ncpus); either may
 * be NULL. 0, or -1 with errno set. */
int getcpu(unsigned *cpu, unsigned *ncpus);
#endif

/* ---- time and memory */

/* Timer ticks since boot (the kernel's timer_hz per second, 100 by
 * default), and sleeping for at least that many ticks. */
unsigned long uptime(void);
int sleep_ticks(unsigned ticks);
/* The timer's rate the libc assumes for sleep(), usleep() and msleep():
 * the kernel's default, 100, unless the auxiliary vector says otherwise. */
unsigned long ticks_per_second(void);
/* Sleeps for at least ms milliseconds (whole ticks, rounded up). */
int msleep(unsigned ms);
/* Free physical page frames: for tests that check for leaks. */
long freeframes(void);
/* The kernel's memory counters (kernel/abi/meminfo.h): free frames and
 * the kernel heap's bytes, blocks and pages, for leak checks. 0, or -1
 * with errno set. */
struct meminfo;
int meminfo(struct meminfo *m);

/* ---- directories and processes */

/* Fills buf (n bytes) with whole struct dirent records of directory fd
 * from its current position on, and returns how many bytes it filled:
 * 0 at the end, -1 with errno set on failure (EINVAL if n is smaller
 * than one record). opendir/readdir (dirent.h) are easier to use. */
struct dirent;
int getdents(int fd, struct dirent *buf, size_t n);
/* Copies up to max processes' descriptions into buf; returns how many. */
int procinfo(struct procinfo *buf, int max);
#if LAB >= 5
/* A snapshot of every CPU (what it runs, its counters) and of the
 * kernel's held locks, as /bin/cpus and /bin/locks print them with
 * cpu_info_format() and lock_info_format(): 0, or -1 with errno set
 * (EFAULT: buf is not writable user memory). */
int cpuinfo(struct cpus_info *buf);
int lockinfo(struct locks_info *buf);
#endif

/* ---- the system-call entries (lib/syscall_entry.S)
 *
 * Each returns the kernel's result as it is: negative errno on failure,
 * errno untouched. syscall_raw() takes the path chosen once at start:
 * sysenter if the kernel offers it (AT_SYSENTER = 1) and the environment
 * does not hold SYSCALL=int80, else int $0x80. The other two force one
 * path; call syscall_sysenter() only when getauxval(AT_SYSENTER) is 1. */
long syscall_raw(long nr, long a1, long a2, long a3, long a4, long a5);
long syscall_int80(long nr, long a1, long a2, long a3, long a4, long a5);
long syscall_sysenter(long nr, long a1, long a2, long a3, long a4, long a5);
bool syscall_uses_sysenter(void);
#ifdef UNIKERNEL
/* A unikernel build's only way in (docs/unikernel.md): a plain call of
 * the kernel's handler from ring 0; syscall_raw() takes it. int $0x80
 * and sysenter make no sense from ring 0 and are not offered. */
long syscall_direct(long nr, long a1, long a2, long a3, long a4, long a5);
#endif

/* The door syscall_raw() takes, by name: "int80" or "sysenter" (a
 * unikernel build's libc says "direct": a plain call of the kernel's
 * handler). syscall_set_door() makes syscall_raw() and every libc
 * wrapper (which share the door: lib/libc.h) take it from now on: 0, or -1 with errno =
 * EINVAL (no such door) or ENOSYS (this kernel does not offer it). A
 * forked child inherits the door; an exec'd program chooses afresh. */
const char *syscall_door(void);
int syscall_set_door(const char *name);

/* The value of entry `type` of the auxiliary vector, or 0 if absent. */
unsigned long getauxval(unsigned long type);

/* ---- the shell's line splitter: split_words() */
#include "words.h"

#endif
