/*
 * panic.c -- the kernel's last words.
 *
 * Format (the grader parses it, see docs/protocol.md):
 *     PANIC at kernel/foo.c:42: what went wrong
 *     Backtrace:
 *       #0 0x00101234 function_that_called_panic+0x1c
 *       #1 ...
 */
#include "panic.h"
#include "backtrace.h"
#include "console.h"
#include "ktest.h"
#include "arch/i386/cpu.h"
#include "arch/i386/power.h"
#include <stdarg.h>

bool panic_exits;
static bool panicking;

void __assert_fail(const char *expr, const char *file, int line, const char *func)
{
    panic_at(file, line, "assertion failed in %s(): %s", func, expr);
}

void panic_at(const char *file, int line, const char *fmt, ...)
{
    cpu_disable_interrupts();
    if (panicking) {                /* a panic while panicking: just stop */
        kprintf("PANIC again at %s:%d\n", file, line);
        machine_exit(EXIT_PANIC);
    }
    panicking = true;
#if LAB >= 4
    console_break_lock();           /* the report must get out, whoever prints */
#endif

    va_list ap;
    kprintf("\nPANIC at %s:%d: ", file, line);
    va_start(ap, fmt);
    kvprintf(fmt, ap);
    va_end(ap);
    kprintf("\nBacktrace:\n");
    uintptr_t pcs[BACKTRACE_MAX];
    backtrace_print(pcs, backtrace_walk(cpu_read_ebp(), pcs, BACKTRACE_MAX));

    va_start(ap, fmt);
    ktest_report_panic(fmt, ap);    /* a no-op outside test mode */
    va_end(ap);
    if (panic_exits)
        machine_exit(EXIT_PANIC);
    kprintf("System halted.\n");
    cpu_stop();
}
