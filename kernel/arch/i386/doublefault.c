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
#include "arch/i386/gdt.h"
#include "arch/i386/idt.h"
#include "arch/i386/paging.h"
#include "backtrace.h"
#include "console.h"
#include "panic.h"
#if LAB >= 4
#include "proc/thread.h"
#endif

static struct tss df_tss;
static uint8_t df_stack[8192] __attribute__((aligned(16)));

extern char boot_stack_guard[];

/* The TSS the task switch saved the broken state into: the faulting
 * CPU's. The back link of df_tss names it (lab 5: one TSS per CPU; the
 * double-fault task itself is shared, so two CPUs double-faulting at
 * once would find it busy and reset the machine). */
static struct tss *interrupted_tss(void)
{
#if LAB >= 5
    for (int i = 0; i < MAX_CPUS; i++)
        if (df_tss.prev_task == (uint32_t)GDT_CPU_TSS(i)) {
            /* The task switch loaded df_tss's flat %fs: this CPU's
             * per-CPU segment instead, for this_cpu() (locks, kprintf). */
            /* SAFETY: GDT_CPU_FS(i) is CPU i's per-CPU data segment
             * (gdt.c), and CPU i is the one running this task. */
            __asm__ volatile("movw %w0, %%fs" : : "r"(GDT_CPU_FS(i)) : "memory");
            return cpus[i].tss;
        }
#endif
    return &tss;
}

static __attribute__((noreturn)) void double_fault_task(void)
{
    /* The interrupted state is in that TSS, saved by the task switch. */
    struct tss *broken = interrupted_tss();
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
#if LAB >= 4
    if (t != NULL)
        panic("double fault: kernel stack overflow in thread %d '%s' at eip 0x%08x", t->tid,
              t->name, broken->eip);
#endif
    panic("double fault (kernel stack overflow?) at eip 0x%08x", broken->eip);
}

void doublefault_init(void)
{
    uint32_t cr3;
    /* SAFETY: reads CR3 (the kernel's page directory) for the new task. */
    __asm__ volatile("movl %%cr3, %0" : "=r"(cr3));
    df_tss.cr3 = cr3;
    /* SAFETY: function pointer and array address -> integers for the TSS
     * fields the CPU loads eip and esp from. */
    df_tss.eip = (uint32_t)(uintptr_t)double_fault_task;
    df_tss.esp = (uint32_t)(uintptr_t)(df_stack + sizeof df_stack);
    df_tss.cs = GDT_KERNEL_CODE;
    df_tss.ds = df_tss.es = df_tss.fs = df_tss.gs = df_tss.ss = GDT_KERNEL_DATA;
    df_tss.eflags = 0x2;                /* reserved bit 1; interrupts off */
    df_tss.iomap_base = sizeof df_tss;
    /* SAFETY: pointer -> integer for the descriptor's base. */
    gdt[GDT_DF_TSS >> 3] = gdt_encode((uint32_t)(uintptr_t)&df_tss, sizeof df_tss - 1,
                                      SEG_PRESENT | SEG_TSS32, 0);
    /* A task gate: present, DPL 0, type 5; its offset is unused. */
    idt[8] = idt_make_gate(0, GDT_DF_TSS, GATE_PRESENT | 0x05);
}
#endif /* LAB >= 3 */
