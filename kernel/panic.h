/* panic.h -- stop the kernel with a message and a backtrace. */
#ifndef PANIC_H
#define PANIC_H

#include <stdbool.h>

#define panic(...) panic_at(__FILE__, __LINE__, __VA_ARGS__)

__attribute__((noreturn, format(printf, 3, 4)))
void panic_at(const char *file, int line, const char *fmt, ...);

/* When true (set from the command line: test=, selftest= or panic=exit),
 * a panic leaves the emulator with the failure status instead of halting,
 * so that a harness never waits for a kernel that has stopped. */
extern bool panic_exits;

#endif
