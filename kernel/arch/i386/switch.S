/*
 * switch.S -- the context switch: from one thread's stack to another's.
 *
 *     void context_switch(struct context **save, struct context *load);
 *
 * The caller saved eax, ecx and edx already (they are caller-saved in the
 * C ABI), and the return address is on its stack. Push the four
 * callee-saved registers next to it, which makes a struct context
 * (context.h), remember where it is, and take the other thread's stack
 * and registers instead. The `ret` then returns into whatever call of
 * context_switch() the other thread made -- or, for a new thread, into
 * the entry point that context_init() placed there.
 */
#if LAB >= 4
        .text
        .global context_switch
        .type context_switch, @function
context_switch:
#if SOLVED >= 4
        movl 4(%esp), %eax          /* save */
        movl 8(%esp), %edx          /* load */
        pushl %ebp
        pushl %ebx
        pushl %esi
        pushl %edi
        movl %esp, (%eax)           /* *save = the context just pushed */
        movl %edx, %esp             /* now on the other thread's stack */
        popl %edi
        popl %esi
        popl %ebx
        popl %ebp
        ret
#else
        /* LAB 4 exercise 1: push the callee-saved registers (ebp, ebx,
         * esi, edi: the reverse of struct context's order), store esp in
         * *save, load esp from `load`, pop the same registers, ret. The
         * arguments are at 4(%esp) and 8(%esp) before you push anything. */
        jmp context_switch_missing
#endif
        .size context_switch, . - context_switch
#endif /* LAB >= 4 */
