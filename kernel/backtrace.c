/*
 * backtrace.c -- who called whom.
 *
 * With -fno-omit-frame-pointer every function starts with
 *     push %ebp; mov %esp, %ebp
 * so each frame holds, at its frame pointer:
 *     [ebp + 4]  the return address into the caller
 *     [ebp + 0]  the caller's saved ebp   -> the next frame
 * _start (boot.S) pushes ebp = 0 and a return address of 0, which ends
 * the chain.
 */
#include "backtrace.h"
#include "console.h"
#include "symbols.h"
#include "arch/i386/cpu.h"
#include "lab.h"

int backtrace_walk(uintptr_t ebp, uintptr_t *pcs, int max)
{
    int n = 0;
#if SOLVED >= 1
    while (n < max && ebp != 0 && ebp < BACKTRACE_END && ebp % 4 == 0) {
        /* SAFETY: integer -> pointer. ebp is a frame pointer of the chain
         * that starts at a live frame: non-null, aligned and in the
         * kernel's part of memory (checked: backtrace.h), and
         * stacks grow down, so each saved ebp lies above the one before
         * (checked below) and inside the same stack. */
        const uintptr_t *frame = (const uintptr_t *)ebp;
        uintptr_t return_address = frame[1];
        if (return_address == 0)
            break;
        pcs[n++] = return_address;
        if (frame[0] <= ebp)        /* a chain that goes down is corrupt */
            break;
        ebp = frame[0];
    }
#else
    /* LAB 1 exercise 4: follow the chain of saved frame pointers from ebp
     * and store each frame's return address ([ebp + 4]) in pcs[], at most
     * max of them. Stop at ebp == 0, at an ebp that is not below
     * BACKTRACE_END (backtrace.h), or at a return address of 0 (see
     * boot.S), and never follow a saved ebp that is not above the current
     * one. Return how many you stored. */
    (void)ebp; (void)pcs; (void)max;
    LAB_TODO(1, 4, "backtrace_walk()");
#endif
    return n;
}

void backtrace_print(const uintptr_t *pcs, int n)
{
    for (int i = 0; i < n; i++) {
        uintptr_t offset = 0;
        /* A return address is the instruction after the call, which may
         * already be the next function when the call was the last one
         * (noreturn). Name the call instruction's function: addr - 1. */
        const char *name = ksym_lookup(pcs[i] - 1, &offset);
        kprintf("  #%d 0x%08x %s+0x%x\n", i, pcs[i], name ? name : "??",
                (unsigned)(offset + 1));
    }
}
