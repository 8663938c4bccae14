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
struct tss;

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
    /* Appended by smp (lab 5): */
    struct tss *tss;            /* its task-state segment (esp0 for ring 3 -> 0) */
    uint32_t *sysenter_esp0;    /* where its sysenter entry loads esp from */
    uint32_t lapic_timer_count; /* its LAPIC timer's period as programmed (lapic.c) */
    uint32_t ipis;              /* IPIs received (resched and TLB shootdown) */
    /* The scheduler's (proc/sched.c), protected by sched_lock: */
    uint32_t slice_left;        /* ticks left in the running thread's slice */
    bool need_resched;          /* switch on the way out of this interrupt */
    /* Spinlocks this CPU holds (kernel/sync/spinlock.c): while > 0 the
     * scheduler does not preempt it, and sleeping is a bug that
     * kernel/sync/check.c reports. */
    int spinlocks_held;
};

extern struct cpu cpus[MAX_CPUS];
extern int ncpus;               /* CPUs found (1 until lab 5) */

#if LAB >= 5
/* Each CPU's row for the monitor's `cpus` and SYS_cpuinfo (cpuinfo.c). */
struct cpus_info;
void cpus_snapshot(struct cpus_info *out);
#endif

#if LAB >= 5
/* %fs's base is this CPU's struct cpu (gdt.c), whose first word points
 * at itself: one load. Every kernel entry loads the kernel's %fs first
 * (trapentry.S, sysenter.S), so the user's %fs never shows here. */
static inline struct cpu *this_cpu(void)
{
    struct cpu *c;
    /* SAFETY: %fs is this CPU's per-CPU segment from gdt_early_init()
     * (boot CPU, before any caller) or gdt_init_cpu() (an AP, before it
     * runs C beyond that), and offset 0 is `self`. volatile: a thread may
     * move to another CPU between two calls, so the load is never
     * merged or hoisted across code that can switch threads. */
    __asm__ volatile("movl %%fs:0, %0" : "=r"(c));
    return c;
}
#else
static inline struct cpu *this_cpu(void)
{
    return &cpus[0];
}
#endif

static inline int cpu_id(void)
{
    return this_cpu()->id;
}

#if LAB >= 5
/* this_cpu()->spinlocks_held += delta, in ONE instruction (Linux calls
 * this kind this_cpu_add): a preemption cannot fall between finding the
 * CPU and changing its count, as it could between `this_cpu()` and the
 * add, which would count on a CPU the thread has left. */
static inline void this_cpu_count_spinlocks(int delta)
{
    /* SAFETY: %fs:0 is this CPU's struct cpu (see this_cpu()); the offset
     * is that of spinlocks_held. An interrupt on this CPU comes before or
     * after the one instruction, and its handler leaves the count as it
     * found it. The "memory" clobber keeps the compiler from moving the
     * lock's own accesses across the count (the scheduler reads it). */
    __asm__ volatile("addl %1, %%fs:%c0"
                     : : "i"(__builtin_offsetof(struct cpu, spinlocks_held)), "ri"(delta)
                     : "memory", "cc");
}

/* this_cpu()->spinlocks_held, read in ONE instruction: the count of the
 * CPU that ran the read, whichever that was. */
static inline int this_cpu_spinlocks(void)
{
    int n;
    /* SAFETY: as this_cpu_count_spinlocks(); volatile and "memory": the
     * count changes under us (our own locks, and a handler's in between). */
    __asm__ volatile("movl %%fs:%c1, %0"
                     : "=r"(n) : "i"(__builtin_offsetof(struct cpu, spinlocks_held)) : "memory");
    return n;
}
#endif

/* Added by sched: the thread running on this CPU (proc/sched.h's
 * current_thread), read in ONE instruction. this_cpu()->thread takes two
 * (%fs:0, then ->thread): a thread preempted between them may resume on
 * another CPU and read the first CPU's thread, someone else. One load
 * through %fs cannot be split; whichever CPU executes it runs the reader. */
static inline struct thread *this_cpu_thread(void)
{
#if LAB >= 5
    struct thread *t;
    /* SAFETY: %fs:0 is this CPU's struct cpu (see this_cpu()); the offset
     * is that of its `thread` field. volatile: the scheduler changes the
     * field (with interrupts off) between reads. */
    __asm__ volatile("movl %%fs:%c1, %0" : "=r"(t) : "i"(__builtin_offsetof(struct cpu, thread)));
    return t;
#else
    return cpus[0].thread;
#endif
}

#endif
