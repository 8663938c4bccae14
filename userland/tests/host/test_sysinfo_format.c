/*
 * test_sysinfo_format.c -- the rows of `cpus` and `locks` (the formatters
 * in kernel/abi/cpuinfo.h and lockinfo.h, which the monitor and the
 * programs share): the columns the monitor always printed, "-" for no
 * thread, names cut at their fields' size, and a short buffer that gets
 * a truncated line and nothing written past it.
 */
#if LAB >= 5
#include <criterion/criterion.h>
#include <string.h>

#include "cpuinfo.h"
#include "lockinfo.h"

struct cpu_case {
    struct cpu_info cpu;
    const char *want;
};

static const struct cpu_case cpu_cases[] = {
    { { 1, 1, 1, 127, 132, 5, 10, "cpus" }, "  1     1  yes       127         132     5  10 'cpus'\n" },
    { { 3, 6, 0, 0, 0, 0, -1, "" }, "  3     6  no          0           0     0  -\n" },
    /* a name that fills its field: no NUL of its own, printed up to 16 */
    { { 0, 0, 1, 1, 2, 3, 7, "abcdefghijklmnop" },
      "  0     0  yes         1           2     3  7 'abcdefghijklmnop'\n" },
};

Test(sysinfo_format, cpu_rows_in_the_monitors_columns)
{
    for (size_t i = 0; i < sizeof cpu_cases / sizeof cpu_cases[0]; i++) {
        char line[CPUINFO_LINE_MAX];
        int n = cpu_info_format(line, sizeof line, &cpu_cases[i].cpu);
        cr_assert_str_eq(line, cpu_cases[i].want, "case %zu", i);
        cr_assert_eq(n, (int)strlen(cpu_cases[i].want), "case %zu", i);
    }
}

Test(sysinfo_format, cpus_head)
{
    struct cpus_info ci = { .intc = "I/O APIC and local APICs", .tlb_shootdowns = 12 };
    char line[CPUINFO_LINE_MAX];
    cpus_format_head(line, sizeof line, &ci);
    cr_assert_str_eq(line, "interrupts: I/O APIC and local APICs; 12 TLB shootdowns sent\n"
                           "CPU  APIC  ONLINE  TICKS  INTERRUPTS  IPIS  THREAD\n");
}

/* Not static, so GCC cannot see the cut coming and warn about it (the
 * warning is raised inside the header, where a pragma here does not
 * reach): the cut is what is tested. */
size_t sysinfo_short_size = 20;

Test(sysinfo_format, short_buffer_is_cut_not_overrun)
{
    char line[24];
    memset(line, 'x', sizeof line);
    int n = cpu_info_format(line, sysinfo_short_size, &cpu_cases[0].cpu);
    cr_assert_eq(n, (int)strlen(cpu_cases[0].want));     /* what it would have been */
    cr_assert_eq(strlen(line), 19);
    cr_assert_eq(line[20], 'x');
}

struct lock_case {
    struct lock_info lock;
    const char *want;
};

static const struct lock_case lock_cases[] = {
    { { "lockinfo", "mutex", 1, 12, "locks", "sys_lockinfo", 0x3e },
      "  lockinfo                   mutex 1   12 locks             sys_lockinfo+0x3e\n" },
    { { "sched", "spin", 0, -1, "", "??", 0x1 },
      "  sched                      spin  0   -                    ??+0x1\n" },
};

Test(sysinfo_format, lock_rows_in_the_monitors_columns)
{
    for (size_t i = 0; i < sizeof lock_cases / sizeof lock_cases[0]; i++) {
        char line[LOCKINFO_LINE_MAX];
        lock_info_format(line, sizeof line, &lock_cases[i].lock);
        cr_assert_str_eq(line, lock_cases[i].want, "case %zu", i);
    }
}

Test(sysinfo_format, locks_head)
{
    static struct locks_info li;
    char line[LOCKINFO_LINE_MAX];
    li.checks_on = 1;
    locks_format_head(line, sizeof line, &li);
    cr_assert_str_eq(line, "0 locks held\n");
    li.nheld = 1;
    locks_format_head(line, sizeof line, &li);
    cr_assert_str_eq(line, "1 lock held\n  LOCK                       KIND  CPU THREAD"
                           "               TAKEN AT\n");
    li.checks_on = 0;
    li.nheld = 0;
    locks_format_head(line, sizeof line, &li);
    cr_assert_str_eq(line, "locks: the lock checks are off (sync_checks=0): nothing is "
                           "recorded\n0 locks held\n");
}
#endif /* LAB >= 5 */
