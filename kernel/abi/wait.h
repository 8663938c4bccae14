/*
 * wait.h -- the status waitpid() reports (the traditional encoding).
 *
 * A process that called exit(n) has status (n & 0xff) << 8; one the kernel
 * killed has the "signal" number in the low 7 bits. Tidepool has no
 * signal handlers: a fault or kill() ends the process with one of these.
 */
#ifndef ABI_WAIT_H
#define ABI_WAIT_H

#define WNOHANG 1

#define W_EXITCODE(code) (((code) & 0xff) << 8)
#define W_KILLED(sig)    ((sig) & 0x7f)

#define WIFEXITED(s)   (((s) & 0x7f) == 0)
#define WEXITSTATUS(s) (((s) >> 8) & 0xff)
#define WIFSIGNALED(s) (((s) & 0x7f) != 0)
#define WTERMSIG(s)    ((s) & 0x7f)

/* Why the kernel ended a process (Linux's signal numbers). A process can
 * ignore SIGINT and SIGPIPE (signal(sig, SIG_IGN)); every other one ends
 * it. There are no handlers. */
#define SIGINT   2      /* Ctrl-C on the console, to the foreground group */
#define SIGILL   4      /* an invalid or privileged instruction */
#define SIGFPE   8      /* divide error */
#define SIGKILL  9      /* kill() */
#define SIGSEGV 11      /* a page fault or a protection fault */
#define SIGPIPE 13      /* write() to a pipe nobody reads any more */
#define SIGTERM 15      /* kill's default */

#define SIG_DFL 0       /* signal()'s dispositions */
#define SIG_IGN 1

#endif
