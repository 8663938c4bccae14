/*
 * fpu.c -- saving and restoring user threads' x87/SSE registers.
 *
 * Intel SDM vol. 1, 10.5 (fxsave) and vol. 3A, 13.1 (what CR0.EM/MP/NE
 * and CR4.OSFXSR/OSXMMEXCPT mean). A CPU without FXSR (a 486 model) uses
 * fnsave/frstor, which save the x87 registers only.
 */
#if LAB >= 4
#include "arch/i386/fpu.h"
#include "console.h"
#include <string.h>

bool fpu_has_fxsr;
static uint8_t initial_state[512] __attribute__((aligned(16)));

static void cpuid1(uint32_t *ecx, uint32_t *edx)
{
    uint32_t eax = 1, ebx;
    /* SAFETY: cpuid only reads CPU identification into registers. */
    __asm__ volatile("cpuid" : "+a"(eax), "=b"(ebx), "=c"(*ecx), "=d"(*edx));
}

/* CR0 and CR4 are per CPU: each CPU sets its own (fpu_init_cpu on an AP). */
static void fpu_enable(bool sse)
{
    /* SAFETY: CR0: clear EM (no emulation), set MP and NE (native x87
     * errors); CR4: OSFXSR and OSXMMEXCPT when the CPU has them, so that
     * user SSE code runs. The kernel never uses these registers itself. */
    __asm__ volatile("movl %%cr0, %%eax\n\t"
                     "andl $~0x4, %%eax\n\t"
                     "orl $0x22, %%eax\n\t"
                     "movl %%eax, %%cr0" : : : "eax");
    if (fpu_has_fxsr) {
        uint32_t bits = 0x200 | (sse ? 0x400 : 0);
        /* SAFETY: sets the CR4 bits chosen above. */
        __asm__ volatile("movl %%cr4, %%eax\n\t"
                         "orl %0, %%eax\n\t"
                         "movl %%eax, %%cr4" : : "r"(bits) : "eax");
    }
}

#if LAB >= 5
void fpu_init_cpu(void)
{
    uint32_t ecx, edx;
    cpuid1(&ecx, &edx);
    fpu_enable(edx & (1u << 25));
    /* SAFETY: fninit resets this CPU's x87 unit. */
    __asm__ volatile("fninit");
}
#endif

void fpu_init(void)
{
    uint32_t ecx, edx;
    cpuid1(&ecx, &edx);
    fpu_has_fxsr = edx & (1u << 24);
    bool sse = edx & (1u << 25);
    fpu_enable(sse);
    /* SAFETY: fninit resets the x87 unit; fpu_save then records that
     * clean state as every new thread's starting point. */
    __asm__ volatile("fninit");
    fpu_save(initial_state);
    kprintf("fpu: %s\n", fpu_has_fxsr ? (sse ? "x87 and SSE, fxsave" : "x87, fxsave")
                                      : "x87 only, fnsave");
}

void fpu_init_state(uint8_t *buf)
{
    memcpy(buf, initial_state, sizeof initial_state);
}
#endif /* LAB >= 4 */
