/* backtrace.h -- walking the chain of saved frame pointers. */
#ifndef BACKTRACE_H
#define BACKTRACE_H

#include <stdint.h>

#define BACKTRACE_MAX 32

/* Fill pcs[] with the return addresses of the frames starting at frame
 * pointer `ebp`, innermost first; returns how many. Called as
 * backtrace_walk(cpu_read_ebp(), ...) from a function f, pcs[0] lies in
 * f's caller: f's own position is not a return address. */
int backtrace_walk(uintptr_t ebp, uintptr_t *pcs, int max);
/* Print "  #N 0xADDR function+0xOFF" lines for the given frames. */
void backtrace_print(const uintptr_t *pcs, int n);

#endif
