/*
 * percpu.h -- what each CPU has of its own: its id, the thread it runs,
 * its counters.
 *
 * this_cpu() is the running CPU's struct cpu. Until lab 5 starts the other
 * CPUs there is one, cpus[0]; lab 5 reaches it through a segment register
 * (each CPU's %fs base points at its own struct cpu), because a CPU cannot
 * otherwise tell which one it is without asking its local APIC.
 */
#ifndef ARCH_I386_PERCPU_H
#define ARCH_I386_PERCPU_H

#include <stdbool.h>
#include <stdint.h>

#define MAX_CPUS 8

struct thread;

struct cpu {
    struct cpu *self;           /* points at itself (the %fs:0 word) */
    int id;                     /* index in cpus[]: 0 is the boot CPU */
    uint8_t apic_id;            /* its local APIC's id (from the MADT) */
    bool online;                /* started and running the scheduler */
    struct thread *thread;      /* the thread running here */
    struct thread *idle;        /* this CPU's idle thread */
    int irq_depth;              /* interrupt handlers active on this CPU */
    uint32_t ticks;             /* timer ticks taken here */
    uint32_t interrupts;        /* interrupts taken here (all vectors) */
    /* Spinlocks this CPU holds (kernel/sync/spinlock.c): while > 0 the
     * scheduler does not preempt it, and sleeping is a bug that
     * kernel/sync/check.c reports. */
    int spinlocks_held;
};

extern struct cpu cpus[MAX_CPUS];
extern int ncpus;               /* CPUs found (1 until lab 5) */

static inline struct cpu *this_cpu(void)
{
    return &cpus[0];
}

static inline int cpu_id(void)
{
    return this_cpu()->id;
}

#endif
