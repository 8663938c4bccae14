/*
 * report.h -- the one report format every run-time checker prints.
 *
 *     ==================================================================
 *     UBSAN: shift-out-of-bounds in monitor_run at kernel/monitor.c:41:12
 *     ... the checker's own lines (values, access, other CPU's stack) ...
 *     Backtrace:
 *       #0 0x0010a2c4 monitor_run+0x64
 *     ==================================================================
 *
 * A checker calls
 *
 *     if (san_report_begin("UBSAN", "shift-out-of-bounds", pc,
 *                          "%s:%u:%u", loc->file, loc->line, loc->column)) {
 *         kprintf("shift exponent %d is too large for 32-bit type 'int'\n", e);
 *         san_report_end();
 *     }
 *
 * where pc is an address inside the faulty function (the hook's return
 * address, __builtin_return_address(0)). Between begin and end this CPU
 * holds the report lock (so two CPUs' reports never interleave) and has
 * interrupts off. A report that starts while this CPU is already inside
 * one (a checker tripping on the report code itself) is counted but not
 * printed: begin returns false, and end must then not be called (it is a
 * harmless no-op if it is). The kernel goes on after san_report_end()
 * (recover mode) unless the command line says sanitize=panic.
 *
 * This header is an interface other checkers build on (kasan, kcsan):
 * keep it stable.
 */
#ifndef SANITIZERS_REPORT_H
#define SANITIZERS_REPORT_H

#include <stdbool.h>
#include <stdint.h>

#define SAN_RULE "=================================================================="

/* Start a report: print the rule and the first line
 *     CHECKER: KIND in FUNCTION at LOCATION
 * FUNCTION is ksym_lookup(pc). LOCATION is the printf-style location_fmt
 * ("kernel/foo.c:12:5"); with location_fmt NULL it is FUNCTION+0xOFF
 * from pc, for checkers without a source location (KASAN, KCSAN: a test
 * maps it to file:line with addr2line). Returns false, printing nothing,
 * when this CPU is already reporting. */
bool san_report_begin(const char *checker, const char *kind, uintptr_t pc,
                      const char *location_fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Print the backtrace (from the frame whose return address is the pc
 * given to begin, when it is on the chain) and the closing rule, release
 * the lock; panics instead of returning when the command line says
 * sanitize=panic. */
void san_report_end(void);

/* "by thread 'NAME' (pid N) on CPU C" for the checker's access line
 * (without a newline); "on CPU C" alone before threads exist. */
void san_print_context(void);

/* Reports so far: all checkers, and one checker's ("UBSAN", "KASAN",
 * "KCSAN"), counting those suppressed as recursive. */
unsigned san_reports(void);
unsigned san_reports_of(const char *checker);

/* True while this CPU is printing a report: a checker's hook returns at
 * once then, so the report code (kprintf, ksym_lookup) is never checked
 * from inside a report. */
bool san_in_report(void);

#endif
