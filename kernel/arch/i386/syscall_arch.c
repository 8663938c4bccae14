/*
 * syscall_arch.c -- the two doors from ring 3 into the kernel's system calls.
 *
 * `int $0x80`: an IDT gate with DPL 3 (every other gate has DPL 0, so
 * `int N` from user mode for any other N raises #GP instead). sysenter:
 * three MSRs say where it lands (sysenter.S), if the CPU has SEP.
 */
#if LAB >= 4
#include "arch/i386/syscall_arch.h"
#include "arch/i386/gdt.h"
#include "arch/i386/idt.h"
#include "arch/i386/msr.h"
#include "console.h"

bool sysenter_enabled;

extern char trap_vector128[], sysenter_entry[], sysenter_scratch_top[];

/* CPUID.1:EDX.SEP, minus the Pentium Pro quirk (family 6, model < 3,
 * stepping < 3 reports SEP without having it). SDM 2B, "SYSENTER". */
static bool cpu_has_sysenter(void)
{
    uint32_t eax = 1, ebx, ecx, edx;
    /* SAFETY: cpuid only reads CPU identification into registers. */
    __asm__ volatile("cpuid" : "+a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx));
    uint32_t family = (eax >> 8) & 0xF, model = (eax >> 4) & 0xF, stepping = eax & 0xF;
    if (family == 6 && model < 3 && stepping < 3)
        return false;
    return edx & (1u << 11);
}

#if LAB >= 5
/* smp: each CPU's sysenter lands on its own scratch stack, whose top word
 * holds that CPU's esp0 (tss_set_kernel_stack() keeps it equal to the
 * TSS's): sysenter.S's first instruction is `movl (%esp), %esp`. A
 * single-step trap before it pushes onto the scratch stack below. */
static struct sysenter_stack {
    uint8_t stack[2048];
    uint32_t esp0;
} __attribute__((aligned(16))) sysenter_stacks[MAX_CPUS];

void syscall_arch_init_cpu(int cpu)
{
    if (!sysenter_enabled)
        return;
    struct sysenter_stack *s = &sysenter_stacks[cpu];
    s->esp0 = cpus[cpu].tss->esp0;
    cpus[cpu].sysenter_esp0 = &s->esp0;
    wrmsr(MSR_SYSENTER_CS, GDT_KERNEL_CODE);
    /* SAFETY: addresses -> integers for the MSRs the CPU loads esp and
     * eip from on sysenter; s lives as long as the kernel (static). */
    wrmsr(MSR_SYSENTER_ESP, (uint32_t)(uintptr_t)&s->esp0);
    wrmsr(MSR_SYSENTER_EIP, (uint32_t)(uintptr_t)sysenter_entry);
}
#endif

void syscall_arch_init(void)
{
    /* SAFETY: function address -> integer for the gate's offset. */
    idt[T_SYSCALL] = idt_make_gate((uint32_t)(uintptr_t)trap_vector128, GDT_KERNEL_CODE,
                                   GATE_PRESENT | GATE_DPL(3) | GATE_INT32);
#if LAB >= 5
    (void)sysenter_scratch_top;
    sysenter_enabled = cpu_has_sysenter();
    syscall_arch_init_cpu(0);
#else
    if (cpu_has_sysenter()) {
        wrmsr(MSR_SYSENTER_CS, GDT_KERNEL_CODE);
        /* SAFETY: addresses -> integers for the MSRs the CPU loads esp
         * and eip from on sysenter. */
        wrmsr(MSR_SYSENTER_ESP, (uint32_t)(uintptr_t)sysenter_scratch_top);
        wrmsr(MSR_SYSENTER_EIP, (uint32_t)(uintptr_t)sysenter_entry);
        sysenter_enabled = true;
    }
#endif
    kprintf("syscall: int $0x80%s\n", sysenter_enabled ? " and sysenter" : " (no sysenter on this CPU)");
}
#endif /* LAB >= 4 */
