/*
 * doublefault.c -- a task gate for #DF, so a stack overflow is reported.
 *
 * When the kernel runs off its stack into the guard page, the page fault
 * cannot be delivered: the CPU would push the exception frame onto the
 * same unmapped page. That second fault is a double fault, and if #DF used
 * the same stack too, the third fault would reset the machine. So #DF
 * goes through a *task gate*: the CPU saves the broken state into the
 * current TSS (tss, gdt.c), loads a second TSS with a stack of its own,
 * and runs double_fault_task() there. (Intel SDM vol. 3A, 7.3 and 6.15,
 * "Interrupt 8".) Lab 4's thread stacks get guard pages too.
 */
#if LAB >= 3
#include "arch/i386/doublefault.h"
#include "arch/i386/cpu.h"
#include "arch/i386/gdt.h"
#include "arch/i386/idt.h"
#include "arch/i386/paging.h"
#include "backtrace.h"
#include "console.h"
#include "panic.h"
#if LAB >= 4
#include "proc/thread.h"
#endif

#if LAB >= 5
/* One double-fault task per CPU. While a task runs its TSS is busy, and a
 * task gate to a busy TSS raises #GP: had the CPUs one task between them,
 * a second CPU's #DF while the first is reporting would end in a triple
 * fault, and the machine would reset with the report unwritten. */
#define DF_TASKS MAX_CPUS
#else
#define DF_TASKS 1
#endif
static struct tss df_tss[DF_TASKS];
static uint8_t df_stack[DF_TASKS][8192] __attribute__((aligned(16)));

extern char boot_stack_guard[];

/* The selector of CPU cpu's double-fault task, which its #DF gate names. */
static uint16_t df_selector(int cpu)
{
#if LAB >= 5
    return GDT_CPU_DF_TSS(cpu);
#else
    (void)cpu;
    return GDT_DF_TSS;
#endif
}

struct idt_gate doublefault_gate(int cpu)
{
    /* A task gate: present, DPL 0, type 5; its offset is unused. */
    return idt_make_gate(0, df_selector(cpu), GATE_PRESENT | 0x05);
}

/* The CPU whose double-fault task this is: the task register names the
 * task running now. */
static int df_cpu(void)
{
#if LAB >= 5
    uint16_t tr;
    /* SAFETY: str only reads the task register. */
    __asm__ volatile("str %0" : "=r"(tr));
    return (tr >> 3) - GDT_CPU_DF_FIRST;
#else
    return 0;
#endif
}

/* The TSS the task switch saved the broken state into: the faulting
 * CPU's own (the back link of its df_tss names it). */
static struct tss *interrupted_tss(int cpu)
{
#if LAB >= 5
    /* The task switch loaded df_tss's flat %fs: this CPU's per-CPU
     * segment instead, for this_cpu() (locks, kprintf). */
    /* SAFETY: GDT_CPU_FS(cpu) is this CPU's per-CPU data segment
     * (gdt.c): the task register says which CPU runs this task. */
    __asm__ volatile("movw %w0, %%fs" : : "r"(GDT_CPU_FS(cpu)) : "memory");
    return cpus[cpu].tss;
#else
    (void)cpu;
    return &tss;
#endif
}

#if LAB >= 5
int doublefault_expected = 1;
static int df_arrived, df_reported, df_report_flag;
#define DF_WAIT_LOOPS (1u << 28)    /* about seconds under QEMU: a bound, not a delay */

/* Before reporting: wait (a bounded while) until doublefault_expected
 * CPUs are in their double-fault tasks, then take the one report slot.
 * Outside the test that sets it to 2 (selftest=smp-stackoverflow) nobody
 * waits: one CPU is expected and it has arrived. */
static void df_wait_and_take_report(void)
{
    int arrived = __atomic_add_fetch(&df_arrived, 1, __ATOMIC_ACQ_REL);
    for (uint32_t n = 0; arrived < doublefault_expected && n < DF_WAIT_LOOPS; n++) {
        cpu_pause();
        arrived = __atomic_load_n(&df_arrived, __ATOMIC_ACQUIRE);
    }
    while (__atomic_exchange_n(&df_report_flag, 1, __ATOMIC_ACQUIRE))
        cpu_pause();
}

/* After a report: the last CPU to report panics; the others hand the
 * slot on and stop, so that every report is out before the panic's. */
static void df_report_done(void)
{
    int reported = ++df_reported;       /* under df_report_flag */
    if (reported < __atomic_load_n(&df_arrived, __ATOMIC_ACQUIRE)) {
        __atomic_store_n(&df_report_flag, 0, __ATOMIC_RELEASE);
        cpu_stop();
    }
}
#endif

static __attribute__((noreturn)) void double_fault_task(void)
{
    /* The interrupted state is in that TSS, saved by the task switch. */
    int cpu = df_cpu();
    struct tss *broken = interrupted_tss(cpu);
#if LAB >= 5
    df_wait_and_take_report();
#endif
    /* SAFETY: pointer -> integer, to compare with the guard page. */
    uintptr_t guard = (uintptr_t)boot_stack_guard;
#if LAB >= 4
    struct thread *t = thread_overflowed_at(broken->esp);
    if (t != NULL)
        kprintf("double fault: kernel stack overflow: esp 0x%08x in the guard page of "
                "thread %d '%s' (guard 0x%08x-0x%08x, stack 0x%08x-0x%08x)\n", broken->esp,
                t->tid, t->name, (unsigned)(t->stack.base - t->stack.guard),
                (unsigned)t->stack.base - 1, (unsigned)t->stack.base, (unsigned)t->stack.top - 1);
    else
#endif
    if (broken->esp >= guard - PAGE_SIZE && broken->esp < guard + PAGE_SIZE)
        kprintf("double fault: kernel stack overflow: esp 0x%08x in the guard page "
                "0x%08x-0x%08x\n", broken->esp, (unsigned)guard, (unsigned)(guard + PAGE_SIZE - 1));
    else
        kprintf("double fault: esp 0x%08x\n", broken->esp);
    kprintf("  at eip 0x%08x; backtrace of the overflowing code:\n", broken->eip);
    uintptr_t pcs[BACKTRACE_MAX];
    pcs[0] = broken->eip + 1;
    backtrace_print(pcs, 1 + backtrace_walk(broken->ebp, pcs + 1, 8));
#if LAB >= 5
    kprintf("  on CPU %d\n", cpu);
    df_report_done();
#endif
#if LAB >= 4
    if (t != NULL)
        panic("double fault: kernel stack overflow in thread %d '%s' at eip 0x%08x", t->tid,
              t->name, broken->eip);
#endif
    panic("double fault (kernel stack overflow?) at eip 0x%08x", broken->eip);
}

/* Double-fault task i: a TSS that starts double_fault_task() on a stack
 * of its own, in the kernel's address space (cr3), and its descriptor. */
static void df_task_init(int i, uint32_t cr3)
{
    struct tss *t = &df_tss[i];
    t->cr3 = cr3;
    /* SAFETY: function pointer and array address -> integers for the
     * TSS fields the CPU loads eip and esp from. */
    t->eip = (uint32_t)(uintptr_t)double_fault_task;
    t->esp = (uint32_t)(uintptr_t)(df_stack[i] + sizeof df_stack[i]);
    t->cs = GDT_KERNEL_CODE;
    t->ds = t->es = t->fs = t->gs = t->ss = GDT_KERNEL_DATA;
    t->eflags = 0x2;                    /* reserved bit 1; interrupts off */
    t->iomap_base = sizeof *t;
    /* SAFETY: pointer -> integer for the descriptor's base. */
    gdt[df_selector(i) >> 3] = gdt_encode((uint32_t)(uintptr_t)t, sizeof *t - 1,
                                          SEG_PRESENT | SEG_TSS32, 0);
}

void doublefault_init(void)
{
    uint32_t cr3;
    /* SAFETY: reads CR3 (the kernel's page directory) for the new tasks. */
    __asm__ volatile("movl %%cr3, %0" : "=r"(cr3));
    for (int i = 0; i < DF_TASKS; i++)
        df_task_init(i, cr3);
    /* The boot CPU's gate; each AP's IDT gets its own (idt_load_cpu). */
    idt[8] = doublefault_gate(0);
}
#endif /* LAB >= 3 */
