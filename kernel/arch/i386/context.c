/*
 * context.c -- a new thread's first context.
 *
 * A thread that has never run has no context_switch() call to return
 * from, so we fake one: at the top of its stack goes a struct context
 * whose eip is the thread's entry function. The first switch to it pops
 * the (zero) registers and "returns" into entry().
 *
 *   stack_top ->
 *                 0            entry's return address: none (ends backtraces)
 *                 eip = entry  \
 *                 ebp = 0       |  struct context: what context_switch()
 *                 ebx, esi = 0  |  pops; ebp 0 also ends the frame chain
 *   saved esp ->  edi = 0      /
 *
 * With stack_top 16-byte aligned, entry() starts with esp + 4 aligned to
 * 16, as after a call from aligned code (the i386 ABI's rule).
 */
#if LAB >= 4
#include "arch/i386/context.h"
#include "lab.h"
#include "panic.h"
#include <string.h>

struct context *context_init(uintptr_t stack_top, void (*entry)(void))
{
#if SOLVED >= 4
    /* SAFETY: integer -> pointer: stack_top is the end of a freshly
     * mapped, writable kernel stack that no thread runs on yet. */
    uint32_t *sp = (uint32_t *)stack_top;
    *--sp = 0;              /* entry's return address: none */
    struct context *c = (struct context *)sp - 1;
    memset(c, 0, sizeof *c);
    /* SAFETY: function pointer -> integer, the address ret jumps to. */
    c->eip = (uint32_t)(uintptr_t)entry;
    return c;
#else
    /* LAB 4 exercise 1: lay out a struct context just below stack_top,
     * with eip = entry and the registers zero, and one zero word above
     * it: entry()'s return address, 0 so that backtraces end there.
     * Return a pointer to the context. */
    (void)stack_top; (void)entry;
    LAB_TODO(4, 1, "context_init()");
    return NULL;
#endif
}

#if SOLVED < 4
/* switch.S jumps here while its exercise is open. */
void context_switch_missing(void)
{
    panic("LAB 4 exercise 1: context_switch() (kernel/arch/i386/switch.S) is not written yet");
}
#endif
#endif /* LAB >= 4 */
