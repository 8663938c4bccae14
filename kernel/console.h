/* console.h -- the human console: COM1 and the VGA screen, plus a log. */
#ifndef CONSOLE_H
#define CONSOLE_H

#include <stdarg.h>
#include <stddef.h>

void console_init(void);
void console_putc(char c);
void console_write(const char *s, size_t len);
int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int kvprintf(const char *fmt, va_list ap);
/* The next byte typed on the serial console, or -1 (polled until lab 2). */
int console_getc_nowait(void);
#if LAB >= 2
/* From interrupt handlers (serial, keyboard): one typed character. Dropped
 * and counted when the buffer is full; unread input is never overwritten. */
void console_input(char c);
/* Wait (halted) for the next typed character. */
char console_getc(void);
extern unsigned console_input_dropped;
#endif
#if LAB >= 4
/* Sleep on a wait queue until a character is typed; -1 if the calling
 * thread's process is being killed meanwhile. Threads must be on. */
int console_getc_blocking(void);
/* For panic(): print from now on without the console's lock, which
 * another CPU (or this one, mid-message) may hold forever. */
void console_break_lock(void);
#endif

/* Everything ever printed, last KMSG_SIZE bytes of it: GDB's `kmsg`
 * command reads this after a crash, when the screen is gone. */
#define KMSG_SIZE 16384
extern char kmsg_buf[KMSG_SIZE];
extern size_t kmsg_written;   /* total bytes ever logged; index = % KMSG_SIZE */

#endif
