/*
 * cpus.c -- what each CPU runs, and its counters (SYS_cpuinfo): the
 * kernel monitor's `cpus` command, from the shell.
 *
 *     cpus
 *
 * Output, in the rows the monitor prints too (abi/cpuinfo.h formats
 * both):
 *
 *     interrupts: I/O APIC and local APICs; 12 TLB shootdowns sent
 *     CPU  APIC  ONLINE  TICKS  INTERRUPTS  IPIS  THREAD
 *       0     0  yes       143         151     1  0 'idle'
 *       1     1  yes       127         132     5  10 'cpus'
 *       2     2  yes       123         124     1  3 'idle2'
 *       3     3  yes       124         124     0  4 'idle3'
 *
 * One row per CPU: its index, its local APIC's id, whether it runs the
 * scheduler, the timer ticks and interrupts (all vectors) it took, the
 * IPIs it received, and the thread it ran when the kernel looked (tid
 * and name; "-": none). The CPU running this program shows it. Errors:
 * "cpus: <why>" on stderr, exit 1; any argument: a usage line, exit 1.
 */
#if LAB >= 5
#include <stdio.h>
#include <tidepool.h>

static struct cpus_info info;

int main(int argc, char **argv)
{
    (void)argv;
    if (argc > 1) {
        fprintf(stderr, "usage: cpus\n");
        return 1;
    }
    if (cpuinfo(&info) != 0) {
        perror("cpus");
        return 1;
    }
    char line[CPUINFO_LINE_MAX];
    cpus_format_head(line, sizeof line, &info);
    fputs(line, stdout);
    for (uint32_t i = 0; i < info.ncpus && i < CPUINFO_MAX; i++) {
        cpu_info_format(line, sizeof line, &info.cpu[i]);
        fputs(line, stdout);
    }
    return 0;
}
#endif /* LAB >= 5 */
