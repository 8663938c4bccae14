/* check.c -- reports of locking mistakes, and the sleep check (see check.h). */
#if LAB >= 5
#include "sync/check.h"
#include "sync/held.h"
#include "sync/rawlock.h"
#include "sync/spinlock.h"
#include "arch/i386/cpu.h"
#include "arch/i386/percpu.h"
#include "proc/sched.h"
#include "proc/thread.h"
#include "backtrace.h"
#include "console.h"
#include "panic.h"
#include "symbols.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

bool sync_checks = true;

static struct sync_expect *expected;    /* armed by a test, or NULL */

/* The report being written: begin..end hold report_lock. */
static rawlock_t report_lock;
static uint32_t report_irq;
static enum sync_problem report_problem;
static char report[SYNC_REPORT_MAX];
static size_t report_len;

void sync_expect(struct sync_expect *e)
{
    if (e != NULL) {
        e->hits = 0;
        e->text[0] = '\0';
    }
    __atomic_store_n(&expected, e, __ATOMIC_SEQ_CST);
}

const char *sync_thread_name(void)
{
    return current_thread != NULL ? current_thread->name : "boot";
}

int sync_thread_id(void)
{
    return current_thread != NULL ? current_thread->tid : -1;
}

const char *sync_where(uintptr_t pc)
{
    static char bufs[4][80];
    static int next;
    char *buf = bufs[__atomic_fetch_add(&next, 1, __ATOMIC_RELAXED) % 4];
    uintptr_t off = 0;
    const char *fn = pc ? ksym_lookup(pc - 1, &off) : NULL;
    if (fn != NULL)
        snprintf(buf, sizeof bufs[0], "%s+0x%x", fn, (unsigned)(off + 1));
    else
        snprintf(buf, sizeof bufs[0], "0x%08x", (unsigned)pc);
    return buf;
}

static void report_vappend(const char *fmt, va_list ap)
{
    if (report_len < sizeof report - 1)
        report_len += (size_t)vsnprintf(report + report_len, sizeof report - report_len, fmt, ap);
    if (report_len > sizeof report - 1)
        report_len = sizeof report - 1;
}

static void report_append(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report_vappend(fmt, ap);
    va_end(ap);
}

void sync_report_begin(enum sync_problem problem, const char *fmt, ...)
{
    report_irq = rawlock_take(&report_lock);
    report_problem = problem;
    report_len = 0;
    report_append("lock check: ");
    va_list ap;
    va_start(ap, fmt);
    report_vappend(fmt, ap);
    va_end(ap);
    report_append("\n");
}

void sync_report_stack(const char *title, const uintptr_t *pcs, int n)
{
    report_append("%s:\n", title);
    for (int i = 0; i < n; i++) {
        uintptr_t off = 0;
        const char *fn = ksym_lookup(pcs[i] - 1, &off);
        report_append("  #%d 0x%08x %s+0x%x\n", i, (unsigned)pcs[i], fn ? fn : "??",
                      (unsigned)(off + 1));
    }
}

bool sync_report_end(void)
{
    uintptr_t pcs[BACKTRACE_MAX];
    int n = backtrace_walk(cpu_read_ebp(), pcs, BACKTRACE_MAX);
    sync_report_stack("Backtrace of this report", pcs, n);
    kprintf("\n%s", report);
    struct sync_expect *e = __atomic_load_n(&expected, __ATOMIC_SEQ_CST);
    bool was_expected = e != NULL && e->problem == report_problem;
    if (was_expected) {
        e->hits++;
        memcpy(e->text, report, report_len + 1);
        kprintf("lock check: (expected by a test: going on)\n");
    }
    /* The panic message: the report's first line, without "lock check: ". */
    static char first[160];
    size_t len = strcspn(report, "\n");
    snprintf(first, sizeof first, "%.*s", (int)len, report);
    rawlock_give(&report_lock, report_irq);
    if (!was_expected)
        panic("%s", first);
    return true;
}

bool sync_report(enum sync_problem problem, const char *fmt, ...)
{
    char paragraph[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(paragraph, sizeof paragraph, fmt, ap);
    va_end(ap);
    sync_report_begin(problem, "%s", paragraph);
    return sync_report_end();
}

/* "'a' (taken at f+0x12), 'b' (...)": the spinlocks this CPU holds,
 * except `allowed`. */
static void name_spinlocks(char *buf, size_t size, const struct spinlock *allowed)
{
    struct held_lock mine[16];
    int n = held_mine(mine, 16);
    size_t len = 0;
    buf[0] = '\0';
    for (int i = 0; i < n && len < size; i++) {
        if (mine[i].kind != LOCK_SPIN || mine[i].lock == allowed)
            continue;
        uintptr_t off = 0;
        const char *fn = ksym_lookup(mine[i].where - 1, &off);
        len += (size_t)snprintf(buf + len, size - len, "%s'%s' (taken at %s+0x%x)",
                                len ? ", " : "", mine[i].name, fn ? fn : "??",
                                (unsigned)(off + 1));
    }
}

void sync_might_sleep(const char *what, const char *name, const struct spinlock *allowed)
{
    if (!sync_checks)
        return;
    struct cpu *c = this_cpu();
    if (c->irq_depth > 0) {
        sync_report(SYNC_SLEEP_IN_IRQ,
                    "%s(%s) in an interrupt handler (CPU %d, interrupting thread %d '%s'): "
                    "a handler runs on borrowed time and on the interrupted thread's stack, "
                    "it must never sleep; take a spinlock with spin_lock_irqsave() instead, "
                    "or defer the work to a thread.",
                    what, name, c->id, sync_thread_id(), sync_thread_name());
        return;
    }
    int allowed_held = allowed != NULL && spin_held(allowed);
    if (c->spinlocks_held > allowed_held) {
        char held[256];
        name_spinlocks(held, sizeof held, allowed);
        sync_report(SYNC_SLEEP_WITH_SPINLOCK,
                    "%s(%s) would sleep while thread %d '%s' holds %d spinlock%s on CPU %d: %s. "
                    "Another thread (or CPU) that wants %s would spin until this one wakes up, "
                    "maybe forever; release the spinlock first, or sleep with "
                    "waitqueue_sleep_on(), which releases its one lock atomically.",
                    what, name, sync_thread_id(), sync_thread_name(),
                    c->spinlocks_held - allowed_held,
                    c->spinlocks_held - allowed_held == 1 ? "" : "s", c->id,
                    held[0] ? held : "(not in the registry)",
                    c->spinlocks_held - allowed_held == 1 ? "it" : "them");
    }
}
#endif /* LAB >= 5 */
