/*
 * unikernel.S -- the program carried by a unikernel build, and where its
 * threads start (kernel/unikernel.h, docs/unikernel.md). Empty unless
 * the build defines UNIKERNEL.
 */
#if LAB >= 4
#ifdef UNIKERNEL
        .section .rodata
        .balign 4
        .global unikernel_prog_start, unikernel_prog_end
unikernel_prog_start:
        .incbin UNIKERNEL_PROG_FILE
unikernel_prog_end:

/* Reached by user_entry's iret, in ring 0 on the thread's kernel stack,
 * with eax = the program's entry, ebx = its stack pointer, ecx = the
 * address of the libc's door (abi/unikernel_door.h; unikernel.c:
 * unikernel_frame). */
        .text
        .global unikernel_start
unikernel_start:
        /* SAFETY: ebx is the stack exec or thread_create gave the thread,
         * mapped and writable in this process's address space, which is
         * the one loaded (proc_switch); the code at eax expects exactly
         * the stack it would find in ring 3. */
        movl %ebx, %esp
        xorl %ebx, %ebx
        jmp *%eax
#endif /* UNIKERNEL */
#endif /* LAB >= 4 */
