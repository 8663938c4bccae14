/*
 * report.c -- printing a checker's report: one at a time, never from
 * inside another, counted, and fatal only when asked (sanitize=panic).
 *
 * Shaped after Linux's lib/ubsan.c and mm/kasan/report.c: a report lock
 * so reports from two CPUs come out whole, a rule line before and after,
 * and a per-CPU "in report" flag because the report itself runs checked
 * code (kprintf, ksym_lookup, the backtrace walk are all compiled with
 * the checkers) and must not report on itself forever.
 */
#include "sanitizers/report.h"
#include "backtrace.h"
#include "cmdline.h"
#include "console.h"
#include "multiboot.h"
#include "panic.h"
#include "symbols.h"
#include "arch/i386/cpu.h"
#include "arch/i386/percpu.h"
#include <stdarg.h>
#include <string.h>
#if LAB >= 4
#include "proc/process.h"
#include "proc/sched.h"
#include "proc/thread.h"
#endif

/* The checkers counted apart; anything else goes in the last slot. */
static const char *const checkers[] = { "UBSAN", "KASAN", "KCSAN" };
#define NCHECKERS (sizeof checkers / sizeof checkers[0])
static unsigned report_counts[NCHECKERS + 1];   /* __atomic only */

/* Held from begin to end, with this CPU's interrupts off. A test-and-set
 * word, not a struct spinlock: spinlocks exist from lab 4 only, and the
 * spinlock code is itself checked. */
static int report_lock;                 /* __atomic only: 0 free, 1 held */
static uint32_t report_saved_eflags;    /* protected by report_lock */
static uintptr_t report_pc;             /* protected by report_lock */
static const char *report_checker;      /* protected by report_lock */

/* Indexed by cpu_id(); each CPU reads and writes only its own slot. */
static bool in_report[MAX_CPUS];

/* How long a CPU waits for another's report before printing anyway: a
 * reporter can be stuck behind a lock this CPU holds (a KCSAN report from
 * inside the console code), and a garbled report beats a hung machine. */
#define REPORT_LOCK_SPINS (1u << 26)

static unsigned checker_slot(const char *checker)
{
    for (unsigned i = 0; i < NCHECKERS; i++)
        if (strcmp(checker, checkers[i]) == 0)
            return i;
    return NCHECKERS;
}

static uint32_t save_and_disable_interrupts(void)
{
    uint32_t eflags;
    /* SAFETY: reads eflags through our own stack, then clears IF; the
     * caller restores IF with restore_interrupts(). "memory": nothing
     * the report lock protects moves across it. */
    __asm__ volatile("pushfl\n\tpopl %0\n\tcli" : "=r"(eflags) : : "memory");
    return eflags;
}

static void restore_interrupts(uint32_t eflags)
{
    if (eflags & 0x200)     /* IF was set */
        /* SAFETY: sets IF again, only if it was set before begin. */
        __asm__ volatile("sti" : : : "memory");
}

static bool take_report_lock(void)
{
    for (unsigned spins = 0; spins < REPORT_LOCK_SPINS; spins++) {
        if (__atomic_exchange_n(&report_lock, 1, __ATOMIC_ACQUIRE) == 0)
            return true;
        /* SAFETY: `pause` only hints the CPU that this is a spin-wait. */
        __asm__ volatile("pause" : : : "memory");
    }
    return false;
}

/* The C function a symbol belongs to: GCC names the pieces it splits
 * off or specializes FUNCTION.cold, FUNCTION.part.0, FUNCTION.isra.0,
 * FUNCTION.constprop.0; the report's first line names FUNCTION. */
static int c_name_length(const char *symbol)
{
    const char *dot = strchr(symbol, '.');
    return dot != NULL ? (int)(dot - symbol) : (int)strlen(symbol);
}

bool san_in_report(void)
{
    return in_report[cpu_id()];
}

bool san_report_begin(const char *checker, const char *kind, uintptr_t pc,
                      const char *location_fmt, ...)
{
    __atomic_fetch_add(&report_counts[checker_slot(checker)], 1, __ATOMIC_RELAXED);
    uint32_t eflags = save_and_disable_interrupts();
    int cpu = cpu_id();
    if (in_report[cpu]) {           /* a checker fired inside a report */
        restore_interrupts(eflags);
        return false;
    }
    in_report[cpu] = true;
    bool locked = take_report_lock();
    report_saved_eflags = eflags;
    report_pc = pc;
    report_checker = checker;

    uintptr_t offset = 0;
    const char *function = ksym_lookup(pc - 1, &offset);  /* pc: a return address */
    if (function == NULL)
        function = "??";
    kprintf("%s\n%s: %s in %.*s at ", SAN_RULE, checker, kind, c_name_length(function), function);
    if (location_fmt != NULL) {
        va_list ap;
        va_start(ap, location_fmt);
        kvprintf(location_fmt, ap);
        va_end(ap);
    } else {
        kprintf("%s+0x%x", function, (unsigned)(offset + 1));
    }
    kprintf("\n");
    if (!locked)
        kprintf("(waited too long for another CPU's report: printing anyway)\n");
    return true;
}

/* Frames from the one that returns to report_pc, else all of them. */
static void print_backtrace(void)
{
    uintptr_t pcs[BACKTRACE_MAX];
    int n = backtrace_walk(cpu_read_ebp(), pcs, BACKTRACE_MAX);
    int first = 0;
    for (int i = 0; i < n; i++)
        if (pcs[i] == report_pc) {
            first = i;
            break;
        }
    kprintf("Backtrace:\n");
    backtrace_print(pcs + first, n - first);
}

static bool sanitize_panic(void)
{
    char value[16];
    return cmdline_value(boot_info.harness_cmdline, "sanitize", value, sizeof value) &&
           strcmp(value, "panic") == 0;
}

void san_report_end(void)
{
    int cpu = cpu_id();
    if (!in_report[cpu])            /* begin returned false */
        return;
    print_backtrace();
    kprintf("%s\n", SAN_RULE);
    const char *checker = report_checker;
    uint32_t eflags = report_saved_eflags;
    __atomic_store_n(&report_lock, 0, __ATOMIC_RELEASE);
    in_report[cpu] = false;
    restore_interrupts(eflags);
    if (sanitize_panic())
        panic("sanitize=panic: stopping at the first %s report", checker);
}

void san_print_context(void)
{
#if LAB >= 4
    struct thread *t = current_thread;
    if (t != NULL) {
        kprintf("by thread '%s'", t->name);
        if (t->proc != NULL)
            kprintf(" (pid %d)", t->proc->pid);
        kprintf(" ");
    }
#endif
    kprintf("on CPU %d", cpu_id());
}

unsigned san_reports(void)
{
    unsigned total = 0;
    for (unsigned i = 0; i <= NCHECKERS; i++)
        total += __atomic_load_n(&report_counts[i], __ATOMIC_RELAXED);
    return total;
}

unsigned san_reports_of(const char *checker)
{
    return __atomic_load_n(&report_counts[checker_slot(checker)], __ATOMIC_RELAXED);
}
