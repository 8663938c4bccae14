/*
 * trap.c -- the one C entry point of every interrupt and exception.
 *
 * trapentry.S builds a struct trapframe and calls trap(tf). IRQs go to the
 * handler registered for their line, followed by an end-of-interrupt to
 * the PIC; exceptions from kernel mode are bugs: trap() prints everything
 * it knows (registers, the faulting address, the decoded error code, the
 * backtrace across the trap) and panics. int3 is the exception that
 * returns: a breakpoint, counted and reported, and execution goes on.
 */
#if LAB >= 2
#include "trap.h"
#include "backtrace.h"
#include "console.h"
#include "panic.h"
#include <stdio.h>
#include "arch/i386/idt.h"
#include "arch/i386/intc.h"
#include "arch/i386/irq.h"
#include "arch/i386/percpu.h"
#include "arch/i386/pic.h"
#include "arch/i386/pit.h"
#include "arch/i386/serial.h"
#if LAB >= 3
#include "arch/i386/paging.h"
#endif
#if LAB >= 5
#include "arch/i386/idle.h"
#include "arch/i386/lapic.h"
#include "arch/i386/smp.h"
#endif
#if LAB >= 4
#include "proc/process.h"
#include "proc/sched.h"
#include "proc/syscall.h"
#include "proc/thread.h"
#include "mm/usercopy.h"
#include "mm/uvm.h"
#include "abi/syscall.h"
#include "abi/wait.h"
#include "arch/i386/syscall_arch.h"
#include "trace.h"
#endif

uint32_t trap_counts[256];
uint32_t spurious_irqs;

static irq_handler_t irq_handlers[16];
static int irq_acknowledged[16];   /* irq_end_early() was called */
static struct expected_trap *expected;

static const char *const exception_names[] = {
    "divide error", "debug", "NMI", "breakpoint", "overflow", "BOUND range exceeded",
    "invalid opcode", "device not available", "double fault",
    "coprocessor segment overrun", "invalid TSS", "segment not present",
    "stack fault", "general protection", "page fault", "reserved",
    "x87 floating-point error", "alignment check", "machine check",
    "SIMD floating-point error", "virtualization exception", "control protection",
};

const char *trap_name(uint32_t vector)
{
    if (vector < sizeof exception_names / sizeof exception_names[0])
        return exception_names[vector];
    if (vector >= T_IRQ0 && vector < T_IRQ0 + 16)
        return "hardware interrupt";
#if LAB >= 5
    if (vector == T_LAPIC_TIMER)
        return "local APIC timer";
    if (vector >= T_IPI_RESCHED && vector <= T_IPI_CALL)
        return "IPI";
    if (vector == T_LAPIC_SPURIOUS)
        return "local APIC spurious";
#endif
    if (vector == T_NO_STUB)
        return "exception without a stub (LAB 2 exercise 1)";
    return "reserved";
}

static uint32_t read_cr2(void)
{
    uint32_t cr2;
    /* SAFETY: reads a control register; no side effects. */
    __asm__ volatile("movl %%cr2, %0" : "=r"(cr2));
    return cr2;
}

void irq_register(int irq, irq_handler_t handler)
{
    irq_handlers[irq] = handler;
    intc_unmask(irq);
}

/* Every end of interrupt goes through intc_eoi(): the 8259 (labs 2-4, one
 * CPU) or the local APIC (lab 5 with the I/O APIC); see intc.h. */
void irq_end_early(int irq)
{
    intc_eoi(irq);
    irq_acknowledged[irq] = 1;
    irq_enable();
}

static void irq_dispatch(int irq, struct trapframe *tf)
{
    if (intc_is_spurious(irq)) {
        spurious_irqs++;
        intc_eoi(irq);       /* pic_send_eoi knows what a spurious 7 or 15 needs */
        return;
    }
    irq_acknowledged[irq] = 0;
    if (irq_handlers[irq] != NULL)
        irq_handlers[irq](tf);
    if (!irq_acknowledged[irq])
        intc_eoi(irq);
    irq_acknowledged[irq] = 0;
}

void trap_expect(struct expected_trap *e)
{
    if (e != NULL)
        e->hit = 0;
    expected = e;       /* NULL: expect nothing any more */
}

/* A test announced this trap: record it and resume where it said. */
static int trap_was_expected(struct trapframe *tf)
{
    if (expected == NULL || expected->vector != tf->vector)
        return 0;
    expected->frame = *tf;
    expected->cr2 = tf->vector == T_PGFLT ? read_cr2() : 0;
    expected->hit = 1;
    tf->eip = expected->resume_eip;
    expected = NULL;
    return 1;
}

static void print_trapframe(const struct trapframe *tf)
{
    kprintf("trap %u (%s) at eip 0x%08x, error code 0x%x\n", tf->vector,
            trap_name(tf->vector), tf->eip, tf->err);
    kprintf("  eax 0x%08x  ebx 0x%08x  ecx 0x%08x  edx 0x%08x\n",
            tf->eax, tf->ebx, tf->ecx, tf->edx);
    kprintf("  esi 0x%08x  edi 0x%08x  ebp 0x%08x  esp 0x%08x\n",
            tf->esi, tf->edi, tf->ebp, tf->esp_at_pusha + 20);
    kprintf("  cs 0x%04x  ds 0x%04x  es 0x%04x  fs 0x%04x  gs 0x%04x  eflags 0x%08x\n",
            tf->cs, tf->ds, tf->es, tf->fs, tf->gs, tf->eflags);
    if (tf->vector == T_PGFLT)
        kprintf("  cr2 0x%08x: %s of a %s page in %s mode\n", read_cr2(),
                tf->err & PF_WRITE ? "write" : "read",
                tf->err & PF_PRESENT ? "protected" : "not-present",
                tf->err & PF_USER ? "user" : "kernel");
    else if (tf->vector == T_GPFLT && tf->err != 0)
        kprintf("  selector 0x%x (%s)\n", tf->err & ~7u,
                tf->err & 2 ? "IDT" : tf->err & 4 ? "LDT" : "GDT");
}

/* The kernel broke: report with a backtrace that starts at the faulting
 * instruction and continues through the interrupted frames. */
static void trap_kernel_fault(struct trapframe *tf)
{
    print_trapframe(tf);
    uintptr_t pcs[BACKTRACE_MAX];
    pcs[0] = tf->eip + 1;   /* backtrace_print names pc - 1 */
    int n = 1 + backtrace_walk(tf->ebp, pcs + 1, BACKTRACE_MAX - 1);
    kprintf("Backtrace at the fault:\n");
    backtrace_print(pcs, n);
    panic("unhandled %s in kernel mode at eip 0x%08x", trap_name(tf->vector), tf->eip);
}

#if LAB >= 4
/* A page fault on a user address that the process's memory explains
 * (from the program, or from copyin/copyout in the kernel): a write to a
 * present copy-on-write page, or the first touch of a heap page. */
static bool user_page_fault_resolved(struct trapframe *tf)
{
    uintptr_t addr = read_cr2();
    struct process *p = proc_current();
    if (p == NULL || p->as == NULL || addr < USER_BASE || addr >= USER_TOP)
        return false;
    if (!(tf->err & PF_PRESENT))
        return proc_heap_fault(p, addr);
    if (tf->err & PF_WRITE)
        return proc_write_fault(p, addr);   /* copy-on-write, or out of memory */
    return false;
}

/* sysenter keeps TF: a user that single-steps into it traps on the
 * kernel's first instruction, on sysenter's scratch stack. Go on without
 * TF (the user loses its single step over the system call). */
static bool sysenter_single_step(struct trapframe *tf)
{
    extern char sysenter_entry[];
    /* SAFETY: pointer -> integer, compared with the saved eip. */
    if (trap_from_user(tf) || tf->eip != (uint32_t)(uintptr_t)sysenter_entry)
        return false;
    tf->eflags &= ~0x100u;
    return true;
}

/* An exception from ring 3 that nothing resolved: say what the program
 * did, in one line, and end it with the matching "signal". */
static void user_fault(struct trapframe *tf)
{
    char what[96];
    int sig = SIGSEGV;
    if (tf->vector == T_PGFLT) {
        uintptr_t addr = read_cr2();
        snprintf(what, sizeof what, "page fault at 0x%08x (%s, %s), eip 0x%08x",
                 (unsigned)addr, tf->err & PF_WRITE ? "write" : "read",
                 tf->err & PF_PRESENT ? "protection" : "not present", tf->eip);
    } else if (tf->vector == T_GPFLT) {
        snprintf(what, sizeof what, "general protection fault at eip 0x%08x (error 0x%x)",
                 tf->eip, tf->err);
    } else {
        snprintf(what, sizeof what, "%s at eip 0x%08x", trap_name(tf->vector), tf->eip);
        if (tf->vector == T_DIVIDE)
            sig = SIGFPE;
        else if (tf->vector == T_ILLOP)
            sig = SIGILL;
    }
    proc_fault(tf, sig, what);
}
#endif

#if LAB >= 5
/* An AP takes part in scheduling once sched_ap_main() has made its boot
 * flow a thread (cpus[].thread set); before that -- or parked by smp.c's
 * stand-in -- it only answers IPIs, and must not touch the scheduler. */
static bool cpu_schedules(const struct cpu *c)
{
    return c->id == 0 || c->thread != NULL;
}

/* The local APIC's own vectors: this CPU's timer, IPIs, spurious. */
static void lapic_dispatch(struct trapframe *tf)
{
    switch (tf->vector) {
    case T_LAPIC_TIMER:
        this_cpu()->ticks++;
        lapic_timer_tick();
        lapic_eoi();
        if (cpu_schedules(this_cpu()))
            sched_tick(tf);     /* an AP's time slice (CPU 0's: the PIT, pit.c) */
        break;
    case T_IPI_RESCHED:
        this_cpu()->ipis++;
        lapic_eoi();            /* sched_preempt() below does the work */
        break;
    case T_IPI_TLB:
        this_cpu()->ipis++;
        tlb_shootdown_handle();
        lapic_eoi();
        break;
    case T_IPI_CALL:
        this_cpu()->ipis++;
        smp_call_handle();
        lapic_eoi();
        break;
    case T_LAPIC_SPURIOUS:
        spurious_irqs++;        /* no EOI for a spurious one (SDM 11.9) */
        break;
    default:
        lapic_eoi();
        break;
    }
}

static bool is_lapic_vector(uint32_t vector)
{
    return vector >= T_LAPIC_TIMER && vector <= T_LAPIC_SPURIOUS;
}
#endif

static bool is_interrupt(uint32_t vector)
{
#if LAB >= 5
    if (is_lapic_vector(vector))
        return true;
#endif
    return vector >= T_IRQ0 && vector < T_IRQ0 + 16;
}

void trap(struct trapframe *tf)
{
#if LAB >= 5
    /* With several CPUs an NMI is a TLB shootdown (smp.c) or the wake-up
     * of a halted spinlock waiter (spin_halt.c). It may arrive anywhere,
     * locks held included: do only that, before anything that could take
     * a lock (trace_event, kprintf). */
    if (tf->vector == T_NMI && intc_mode != INTC_PIC) {
        tlb_shootdown_handle();
        cpu_halt_window_skip(tf);
        return;
    }
#endif
    trap_counts[tf->vector & 0xFF]++;
    if (is_interrupt(tf->vector)) {
        struct cpu *cpu = this_cpu();
#if LAB >= 4
        trace_event(TR_IRQ_ENTER, tf->vector);
#endif
        cpu->interrupts++;
        cpu->irq_depth++;
#if LAB >= 5
        if (is_lapic_vector(tf->vector))
            lapic_dispatch(tf);
        else
#endif
        irq_dispatch((int)(tf->vector - T_IRQ0), tf);
        cpu->irq_depth--;       /* still `cpu`: no thread switch inside a handler */
#if LAB >= 4
        trace_event(TR_IRQ_EXIT, tf->vector);
        /* The EOI is sent. Switching threads is safe only here, leaving
         * the outermost interrupt: a nested one would leave the handler
         * it interrupted half done while another thread runs. */
        if (cpu->irq_depth == 0)
#if LAB >= 5
            if (cpu_schedules(cpu))
#endif
            sched_preempt();
        if (trap_from_user(tf))
            proc_return_to_user(tf);
#endif
        return;
    }
#if LAB >= 4
    if (tf->vector == T_SYSCALL) {
        syscall_dispatch(tf);
        proc_return_to_user(tf);
        return;
    }
    trace_event(tf->vector == T_PGFLT ? TR_FAULT : TR_TRAP,
                tf->vector == T_PGFLT ? read_cr2() : tf->vector);
    if (tf->vector == T_PGFLT && vm_sync_kernel_pde(read_cr2()))
        return;                 /* a kernel table made after this address space */
    if (tf->vector == T_PGFLT && user_page_fault_resolved(tf)) {
        if (trap_from_user(tf))
            proc_return_to_user(tf);
        return;
    }
#endif
    if (trap_was_expected(tf))
        return;
#if LAB >= 4
    if (tf->vector == T_DEBUG && sysenter_single_step(tf))
        return;
#endif
#if LAB >= 3
    if (tf->vector == T_PGFLT && vm_handle_fault(read_cr2(), tf->err))
        return;
#endif
    if (tf->vector == T_BRKPT) {
        /* int3 leaves eip after itself: returning continues the program. */
        kprintf("breakpoint at eip 0x%08x\n", tf->eip - 1);
        return;
    }
#if LAB >= 4
    if (trap_from_user(tf)) {
        if (tf->vector == T_PGFLT)
            trace_event(TR_FAULT_FATAL, read_cr2());
        user_fault(tf);             /* the process dies, the kernel goes on */
        proc_return_to_user(tf);
        return;
    }
    if (tf->vector == T_PGFLT && usercopy_fixup(tf))
        return;                     /* copyin/copyout: -EFAULT, not a panic */
#else
    if (trap_from_user(tf))
        /* Lab 4 kills the faulting task instead; until there are tasks,
         * there is no ring 3 to come from. */
        panic("exception %u (%s) from user mode, eip 0x%08x", tf->vector,
              trap_name(tf->vector), tf->eip);
#endif
    trap_kernel_fault(tf);
}

bool trap_init(void)
{
    if (!idt_init())
        return false;
    intc_init();
    pit_init(pit_hz ? pit_hz : PIT_DEFAULT_HZ);
    irq_enable();
    kprintf("trap: interrupts on, timer at %u Hz\n", pit_hz);
    return true;
}
#endif /* LAB >= 2 */
