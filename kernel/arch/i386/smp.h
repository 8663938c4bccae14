/*
 * smp.h -- the other CPUs: starting them, poking them, keeping their TLBs
 * honest. (The smp <-> sched contract; the scheduler's side is
 * sched_ap_main() in proc/sched.h.)
 *
 * With one CPU (labs 2-4, -smp 1, no MADT) every call here is a no-op,
 * or the local operation.
 */
#ifndef ARCH_I386_SMP_H
#define ARCH_I386_SMP_H

#if LAB >= 5
#include <stdbool.h>
#include <stdint.h>

struct kstack;

/* Start every CPU the MADT lists (main() calls it after sched_init()).
 * Each AP sets up its GDT, TSS, %fs, IDT, LAPIC and timer, marks itself
 * online and calls sched_ap_main(), which never returns. A CPU that does
 * not come up within a bounded wait is reported and left out. */
void smp_start_aps(void);
/* The stack an AP booted on (sched_ap_main() adopts it for that CPU's
 * idle thread); NULL for the boot CPU, which has its own boot stack. */
struct kstack *smp_boot_stack(int cpu);
/* CPUs that came up (the boot CPU included). */
int smp_online_cpus(void);

/* An IPI whose handler only returns through trap(), where
 * sched_preempt() runs: "look at your run queue". */
void smp_send_resched(int cpu);
/* End `cpu`'s halt in cpu_halt_unless(): a spinlock waiter's turn has
 * come (kernel/sync/spin_halt.c). An NMI, which ends a hlt even with
 * interrupts off. */
void smp_send_wake(int cpu);

/* Run fn(arg) on `cpu`, from its IPI handler (interrupts off there), and
 * wait until it has returned. On this CPU: a plain call. False if the
 * CPU is not online or never answered. */
bool smp_call(int cpu, void (*fn)(void *), void *arg);
/* The same in two halves, for a caller that works meanwhile (tests:
 * "CPU 1 touches a page, CPU 0 unmaps it, CPU 1 touches it again").
 * fn runs with interrupts off: if it spins, it calls
 * tlb_shootdown_handle() in its loop. smp_call_wait: false if fn did not
 * return within a bounded wait. */
bool smp_call_start(int cpu, void (*fn)(void *), void *arg);
bool smp_call_wait(void);
/* From the T_IPI_CALL handler. */
void smp_call_handle(void);

/* Invalidate va's translation on this CPU and on every other online CPU,
 * and wait until they all did (a page table entry was cleared or lost
 * rights in a space several CPUs may be using). TLB_ALL: every
 * non-global entry (after many entries changed, as in fork). */
#define TLB_ALL ((uintptr_t)-1)
void tlb_shootdown(uintptr_t va);
/* Answer a pending shootdown aimed at this CPU, if any: the NMI handler
 * (shootdowns come by NMI, so a CPU spinning with interrupts off still
 * answers), and loops that wait for another CPU. Cheap: one load when
 * nothing is due. */
void tlb_shootdown_handle(void);
extern uint32_t tlb_shootdowns;     /* remote shootdowns sent, for `cpus` */
#endif /* LAB >= 5 */

#endif
