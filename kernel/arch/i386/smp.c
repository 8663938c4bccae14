/*
 * smp.c -- starting the other CPUs, and the IPIs between them (smp.h).
 *
 * Start-up (Intel SDM vol. 3A, 8.4.4.1, "Typical BSP initialization
 * sequence"): for each AP in the MADT, one at a time, INIT then STARTUP
 * with the trampoline's page; a second STARTUP only if the AP has not
 * checked in after the first. The SDM's fixed delays (10 ms after INIT,
 * 200 us after each STARTUP) are for the 82489DX and early Pentiums;
 * CPUs since the P6 and QEMU need none (Linux skips them on family >= 6
 * too), so the boot CPU polls the AP's flag instead, for a bounded number
 * of loops: a CPU that never shows up is reported and left out.
 */
#if LAB >= 5
#include "arch/i386/cpu.h"
#include "arch/i386/smp.h"
#include "arch/i386/fpu.h"
#include "arch/i386/gdt.h"
#include "arch/i386/idt.h"
#include "arch/i386/intc.h"
#include "arch/i386/irq.h"
#include "arch/i386/lapic.h"
#include "arch/i386/paging.h"
#include "arch/i386/percpu.h"
#include "arch/i386/syscall_arch.h"
#include "mm/kstack.h"
#include "console.h"
#include "multiboot.h"
#include "panic.h"
#include "trap.h"
#include "proc/sched.h"
#include <string.h>

/* Polls before giving up on an AP, or on an IPI's answer. A poll is a
 * few guest instructions; under TCG with 4 vCPUs on 2 loaded host cores
 * a vCPU may not run for a long while, hence the size. An AP's start
 * waits longest (a few seconds of TCG per SIPI, paid only by a CPU that
 * never comes): one that gave up too soon on a loaded host made a lab-5
 * test run on fewer CPUs than it was booted with. */
#define AP_WAIT_LOOPS   (1u << 28)
#define IPI_WAIT_LOOPS  (1u << 28)

extern char trampoline_start[], trampoline_end[];

/* Read by ap_entry32 (trampoline.S) and ap_main, one AP at a time. */
uint32_t ap_boot_cr3, ap_boot_esp;
static int ap_booting;                  /* the cpus[] index starting now */
static int ap_alive;                    /* set by the AP, atomically */
static struct kstack ap_stacks[MAX_CPUS];
static uint32_t trampoline_pa;

uint32_t tlb_shootdowns;

/* ---- the AP's side ---- */

void ap_main(void);

void ap_main(void)
{
    int id = ap_booting;
    gdt_init_cpu(id);           /* from here on this_cpu() works */
    idt_load_cpu(id);           /* with its own double-fault task */
    fpu_init_cpu();
    tss_set_kernel_stack(ap_boot_esp);
    syscall_arch_init_cpu(id);
    lapic_init_cpu(false);
    lapic_timer_start();
    __atomic_store_n(&this_cpu()->online, true, __ATOMIC_RELEASE);
    __atomic_store_n(&ap_alive, 1, __ATOMIC_RELEASE);
    sched_ap_main();            /* sched.c: this flow becomes the CPU's idle thread */
}

/* ---- the boot CPU's side ---- */

static bool page_is_free_low_ram(uint32_t pa)
{
    bool usable = false;
    for (int i = 0; i < boot_info.nregions; i++) {
        const struct mem_region *r = &boot_info.regions[i];
        if (r->type == MB_MMAP_USABLE && r->base <= pa && pa + PAGE_SIZE <= r->base + r->length)
            usable = true;
    }
    for (int i = 0; i < boot_info.nloader_ranges; i++)
        if (boot_info.loader_ranges[i].start < pa + PAGE_SIZE && boot_info.loader_ranges[i].end > pa)
            return false;
    for (int i = 0; i < boot_info.nmodules; i++)
        if (boot_info.modules[i].start < pa + PAGE_SIZE && boot_info.modules[i].end > pa)
            return false;
    return usable;
}

/* A page below 1 MiB for the trampoline: usable RAM that the loader does
 * not use. pmm_init() reserves all of the first MiB, so the frame
 * allocator never hands it out; the direct map covers it (va == pa). */
static bool trampoline_install(void)
{
    for (uint32_t pa = 0x8000; pa < 0x9F000; pa += PAGE_SIZE) {
        if (!page_is_free_low_ram(pa))
            continue;
        trampoline_pa = pa;
        /* SAFETY: integer -> pointer through the direct map; the page is
         * reserved RAM that nothing else uses (checked above). */
        memcpy((void *)(uintptr_t)pa, trampoline_start,
               (size_t)(trampoline_end - trampoline_start));
        return true;
    }
    return false;
}

static bool wait_alive(void)
{
    for (uint32_t i = 0; i < AP_WAIT_LOOPS; i++) {
        if (__atomic_load_n(&ap_alive, __ATOMIC_ACQUIRE))
            return true;
        cpu_pause();
    }
    return false;
}

static bool start_ap(int id)
{
    if (!kstack_alloc(&ap_stacks[id])) {
        kprintf("smp: no stack for CPU %d\n", id);
        return false;
    }
    ap_booting = id;
    ap_boot_esp = (uint32_t)ap_stacks[id].top;
    __atomic_store_n(&ap_alive, 0, __ATOMIC_RELEASE);
    uint8_t apic_id = cpus[id].apic_id;
    if (!lapic_send_init(apic_id))
        return false;
    for (int sipi = 0; sipi < 2; sipi++) {
        if (!lapic_send_startup(apic_id, trampoline_pa))
            return false;
        if (wait_alive())
            return true;
    }
    lapic_send_init(apic_id);   /* back to wait-for-SIPI: it must not wake later */
    return false;
}

void smp_start_aps(void)
{
    if (ncpus <= 1 || !lapic_present())
        return;
    if (!trampoline_install()) {
        kprintf("smp: no free page below 1 MiB for the trampoline: one CPU\n");
        ncpus = 1;
        return;
    }
    /* SAFETY: pointer -> integer: the kernel's page directory is a
     * direct-mapped frame (va == pa), which is what CR3 takes. */
    ap_boot_cr3 = (uint32_t)(uintptr_t)kernel_as.pd;
    int up = 1;
    uint64_t cycles = 0;
    for (int id = 1; id < ncpus; id++) {
        uint64_t t0 = cpu_read_tsc();
        bool ok = start_ap(id);
        cycles += cpu_read_tsc() - t0;
        if (ok)
            up++;
        else
            kprintf("smp: CPU %d (APIC id %u) did not start; going on without it\n", id,
                    cpus[id].apic_id);
    }
    kprintf("smp: %d of %d CPUs online (trampoline at 0x%x), %u TSC cycles per AP start\n",
            up, ncpus, (unsigned)trampoline_pa, (unsigned)(cycles / (uint64_t)(ncpus - 1)));
}

struct kstack *smp_boot_stack(int cpu)
{
    return cpu > 0 && cpu < MAX_CPUS && ap_stacks[cpu].top != 0 ? &ap_stacks[cpu] : NULL;
}

int smp_online_cpus(void)
{
    int n = 0;
    for (int i = 0; i < ncpus; i++)
        n += __atomic_load_n(&cpus[i].online, __ATOMIC_ACQUIRE);
    return n;
}

static bool cpu_online(int cpu)
{
    return cpu >= 0 && cpu < ncpus && __atomic_load_n(&cpus[cpu].online, __ATOMIC_ACQUIRE);
}

void smp_send_resched(int cpu)
{
    if (cpu == cpu_id() || !cpu_online(cpu) || !lapic_present())
        return;
    lapic_send_ipi(cpus[cpu].apic_id, T_IPI_RESCHED);
}

void smp_send_wake(int cpu)
{
    if (cpu == cpu_id() || !cpu_online(cpu) || !lapic_present())
        return;
    lapic_send_nmi(cpus[cpu].apic_id);
}

/* ---- cross-CPU requests: one at a time, under a flag ---- */

/* A plain test-and-set flag, not a struct spinlock: a CPU waiting for it
 * must keep answering the requests of the CPU that holds it
 * (tlb_shootdown_handle), which a spinlock's loop would not. */
static int request_flag;

static void request_lock(void)
{
    while (__atomic_exchange_n(&request_flag, 1, __ATOMIC_ACQUIRE)) {
        tlb_shootdown_handle();
        cpu_pause();
    }
}

static void request_unlock(void)
{
    __atomic_store_n(&request_flag, 0, __ATOMIC_RELEASE);
}

/* Send `vector` (T_NMI: an NMI) to every online CPU in `mask` and wait
 * until each has cleared its bit in *pending. */
static bool ipi_and_wait(uint32_t mask, uint32_t *pending, uint8_t vector)
{
    for (int i = 0; i < ncpus; i++)
        if (mask & (1u << i)) {
            if (vector == T_NMI)
                lapic_send_nmi(cpus[i].apic_id);
            else
                lapic_send_ipi(cpus[i].apic_id, vector);
        }
    for (uint32_t n = 0; n < IPI_WAIT_LOOPS; n++) {
        if (__atomic_load_n(pending, __ATOMIC_ACQUIRE) == 0)
            return true;
        cpu_pause();
    }
    return false;
}

/* ---- TLB shootdown ---- */

static uintptr_t shootdown_va;
static uint32_t shootdown_pending;      /* one bit per CPU still to invalidate */

static void tlb_flush_local(uintptr_t va)
{
    if (va != TLB_ALL) {
        tlb_invalidate_local(va);
        return;
    }
    uint32_t cr3;
    /* SAFETY: reloading CR3 with its own value drops every non-global
     * TLB entry; the address space stays the same. */
    __asm__ volatile("movl %%cr3, %0\n\tmovl %0, %%cr3" : "=r"(cr3) : : "memory");
}

void tlb_shootdown_handle(void)
{
    uint32_t bit = 1u << this_cpu()->id;
    if (!(__atomic_load_n(&shootdown_pending, __ATOMIC_ACQUIRE) & bit))
        return;
    tlb_flush_local(__atomic_load_n(&shootdown_va, __ATOMIC_RELAXED));
    __atomic_fetch_and(&shootdown_pending, ~bit, __ATOMIC_RELEASE);
}

static uint32_t other_online_cpus(void)
{
    uint32_t mask = 0;
    int self = cpu_id();
    for (int i = 0; i < ncpus; i++)
        if (i != self && cpu_online(i))
            mask |= 1u << i;
    return mask;
}

void tlb_shootdown(uintptr_t va)
{
    tlb_flush_local(va);
    if (ncpus <= 1 || !lapic_present())
        return;
    /* Interrupts off: this CPU must stay the one whose bit is left out,
     * and an interrupt handler's own shootdown must not nest in here. */
    uint32_t s = irq_save();
    request_lock();
    uint32_t mask = other_online_cpus();
    if (mask != 0) {
        shootdown_va = va;
        __atomic_store_n(&shootdown_pending, mask, __ATOMIC_RELEASE);
        tlb_shootdowns++;
        /* An NMI, not a maskable IPI: a CPU spinning with interrupts off
         * (on a lock this CPU holds, say) still invalidates and answers,
         * so the two cannot wait for each other. */
        if (!ipi_and_wait(mask, &shootdown_pending, T_NMI))
            panic("tlb_shootdown(0x%08x): CPUs 0x%x never invalidated", (unsigned)va,
                  __atomic_load_n(&shootdown_pending, __ATOMIC_RELAXED));
    }
    request_unlock();
    irq_restore(s);
}

/* ---- running a function on another CPU ---- */

/* One call at a time, under its own flag (not request_flag: the called
 * function may shoot down a TLB entry, or wait for this CPU to). */
static int call_flag;
static void (*call_fn)(void *);
static void *call_arg;
static uint32_t call_pending;

void smp_call_handle(void)
{
    uint32_t bit = 1u << this_cpu()->id;
    if (!(__atomic_load_n(&call_pending, __ATOMIC_ACQUIRE) & bit))
        return;
    call_fn(call_arg);
    __atomic_fetch_and(&call_pending, ~bit, __ATOMIC_RELEASE);
}

bool smp_call_start(int cpu, void (*fn)(void *), void *arg)
{
    if (cpu == cpu_id() || !cpu_online(cpu) || !lapic_present())
        return false;
    while (__atomic_exchange_n(&call_flag, 1, __ATOMIC_ACQUIRE)) {
        tlb_shootdown_handle();
        cpu_pause();
    }
    call_fn = fn;
    call_arg = arg;
    __atomic_store_n(&call_pending, 1u << cpu, __ATOMIC_RELEASE);
    lapic_send_ipi(cpus[cpu].apic_id, T_IPI_CALL);
    return true;
}

bool smp_call_wait(void)
{
    bool done = false;
    for (uint32_t n = 0; n < IPI_WAIT_LOOPS && !done; n++) {
        done = __atomic_load_n(&call_pending, __ATOMIC_ACQUIRE) == 0;
        tlb_shootdown_handle();
        cpu_pause();
    }
    __atomic_store_n(&call_pending, 0, __ATOMIC_RELEASE);
    __atomic_store_n(&call_flag, 0, __ATOMIC_RELEASE);
    return done;
}

bool smp_call(int cpu, void (*fn)(void *), void *arg)
{
    if (cpu == cpu_id()) {
        fn(arg);
        return true;
    }
    return smp_call_start(cpu, fn, arg) && smp_call_wait();
}
#endif /* LAB >= 5 */
