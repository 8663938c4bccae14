/*
 * cpuinfo.h -- each CPU as SYS_cpuinfo reports it (for /bin/cpus), and
 * the one function that prints it, shared by the kernel monitor's `cpus`
 * command and the user program so both print the same columns:
 *
 *     struct cpus_info ci;
 *     cpuinfo(&ci);                  // libc: SYS_cpuinfo(&ci, sizeof ci)
 *     char line[CPUINFO_LINE_MAX];
 *     cpus_format_head(line, sizeof line, &ci);    // two lines
 *     cpu_info_format(line, sizeof line, &ci.cpu[0]);
 *
 * A snapshot: threads move between CPUs and counters run on while it is
 * taken, but each row's thread really ran on its CPU at that moment.
 */
#ifndef ABI_CPUINFO_H
#define ABI_CPUINFO_H

#if LAB >= 5
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>      /* snprintf: libk's in the kernel and in the libc */

#define CPUINFO_MAX      8      /* the kernel's MAX_CPUS: it never reports more */
#define CPUINFO_NAME_MAX 16     /* the kernel's THREAD_NAME_MAX */
#define CPUINFO_INTC_MAX 64     /* the interrupt controllers' description */
#define CPUINFO_LINE_MAX 160    /* room for one formatted row, or the head */

struct cpu_info {
    int32_t id;                 /* index: 0 is the boot CPU */
    uint32_t apic_id;           /* its local APIC's id (from the MADT) */
    uint32_t online;            /* 1: started and running the scheduler */
    uint32_t ticks;             /* timer ticks taken on this CPU */
    uint32_t interrupts;        /* interrupts taken on this CPU (all vectors) */
    uint32_t ipis;              /* IPIs received (resched, TLB shootdown) */
    int32_t tid;                /* the thread it runs; -1: none yet */
    char thread[CPUINFO_NAME_MAX];  /* that thread's name, NUL-terminated */
};

struct cpus_info {
    char intc[CPUINFO_INTC_MAX];    /* the interrupt controllers: "I/O APIC and local APICs" */
    uint32_t tlb_shootdowns;        /* shootdown IPIs sent since boot */
    uint32_t ncpus;                 /* rows used in cpu[] */
    struct cpu_info cpu[CPUINFO_MAX];
};

/* The head: the interrupt controller and shootdowns, then the column
 * names. Returns what snprintf returns. */
static inline int cpus_format_head(char *buf, size_t n, const struct cpus_info *ci)
{
    return snprintf(buf, n,
                    "interrupts: %.*s; %u TLB shootdowns sent\n"
                    "CPU  APIC  ONLINE  TICKS  INTERRUPTS  IPIS  THREAD\n",
                    CPUINFO_INTC_MAX, ci->intc, (unsigned)ci->tlb_shootdowns);
}

/* One CPU's row, with its newline: "  1     1  yes       52         130     3  7 'sh'". */
static inline int cpu_info_format(char *buf, size_t n, const struct cpu_info *c)
{
    int used = snprintf(buf, n, "%3d  %4u  %-6s %6u  %10u  %4u  ", (int)c->id,
                        (unsigned)c->apic_id, c->online ? "yes" : "no", (unsigned)c->ticks,
                        (unsigned)c->interrupts, (unsigned)c->ipis);
    size_t at = used < 0 ? 0 : (size_t)used < n ? (size_t)used : n;
    if (c->tid < 0)
        return used + snprintf(buf + at, n - at, "-\n");
    return used + snprintf(buf + at, n - at, "%d '%.*s'\n", (int)c->tid, CPUINFO_NAME_MAX,
                           c->thread);
}
#endif /* LAB >= 5 */

#endif
