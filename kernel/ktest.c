/*
 * ktest.c -- run the selected in-kernel test cases and report KTAP.
 *
 * KTAP goes to COM2 and nothing else does, so that a stray kprintf on the
 * console can neither forge nor break a result (docs/protocol.md). The
 * console gets a human copy of each result line.
 */
#include "ktest.h"
#include "cmdline.h"
#include "console.h"
#include "glob.h"
#include "multiboot.h"
#include "arch/i386/serial.h"
#include "panic.h"
#if LAB >= 2
#include "arch/i386/pit.h"
#endif
#if LAB >= 5
#include "arch/i386/percpu.h"
#include "arch/i386/smp.h"
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const struct ktest *const __ktests_start[], *const __ktests_end[];

static const struct ktest *current;    /* the running case, or NULL */
static int current_number;
static bool current_failed;
static const char *skip_reason;
#if LAB >= 2
uint32_t ktest_timeout_s = 15;
#if LAB >= 5
/* SAFETY: volatile: a test stores it while every CPU's timer interrupt
 * loads it; a function pointer is one aligned word, stored whole. */
void (*volatile ktest_timer_hook)(void);
#endif
/* SAFETY: volatile: the timer interrupt advances it while the case's
 * watchdog loop reads it (one writer, aligned word). */
static volatile uint32_t case_ticks;    /* timer ticks since the case began */
#if LAB >= 5
static uint32_t progress_tick;          /* pit_ticks at the last progress line */
static uint32_t progress_calls;         /* ktest_progress() calls in this case */
#endif
#endif

/*
 * KTAP lines are written with the tiny writers below, not with vformat():
 * the results must stay readable while a student's formatter (lab 1,
 * exercise 1) is missing or broken. Only diagnostics, which are free
 * text, go through vformat().
 */
static void ktap_puts(const char *s)
{
    while (*s != '\0')
        serial_putc(COM2, *s++);
}

static void ktap_putu(unsigned n)
{
    char digits[10];
    int i = 0;
    do {
        digits[i++] = (char)('0' + n % 10);
        n /= 10;
    } while (n != 0);
    while (i > 0)
        serial_putc(COM2, digits[--i]);
}

static void ktap_put_name(const struct ktest *t)
{
    ktap_puts(t->suite);
    ktap_puts(".");
    ktap_puts(t->name);
}

/* "ok 3 boot.cmdline" or "not ok 3 boot.cmdline", with " # SKIP reason"
 * when skip is set. A human copy goes to the console. */
static void ktap_result(bool ok, int number, const struct ktest *t, const char *skip)
{
    ktap_puts(ok ? "ok " : "not ok ");
    ktap_putu((unsigned)number);
    ktap_puts(" ");
    ktap_put_name(t);
    if (skip != NULL) {
        ktap_puts(" # SKIP ");
        ktap_puts(skip);
    }
    ktap_puts("\n");
    kprintf("ktest: %s %s.%s%s%s\n", ok ? "ok" : "NOT OK", t->suite, t->name,
            skip ? " # SKIP " : "", skip ? skip : "");
}

static void emit_to_com2(char c, void *ctx)
{
    (void)ctx;
    serial_putc(COM2, c);
}

static void ktap_vprintf(const char *fmt, va_list ap)
{
    vformat(emit_to_com2, NULL, fmt, ap);
}

void ktest_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    current_failed = true;
    ktap_puts("# ");
    ktap_put_name(current);
    ktap_puts(": ");
    ktap_puts(file);
    ktap_puts(":");
    ktap_putu((unsigned)line);
    ktap_puts(": ");
    va_start(ap, fmt);
    ktap_vprintf(fmt, ap);
    va_end(ap);
    ktap_puts("\n");
}

unsigned ktest_param(const char *key, unsigned dflt, unsigned max)
{
    char value[16];
    if (!cmdline_value(boot_info.harness_cmdline, key, value, sizeof value))
        return dflt;
    unsigned long v = strtoul(value, NULL, 10);
    return v == 0 || v > max ? dflt : (unsigned)v;
}

unsigned ktest_work_div(void)
{
    return ktest_param("work_div", 1, 1000);
}

void ktest_skip(const char *reason)
{
    skip_reason = reason;
}

bool ktest_failed(void)
{
    return current_failed;
}

/* Does "suite.name" match one of the comma-separated globs? */
static bool ktest_selected(const struct ktest *t, const char *globs)
{
    char full[128];
    snprintf(full, sizeof full, "%s.%s", t->suite, t->name);
    for (const char *g = globs; *g != '\0';) {
        size_t len = strcspn(g, ",");
        if (len > 0 && glob_match(g, len, full))
            return true;
        g += len;
        if (*g == ',')
            g++;
    }
    return false;
}

static void ktest_run_one(const struct ktest *t, int number)
{
    current = t;
    current_number = number;
    current_failed = false;
    skip_reason = NULL;
    ktap_puts("# running ");
    ktap_put_name(t);
    ktap_puts("\n");
#if LAB >= 2
    case_ticks = 0;
#endif
#if LAB >= 5
    __atomic_store_n(&progress_calls, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&progress_tick, pit_ticks, __ATOMIC_RELAXED);
#endif
    t->run();
    ktap_result(!current_failed, number, t, current_failed ? NULL : skip_reason);
    current = NULL;
}

#if LAB >= 5
/* smp_expect=N (the grader's, for QEMU's -smp N): all N CPUs must be
 * online before a case runs. A CPU that did not start (a loaded host can
 * make an AP miss its start-up wait) would let a case meant for N CPUs
 * pass or fail for the wrong reason -- a spinlock stub, say, that only
 * stops the kernel once a second CPU runs. False, after a KTAP bail-out
 * naming them, if some are missing. */
static bool expected_cpus_online(void)
{
    unsigned want = ktest_param("smp_expect", 0, MAX_CPUS);
    unsigned have = (unsigned)smp_online_cpus();
    if (have >= want)
        return true;
    ktap_puts("Bail out! only ");
    ktap_putu(have);
    ktap_puts(" of ");
    ktap_putu(want);
    ktap_puts(" CPUs are online (smp_expect): a CPU did not start, see the console\n");
    return false;
}
#endif

void ktest_main(const char *globs, int skip)
{
    int total = 0, number = 0;
    for (const struct ktest *const *t = __ktests_start; t < __ktests_end; t++)
        total += ktest_selected(*t, globs);

    serial_init(COM2);
    ktap_puts("KTAP version 1\n1..");
    ktap_putu((unsigned)total);
    ktap_puts("\n");
#if LAB >= 5
    if (!expected_cpus_online())
        return;
#endif
    for (const struct ktest *const *t = __ktests_start; t < __ktests_end; t++) {
        if (!ktest_selected(*t, globs))
            continue;
        if (++number <= skip)
            continue;
        ktest_run_one(*t, number);
    }
    kprintf("ktest: done, %d cases selected by \"%s\"\n", total, globs);
}

#if LAB >= 2
void ktest_tick(void)
{
    if (current == NULL || ktest_timeout_s == 0 || pit_hz == 0)
        return;
    /* A hung case (a lost wake-up, a thread that never runs) would
     * otherwise cost the grader its whole boot timeout, and every case
     * after it a reboot each; this way the hang is named, quickly. */
    if (++case_ticks == ktest_timeout_s * pit_hz)
        panic("ktest: %s.%s still running after %u s (ktest_timeout): hung?", current->suite,
              current->name, ktest_timeout_s);
}
#endif

#if LAB >= 5
void ktest_progress(void)
{
    uint32_t calls = __atomic_add_fetch(&progress_calls, 1, __ATOMIC_RELAXED);
    uint32_t last = __atomic_load_n(&progress_tick, __ATOMIC_RELAXED);
    uint32_t now = pit_ticks;
    const struct ktest *t = __atomic_load_n(&current, __ATOMIC_RELAXED);
    if (t == NULL || now - last < pit_hz)
        return;
    /* One thread wins the second; the others go on without printing. */
    if (!__atomic_compare_exchange_n(&progress_tick, &last, now, false, __ATOMIC_RELAXED,
                                     __ATOMIC_RELAXED))
        return;
    kprintf("ktest: %s.%s progress: %u steps, %u s\n", t->suite, t->name, calls,
            case_ticks / pit_hz);
}
#endif

void ktest_report_panic(const char *fmt, va_list ap)
{
    if (current == NULL)
        return;
    ktap_puts("# panic: ");
    ktap_vprintf(fmt, ap);
    ktap_puts("\n");
    ktap_result(false, current_number, current, NULL);
    current = NULL;
}
