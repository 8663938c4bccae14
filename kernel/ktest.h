/*
 * ktest.h -- in-kernel test cases (in the spirit of Linux's KUnit).
 *
 *     KTEST(boot, cmdline_copied)
 *     {
 *         KEXPECT_STREQ(boot_info.cmdline, "test=boot.*");
 *     }
 *
 * defines the case "boot.cmdline_copied". The kernel runs the cases whose
 * names match `test=GLOB` on its command line and reports KTAP on COM2
 * (docs/protocol.md). A KEXPECT that fails marks the case failed, prints
 * what was expected and what was found, and lets the case go on; KASSERT
 * also returns from the case.
 */
#ifndef KTEST_H
#define KTEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

struct ktest {
    const char *suite;
    const char *name;
    void (*run)(void);
};

/* Each case puts a pointer to its descriptor into a section named after
 * it; the linker gathers them, sorted by name, into one array (kernel.ld),
 * so cases run in the same order whatever the link order. Pointers, not
 * the structs themselves, so the compiler cannot pad the array. */
#define KTEST(suite, name)                                                    \
    static void ktest_fn_##suite##_##name(void);                              \
    static const struct ktest ktest_##suite##_##name = {                      \
        #suite, #name, ktest_fn_##suite##_##name };                           \
    static const struct ktest *const ktest_ptr_##suite##_##name               \
        __attribute__((used, section(".ktests." #suite "." #name)))           \
        = &ktest_##suite##_##name;                                            \
    static void ktest_fn_##suite##_##name(void)

/* Record a failure of the running case, with a diagnostic line. */
void ktest_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Mark the running case skipped (call it, then return). */
void ktest_skip(const char *reason);
bool ktest_failed(void);

#define KEXPECT(cond)                                                         \
    do {                                                                      \
        if (!(cond))                                                          \
            ktest_fail(__FILE__, __LINE__, "expected %s", #cond);             \
    } while (0)

#define KEXPECT_EQ(a, b)                                                      \
    do {                                                                      \
        long long ka_ = (long long)(a), kb_ = (long long)(b);                 \
        if (ka_ != kb_)                                                       \
            ktest_fail(__FILE__, __LINE__, "expected %s == %s, got %lld (0x%llx) and %lld (0x%llx)", \
                       #a, #b, ka_, ka_, kb_, kb_);                           \
    } while (0)

#define KEXPECT_STREQ(a, b)                                                   \
    do {                                                                      \
        const char *ka_ = (a), *kb_ = (b);                                    \
        if (ka_ == 0 || kb_ == 0 || strcmp(ka_, kb_) != 0)                    \
            ktest_fail(__FILE__, __LINE__, "expected %s == %s, got \"%s\" and \"%s\"", \
                       #a, #b, ka_ ? ka_ : "(null)", kb_ ? kb_ : "(null)");   \
    } while (0)

#define KASSERT(cond)                                                         \
    do {                                                                      \
        if (!(cond)) {                                                        \
            ktest_fail(__FILE__, __LINE__, "assertion %s failed", #cond);     \
            return;                                                           \
        }                                                                     \
    } while (0)

/* Run the cases matching any glob in the comma-separated `globs`, skipping
 * the first `skip` matches; print KTAP on COM2. */
void ktest_main(const char *globs, int skip);
#if LAB >= 2
/* The watchdog: a case still running after this many seconds of timer
 * ticks is reported as hung (a panic: the grader boots again for the
 * cases after it). 0 turns it off. Command line: ktest_timeout=SECONDS. */
extern uint32_t ktest_timeout_s;
#if LAB >= 5
/* Tests: called at the start of every timer tick on every CPU
 * (sched_tick), in the interrupt handler, interrupts off. NULL: none.
 * SAFETY: volatile: set by a test, read by interrupts (ktest.c). */
extern void (*volatile ktest_timer_hook)(void);
#endif
/* From the timer interrupt. */
void ktest_tick(void);
#if LAB >= 5
/* A long case's threads call this now and then (outside the locks under
 * test) to say they are getting somewhere. At most once a second it
 * prints a "ktest: ... progress" line on the console. The grader kills a
 * lab-5 boot that prints nothing for several seconds
 * (grading/tidepool/fixtures.py, SMP_STALL_BASE): a lock that hangs
 * every CPU with interrupts off, where neither this kernel's watchdog
 * nor a case's deadline can run, then fails in seconds instead of at the
 * grader's whole timeout. A slow but correct case keeps printing. */
void ktest_progress(void);
#endif
#endif

/* A number from the harness's command line (mp_threads=4, say): `dflt`
 * when the key is missing, 0 or above `max`. */
unsigned ktest_param(const char *key, unsigned dflt, unsigned max);

/* What a long case divides its workload by: work_div=N on the command
 * line (default 1). The grader passes work_div=10 on a kernel built with
 * KASAN, where a lock round trip costs about five times its instructions
 * and a thread switch ten (docs/safety.md): there the race-hunting cases
 * run to take every path under the checker, while the plain kernel's
 * runs, at full size, hunt the races. */
unsigned ktest_work_div(void);

/* Called by panic(): if a case is running, report it as failed. */
void ktest_report_panic(const char *fmt, va_list ap);

#endif
