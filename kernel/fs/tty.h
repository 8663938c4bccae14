/*
 * tty.h -- the console as a file: what read() and write() on fds 0, 1, 2
 * do. Input goes through a line discipline (fs/ldisc.h: echo, erase,
 * Ctrl-U, Ctrl-D, Ctrl-C), so a program reads whole lines; output goes
 * to the screen and the serial port. Ctrl-C interrupts the console's
 * foreground process group.
 */
#ifndef FS_TTY_H
#define FS_TTY_H

#if LAB >= 4
#include <stdbool.h>
#include <stddef.h>

/* Up to n bytes of the next input line into the kernel buffer buf (the
 * line's end included when it fits; the rest of a longer line on the
 * next call); 0 at the end of input (Ctrl-D on an empty line); -EINTR if
 * the caller is killed meanwhile. */
int tty_read(char *buf, size_t n);
/* Write n bytes to the console; returns n. */
int tty_write(const char *buf, size_t n);
/* Cooked (user programs run: the line discipline takes typed bytes from
 * the interrupt on) or raw (the kernel monitor reads console.c's ring). */
void tty_set_cooked(bool on);
/* From console_input(), interrupts off: bytes arrived in the ring. */
void tty_input_arrived(void);
/* Is fd of the calling process the console? 0, -EBADF or -ENOTTY. */
int tty_check_fd(int fd);
/* The foreground group: 0, -EINVAL (pgid <= 0), -EPERM (no such group). */
int tty_setpgrp(int pgid);
int tty_getpgrp(void);
#endif /* LAB >= 4 */

#endif
