/*
 * host_libc.h -- the libc's stdio.h, stdlib.h and string.h as a test sees
 * them: every name renamed (host_libc_names.h), and the system-call
 * doubles of fake_fd.c that the code under test talks to.
 *
 * Include after Criterion (and so after glibc's stdio.h): the few macros
 * glibc's stdio.h defines under names the libc's headers use again are
 * undefined first.
 */
#ifndef HOST_LIBC_H
#define HOST_LIBC_H

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#undef stdin
#undef stdout
#undef stderr
#undef BUFSIZ
#undef getc
#undef putc

#include "host_libc_names.h"

#include "../../include/stdio.h"
#include "../../include/stdlib.h"
#include "../../include/string.h"

/* getopt's state and the sleeps, as the libc's unistd.h and tidepool.h
 * declare them (the whole headers would clash with glibc's). */
extern char *optarg;
extern int optind, opterr, optopt;
int getopt(int argc, char *const argv[], const char *optstring);
unsigned sleep(unsigned seconds);
int usleep(unsigned usec);
int msleep(unsigned ms);
unsigned long ticks_per_second(void);

/* ---- the doubles (fake_fd.c) */

#define FAKE_FDS 8
#define FAKE_DATA (1 << 16)
#define FAKE_LOG 64

struct fake_file {
    bool open;
    bool tty;                   /* isatty() says 1 */
    bool pipe;                  /* lseek fails with ESPIPE */
    bool fail_writes;           /* write() fails with EIO */
    bool line_reads;            /* read() stops after a '\n', as the console's */
    size_t read_max;            /* read() returns at most this many bytes (0: no limit) */
    int oflags;                 /* open()'s flags */
    unsigned mode;              /* open()'s mode */
    unsigned char data[FAKE_DATA];
    size_t len, pos;
    int reads, writes;          /* calls so far */
    size_t write_len[FAKE_LOG]; /* the size of each write() */
};

extern struct fake_file fake_fd[FAKE_FDS];
extern int fake_errno;
/* Every read and write in order: 'r' or 'w' and the fd, e.g. "w1r0". */
extern char fake_trace[256];

/* Resets every fake file: 0, 1, 2 open and empty, the others closed. */
void fake_reset(void);
/* Gives fd contents to read (from the start). */
void fake_set_input(int fd, const char *text);
/* What was written to fd, as a NUL-terminated string. */
const char *fake_output(int fd);

/* The last fake_sleep_ticks() argument; what fake_getauxval() returns. */
extern unsigned fake_slept;
extern unsigned long fake_auxval;

/* fake__exit() jumps here with the status + 1 (setjmp's 0 is "not yet"). */
extern jmp_buf fake_exit_jump;

#endif
