/* msr.h -- model-specific registers (rdmsr/wrmsr). */
#ifndef ARCH_I386_MSR_H
#define ARCH_I386_MSR_H

#include <stdint.h>

#define MSR_SYSENTER_CS  0x174
#define MSR_SYSENTER_ESP 0x175
#define MSR_SYSENTER_EIP 0x176
#define MSR_APIC_BASE    0x1B   /* local APIC: physical base, global enable */

static inline void wrmsr(uint32_t msr, uint64_t value)
{
    /* SAFETY: writes one MSR; callers only name MSRs this CPU has
     * (checked with cpuid first) and values valid for them. */
    __asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)value), "d"((uint32_t)(value >> 32)));
}

static inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    /* SAFETY: reads one MSR; as for wrmsr, callers only name MSRs this
     * CPU has (checked with cpuid first). */
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return (uint64_t)hi << 32 | lo;
}

#endif
