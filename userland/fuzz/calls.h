/*
 * calls.h -- the system calls the fuzzer makes, and how each argument
 * is drawn (pure: host-tested).
 *
 * Left out or defanged, because they would end or stall the run rather
 * than test the kernel (calls.c's defang() does the rewriting):
 *   exit, thread_exit    never made (they end the thread that fuzzes)
 *   fork                 the child _exits at once; the parent reaps it
 *   execve               only files that must not run (bad ELF files,
 *                        directories, absent names) and bad pointers
 *   kill                 a real signal only to pids that do not exist;
 *                        to any live process (init, the parent, itself,
 *                        its group) only signal 0 or an invalid number
 *   signal               SIGPIPE stays ignored (SIG_IGN forced for it)
 *   sleep                at most 1 tick (mostly 0)
 *   thread_create        entry never in user space (a thread started
 *                        there would run garbage and kill the worker)
 *   thread_join          never a sibling's tid (two joining each other
 *                        would wait forever): only self, 0, -1, huge
 *   waitpid              any pid; only the fuzzer's own short-lived
 *                        children exist to be waited for
 *   read, write          on a pipe, the console or a socket (fstat says
 *                        so just before): 0 bytes, which must not block;
 *                        the pipe_roundtrip pseudo-call moves real bytes
 *   futex (lab 5)        FUTEX_WAIT on memory that can change goes to
 *                        the thread's own word, which nothing writes, with
 *                        an expected value that differs (no one would wake
 *                        it); on text, the value there plus one
 *   sockets (lab 6)      SOCK_NONBLOCK and MSG_DONTWAIT forced, poll's
 *                        timeout 0; no connect, and sendto without a
 *                        destination (nothing leaves the machine)
 *   sizes                no larger than what is left of the scratch a
 *                        pointer of the call points into, where the
 *                        fuzzer's own memory lies above it (data, stack);
 *                        with heap pointers any size (above the break
 *                        nothing is mapped)
 * Everything else gets any argument.
 */
#ifndef FUZZ_CALLS_H
#define FUZZ_CALLS_H

#include <stdint.h>

#include "rng.h"
#include "values.h"

enum arg_kind {
    A_NONE, A_FD, A_PTR, A_SIZE, A_INT, A_PATH, A_PATH_READ, A_PATH_EXEC, A_STRVEC,
    A_OPEN_FLAGS, A_MODE, A_WHENCE, A_PID, A_SIG, A_TID, A_TICKS, A_ENTRY,
};

/* Pseudo-calls: numbers no system call has, made of several real ones. */
#define CALL_PIPE_ROUNDTRIP 1000    /* pipe, write n, read n, close both */
#define CALL_NOSYS          1001    /* a number no call has (drawn into call.nr) */

struct call_spec {
    int nr;
    const char *name;
    uint8_t args[5];            /* enum arg_kind */
    int8_t out_arg;             /* the pointer the kernel fills, or -1 */
    uint8_t zero_is_write;      /* a result of 0 (not only > 0) means it wrote there */
};

extern const struct call_spec call_table[];
extern const unsigned call_count;

/* A drawn call: its arguments and, for reports, how each was drawn. */
struct call {
    const struct call_spec *spec;
    uint32_t nr;                /* what goes into eax */
    uint32_t a[5];
    uint8_t ptr_kind[5];        /* enum ptr_kind for pointer arguments */
    char path[2][40];           /* the start of each path argument's name, for reports */
};

/* What defang() needs to know about the caller. */
struct caller {
    int32_t pid, ppid, tid;
};

/* Limits call_draw() to the calls named in list ("read,write,pipe");
 * NULL: all of them. Returns how many are left to draw from. */
int calls_only(const char *list);
/* Draws a call (its arguments; paths are written into g->path). */
void call_draw(struct rng *r, const struct regions *g, struct call *c);
/* Rewrites the arguments that would end or stall the run (the list
 * above); returns nonzero if it changed any. */
int defang(struct call *c, const struct caller *who);
/* Does a pid name no process for sure (huge or hugely negative)? */
int pid_is_absent(int32_t pid);

#endif
