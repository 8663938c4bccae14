/*
 * context.h -- what a thread that is not running leaves on its stack.
 *
 * A thread stops running only inside context_switch(), which is a C
 * function call: the compiler already saved every caller-saved register
 * (eax, ecx, edx) around the call, so the switch saves exactly the
 * callee-saved ones (the i386 System V ABI: ebx, esi, edi, ebp) and the
 * stack pointer. The registers are pushed on the thread's own stack; the
 * thread keeps only a pointer to them.
 */
#ifndef ARCH_I386_CONTEXT_H
#define ARCH_I386_CONTEXT_H

#if LAB >= 4
#include <stdint.h>

/* The stack at the saved esp, lowest address first: the order in which
 * switch.S pops. `eip` is the return address of the call to
 * context_switch(). */
struct context {
    uint32_t edi;
    uint32_t esi;
    uint32_t ebx;
    uint32_t ebp;
    uint32_t eip;
};

/* Save the running thread's context on its stack and store a pointer to
 * it in *save; then load `load` and return into the thread it belongs to.
 * Returns, much later, when another switch loads *save again. Call with
 * interrupts off. (switch.S) */
void context_switch(struct context **save, struct context *load);

/* Build a first context at the top of a fresh stack, such that the first
 * context_switch() to it "returns" into entry() with an empty frame chain
 * (a backtrace of the new thread ends at entry). NULL until lab 4's
 * exercise 1 is done. (context.c) */
struct context *context_init(uintptr_t stack_top, void (*entry)(void));
#endif /* LAB >= 4 */

#endif
