/*
 * tty.h -- the console as a file: what read() and write() on fds 0, 1, 2
 * do. Input goes through a line discipline (echo, erase), so a program
 * reads whole lines; output goes to the screen and the serial port.
 */
#ifndef FS_TTY_H
#define FS_TTY_H

#if LAB >= 4
#include <stddef.h>

/* Up to n bytes of the next input line into the kernel buffer buf (the
 * line's end included when it fits); 0 at the end of input (Ctrl-D on an
 * empty line); -EINTR if the caller is killed meanwhile. */
int tty_read(char *buf, size_t n);
/* Write n bytes to the console; returns n. */
int tty_write(const char *buf, size_t n);
#endif /* LAB >= 4 */

#endif
