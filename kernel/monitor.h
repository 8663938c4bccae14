/* monitor.h -- the kernel monitor: a tiny shell on the serial console. */
#ifndef MONITOR_H
#define MONITOR_H

#define MONITOR_MAX_ARGS 8

/* Split `line` in place into at most max words separated by spaces;
 * returns the number of words. */
int monitor_split(char *line, char **argv, int max);
/* Run one command line; returns the command's status (-1: unknown). */
int monitor_run(char *line);
/* Read and run commands forever. */
__attribute__((noreturn)) void monitor_main(void);

#endif
