/*
 * unistd.h -- the POSIX system calls of the user libc, and getopt().
 *
 * Each system-call function is one system call (lib/syscalls.c): it
 * returns what the kernel returned, or -1 with errno set when the kernel
 * returned -ENAME. Tidepool's own calls (threads, uptime, getdents,
 * procinfo, ...) are in tidepool.h.
 */
#ifndef USER_UNISTD_H
#define USER_UNISTD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <fcntl.h>      /* SEEK_SET, SEEK_CUR, SEEK_END */

#define STDIN_FILENO  0
#define STDOUT_FILENO 1
#define STDERR_FILENO 2

/* ---- files */
ssize_t read(int fd, void *buf, size_t n);
ssize_t write(int fd, const void *buf, size_t n);
int close(int fd);
int dup(int fd);
/* Makes newfd a copy of fd (closing newfd first if it was open). */
int dup2(int fd, int newfd);
/* fds[0] is the read end, fds[1] the write end. */
int pipe(int fds[2]);
/* The new offset, or -1 (ESPIPE on a pipe or the console). */
off_t lseek(int fd, off_t offset, int whence);
int ftruncate(int fd, off_t length);
int unlink(const char *path);
int rmdir(const char *path);
int chdir(const char *path);
/* The current directory's absolute path in buf (size bytes, the NUL
 * included): returns buf, or NULL with errno set (ERANGE: too small).
 * As in glibc, buf == NULL makes getcwd malloc a buffer of size bytes,
 * or of the path's length if size is 0; the caller frees it. */
char *getcwd(char *buf, size_t size);
/* 1 if fd is the console (a character device), else 0 with errno set
 * (ENOTTY, or EBADF for a descriptor that is not open). */
int isatty(int fd);

/* ---- processes */
pid_t fork(void);
/* Returns only on failure. argv and envp must be non-NULL arrays ending
 * in NULL (an empty environment is an array holding only NULL). */
int execve(const char *path, char *const argv[], char *const envp[]);
int execv(const char *path, char *const argv[]);    /* with environ */
pid_t getpid(void);
pid_t getppid(void);

/* ---- process groups and the console's foreground group. pid or pgid
 * 0 means the caller (setpgid(0, 0) puts the caller in a group of its
 * own). */
pid_t getpgid(pid_t pid);
int setpgid(pid_t pid, pid_t pgid);
pid_t getpgrp(void);                    /* getpgid(0) */
int tcsetpgrp(int fd, pid_t pgrp);
pid_t tcgetpgrp(int fd);

/* ---- time: at least this long, rounded up to whole timer ticks (the
 * kernel's timer_hz, 100 per second by default). sleep returns 0 (no
 * signal can wake it early); usleep returns 0 or -1 with errno set. */
unsigned sleep(unsigned seconds);
int usleep(useconds_t usec);

/* ---- memory */

/* Moves the program break by increment bytes and returns the old break,
 * or SBRK_FAILED with errno = ENOMEM. sbrk(0) tells where it is. */
void *sbrk(intptr_t increment);
/* SAFETY: integer -> pointer: -1 as an address is POSIX's "sbrk failed";
 * it is only ever compared with, never dereferenced. */
#define SBRK_FAILED ((void *)-1)

/* Ends the process at once: no atexit handlers, no stdio flush (exit()
 * in stdlib.h does both first). */
__attribute__((noreturn)) void _exit(int status);

/* The environment, "NAME=value" strings ending in NULL (set at start). */
extern char **environ;

/* ---- command-line options (lib/getopt.c), as POSIX describes getopt:
 * optstring lists the option letters, a letter followed by ':' takes an
 * argument ("ab:c"); a leading ':' makes a missing argument return ':'
 * and silences the messages. Options stop at the first non-option, at
 * "-" and after "--". Returns the letter, '?' for an unknown option (or
 * a missing argument without the leading ':'), -1 at the end. Errors are
 * printed on stderr as "prog: illegal option -- x" unless opterr is 0.
 * Set optind = 1 to start over (another argv), or 0 to abandon a
 * cluster ("-abc") midway as well. */
extern char *optarg;
extern int optind, opterr, optopt;
int getopt(int argc, char *const argv[], const char *optstring);

#endif
