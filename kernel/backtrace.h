/* backtrace.h -- walking the chain of saved frame pointers. */
#ifndef BACKTRACE_H
#define BACKTRACE_H

#include <stdint.h>

#define BACKTRACE_MAX 32

/* Every kernel stack lies below this address: it is where the kernel's
 * part of every address space ends (KERNEL_SPACE_END in
 * arch/i386/paging.h, lab 3). From lab 4 on, user programs' stacks lie
 * above it, and a chain can end in a user frame pointer: sysenter's fast
 * path leaves the user's ebp at the bottom of a system call's chain. A
 * walk never follows one: the program may have forged it, and the page
 * may not even be mapped (a process that is exiting). xv6's
 * getcallerpcs() stops at its KERNBASE for the same reason. */
#define BACKTRACE_END 0x40000000u

/* Fill pcs[] with the return addresses of the frames starting at frame
 * pointer `ebp`, innermost first; returns how many. Called as
 * backtrace_walk(cpu_read_ebp(), ...) from a function f, pcs[0] lies in
 * f's caller: f's own position is not a return address. */
int backtrace_walk(uintptr_t ebp, uintptr_t *pcs, int max);
/* Print "  #N 0xADDR function+0xOFF" lines for the given frames. */
void backtrace_print(const uintptr_t *pcs, int n);

#endif
