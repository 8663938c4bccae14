/*
 * unistd.h -- the POSIX system calls of the user libc.
 *
 * Each function is one system call (lib/syscalls.c): it returns what the
 * kernel returned, or -1 with errno set when the kernel returned -ENAME.
 * Tidepool's own calls (threads, uptime, ...) are in tidepool.h.
 */
#ifndef USER_UNISTD_H
#define USER_UNISTD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define STDIN_FILENO  0
#define STDOUT_FILENO 1
#define STDERR_FILENO 2

ssize_t read(int fd, void *buf, size_t n);
ssize_t write(int fd, const void *buf, size_t n);
int close(int fd);
int dup(int fd);

pid_t fork(void);
/* Returns only on failure. argv and envp must be non-NULL arrays ending
 * in NULL (an empty environment is an array holding only NULL). */
int execve(const char *path, char *const argv[], char *const envp[]);
int execv(const char *path, char *const argv[]);    /* with environ */
pid_t getpid(void);
pid_t getppid(void);

/* Moves the program break by increment bytes and returns the old break,
 * or SBRK_FAILED with errno = ENOMEM. sbrk(0) tells where it is. */
void *sbrk(intptr_t increment);
/* SAFETY: integer -> pointer: -1 as an address is POSIX's "sbrk failed";
 * it is only ever compared with, never dereferenced. */
#define SBRK_FAILED ((void *)-1)

/* Ends the process at once (exit() is the same: no atexit, no buffers). */
__attribute__((noreturn)) void _exit(int status);

/* The environment, "NAME=value" strings ending in NULL (set at start). */
extern char **environ;

#endif
