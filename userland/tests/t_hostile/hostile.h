/*
 * hostile.h -- the adversarial suite's case table (t_hostile.c runs it).
 *
 * A case is one hostile thing a program does, and the one outcome the
 * kernel must give it:
 *   RETURNS v    the call returns exactly v (a negative errno, or the
 *                success value), and the process goes on
 *   KILLED_BY s  the process is ended as if by signal s (kernel/abi/wait.h)
 *                -- a fault ends that process alone, never the kernel
 *   EXITS c      the process exits with status c (threads, exec)
 * Every case runs in a child process of its own (t_hostile.c), so a case
 * that kills its process, or a kernel that wrongly does, loses only it.
 *
 * Each group of cases lives in a file of its own (the groups in
 * docs/userland.md): ptr (bad pointers), fd (bad descriptors), size
 * (sizes 0, -1, 2^31, and system-call numbers), exec (bad programs and
 * arguments), path (deep trees, a removed working directory), proc
 * (kill, limits, threads), cpu (int N, far calls,
 * segments, flags, privileged instructions, kernel addresses).
 */
#ifndef HOSTILE_H
#define HOSTILE_H

#include <stdbool.h>
#include <stdint.h>

enum expect { RETURNS, KILLED_BY, EXITS };

struct hcase {
    const char *name;           /* GROUP.CALL.WHAT: the KTAP case name */
    enum expect expect;
    long want;                  /* the value, signal or exit status */
    long (*run)(long arg);      /* does it; RETURNS: what the call returned */
    long arg;                   /* which variant (a kind of pointer, of fd, ...) */
};

struct hgroup {
    const struct hcase *cases;
    int count;
};

#define HGROUP(table) { table, (int)(sizeof table / sizeof table[0]) }

extern const struct hgroup ptr_cases, fd_cases, size_cases, exec_cases, path_cases, proc_cases,
    cpu_cases;

/* Set up once by t_hostile.c before the first case; children inherit. */
extern uintptr_t heap_end;      /* a page-aligned break, nothing mapped at it */
extern int file_fd;             /* /bin/hello, O_RDONLY */
extern int dir_fd;              /* "/", O_RDONLY */
extern int watchdog_tid;        /* a thread of t_hostile's own process (not the case's) */

/* A raw system call (no libc in between): the kernel's result as it is. */
long sys3(long nr, long a1, long a2, long a3);
/* A pointer as a system-call argument, and an address as a pointer. */
long word(const void *p);
void *at(uintptr_t address);
/* For cases that must not come back: say so and exit with this status
 * (t_hostile.c reports "survived"). */
#define SURVIVED 99
__attribute__((noreturn)) void survived(const char *what);

/* Addresses no user pointer may reach. */
#define KERNEL_ADDR   0x00100000u   /* the kernel's image, below USER_BASE */
#define UNMAPPED_ADDR 0x90000000u   /* user space, but nothing there */
#define PAGE_SIZE     4096u

#endif
