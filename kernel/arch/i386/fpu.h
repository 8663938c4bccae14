/*
 * fpu.h -- the x87/SSE registers of user threads.
 *
 * The kernel itself never touches them (-mgeneral-regs-only), so only
 * user threads have FPU state, and it is saved and restored when the CPU
 * switches from one user thread to another (eagerly: simple, and the
 * tests compute with doubles in two processes at once).
 */
#ifndef ARCH_I386_FPU_H
#define ARCH_I386_FPU_H

#if LAB >= 4
#include <stdbool.h>
#include <stdint.h>

/* Turn the FPU on (CR0, CR4.OSFXSR) and record a clean state. */
void fpu_init(void);
#if LAB >= 5
/* The same control-register set-up on an AP (after fpu_init on CPU 0). */
void fpu_init_cpu(void);
#endif
/* A fresh thread's registers: the state after fninit. buf: 512 bytes,
 * 16-byte aligned. */
void fpu_init_state(uint8_t *buf);
/* Does this CPU have fxsave/fxrstor (and so SSE registers)? */
extern bool fpu_has_fxsr;

/* Save this CPU's registers into buf / load them from it. Inline: every
 * switch between user threads runs both (docs/bench.md). */
static inline void fpu_save(uint8_t *buf)
{
    /* SAFETY: buf is 512 bytes, 16-byte aligned (struct thread's
     * fpu_state); fnsave also reinitializes the x87, which is fine:
     * whoever uses it next restores their own state first. */
    if (fpu_has_fxsr)
        __asm__ volatile("fxsave (%0)" : : "r"(buf) : "memory");
    else
        __asm__ volatile("fnsave (%0)" : : "r"(buf) : "memory");
}

static inline void fpu_restore(const uint8_t *buf)
{
    /* SAFETY: buf holds an image fpu_save() wrote (or the initial one). */
    if (fpu_has_fxsr)
        __asm__ volatile("fxrstor (%0)" : : "r"(buf) : "memory");
    else
        __asm__ volatile("frstor (%0)" : : "r"(buf) : "memory");
}
#endif /* LAB >= 4 */

#endif
