/*
 * threads.c -- thread_create(): running a C function on a new thread.
 *
 * The kernel starts a new thread at a user address `entry` with one
 * argument (docs/abi.md, "Threads"): esp = stack_top - 8, [esp] = 0 (no
 * return address), [esp+4] = arg. A thread that simply returned would
 * jump to 0, so the libc never hands the caller's function to the
 * kernel. It stores (fn, arg) at the top of the new stack and starts
 * thread_trampoline() with a pointer to them; the trampoline calls
 * fn(arg) and ends the thread with its result.
 */
#include <stdint.h>
#include <tidepool.h>

#include "libc.h"

struct thread_start {
    int (*fn)(void *arg);
    void *arg;
};

/*
 * force_align_arg_pointer: the kernel promises esp % 4 == 0 only, and GCC
 * assumes 16 at function entry; this makes the function realign its own
 * frame, so nothing under it depends on how the kernel aligned esp.
 */
__attribute__((noreturn, force_align_arg_pointer)) static void thread_trampoline(void *p)
{
    const struct thread_start *start = p;

    thread_exit(start->fn(start->arg));
}

#ifdef UNIKERNEL
/*
 * In a unikernel build (docs/unikernel.md) the thread runs in ring 0,
 * where a page fault pushes its frame on the faulting stack: a fault on
 * a stack page not mapped yet (a heap page before its first touch) has
 * nowhere to go and ends as a double fault. So the top RING0_STACK_READY
 * bytes of the new stack are read once here, from the caller's stack,
 * which maps any heap page among them. Deeper stacks must be touched by
 * the program itself.
 */
#define RING0_STACK_READY (16 * 1024)

static void stack_make_ready(uintptr_t top)
{
    for (uintptr_t a = top - RING0_STACK_READY; a < top; a = (a | 4095) + 1)
        /* SAFETY: integer -> pointer: a byte of the caller's stack
         * memory (the RING0_STACK_READY bytes below its top), only read. */
        (void)*(volatile const char *)a;
}
#endif

int thread_create(int (*fn)(void *arg), void *arg, void *stack_top)
{
    /* SAFETY: pointer -> integer -> pointer: only to round the caller's
     * stack top down to 16 bytes; the 16 bytes below it are the top of
     * the caller's stack memory, ours to use until the thread starts. */
    uintptr_t top = (uintptr_t)stack_top & ~(uintptr_t)15;
    struct thread_start *start = (struct thread_start *)(top - 16);

#ifdef UNIKERNEL
    stack_make_ready(top);
#endif
    start->fn = fn;
    start->arg = arg;
    /* SAFETY: function pointer -> integer: the kernel jumps to this user
     * address in the new thread. */
    long entry = (long)(uintptr_t)thread_trampoline;
    return (int)sys_result(libc_syscall(SYS_thread_create, entry, user_arg(start),
                                       user_arg(start), 0, 0));
}
