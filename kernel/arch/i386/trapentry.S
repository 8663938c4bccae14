/*
 * trapentry.S -- the first instructions of every interrupt and exception.
 *
 * The CPU enters through the IDT gate of vector v with (from ring 0)
 * eflags, cs, eip and, for some exceptions, an error code on the stack.
 * Each vector gets a tiny stub that makes the frame uniform -- it pushes a
 * 0 where the CPU pushed no error code, then the vector number -- and
 * jumps to alltraps, which saves the rest as a struct trapframe
 * (trapframe.h) and calls trap(tf) in C.
 * Intel SDM vol. 3A, 6.12 "Exception and interrupt handling", and
 * table 6-1 for which exceptions push an error code.
 */
#if LAB >= 2
#include "arch/i386/gdt.h"

/* A stub for a vector without a CPU error code. */
.macro TRAP_NOERR vector
        .global trap_vector\vector
trap_vector\vector:
        pushl $0
        pushl $\vector
        jmp alltraps
.endm

/* A stub for a vector where the CPU pushed an error code already. */
.macro TRAP_ERR vector
        .global trap_vector\vector
trap_vector\vector:
        pushl $\vector
        jmp alltraps
.endm

        .text
#if SOLVED >= 2
        TRAP_NOERR 0            /* #DE divide error */
        TRAP_NOERR 1            /* #DB debug */
        TRAP_NOERR 2            /* NMI */
        TRAP_NOERR 3            /* #BP breakpoint (int3) */
        TRAP_NOERR 4            /* #OF overflow */
        TRAP_NOERR 5            /* #BR bound range */
        TRAP_NOERR 6            /* #UD invalid opcode */
        TRAP_NOERR 7            /* #NM device not available */
        TRAP_ERR   8            /* #DF double fault (error code 0) */
        TRAP_NOERR 9            /* coprocessor segment overrun (reserved) */
        TRAP_ERR   10           /* #TS invalid TSS */
        TRAP_ERR   11           /* #NP segment not present */
        TRAP_ERR   12           /* #SS stack fault */
        TRAP_ERR   13           /* #GP general protection */
        TRAP_ERR   14           /* #PF page fault */
        TRAP_NOERR 15           /* reserved */
        TRAP_NOERR 16           /* #MF x87 floating point */
        TRAP_ERR   17           /* #AC alignment check */
        TRAP_NOERR 18           /* #MC machine check */
        TRAP_NOERR 19           /* #XM SIMD floating point */
        TRAP_NOERR 20           /* #VE virtualization */
        TRAP_ERR   21           /* #CP control protection */
#else
        /* LAB 2 exercise 1: one stub per CPU exception 0..21, TRAP_ERR for
         * the vectors where the CPU pushes an error code (SDM 3A table 6-1:
         * 8, 10-14, 17, 21), TRAP_NOERR for the others. Until then, every
         * exception lands in the "unexpected" stub below. */
        .irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21
        .global trap_vector\v
        .set trap_vector\v, trap_unexpected
        .endr
#endif
        /* 22..31 are reserved by Intel: no CPU sends them. */
        .irp v, 22,23,24,25,26,27,28,29,30,31
        TRAP_NOERR \v
        .endr
        /* 32..47: the 16 IRQ lines of the two 8259 PICs (pic.c). */
        .irp v, 32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47
        TRAP_NOERR \v
        .endr
#if LAB >= 5
        /* 48..63: the local APIC's timer, IPIs and spurious vector (idt.h). */
        .irp v, 48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63
        TRAP_NOERR \v
        .endr
#endif

#if SOLVED < 2
trap_unexpected:
        pushl $0
        pushl $255              /* "no stub": trap() reports it */
        jmp alltraps
#endif

/* Save what the stub and the CPU did not: the general registers and the
 * data segments; switch to the kernel's data segments (the trap may come
 * from ring 3, lab 4); call trap(tf); undo it all and iret. */
        .global alltraps
alltraps:
        pushal
        pushl %ds
        pushl %es
        pushl %fs
        pushl %gs
        movw $GDT_KERNEL_DATA, %ax
        movw %ax, %ds
        movw %ax, %es
#if LAB >= 4
        /* From ring 3 (the frame's cs, 60 bytes up), ebp is the user's:
         * zero it, so that the kernel's frame-pointer chain ends at trap()
         * and a backtrace never follows it into user memory, which may be
         * gone by then (exit). popal restores the user's ebp. From ring 0
         * the chain goes on through the interrupted kernel code. */
        testl $3, 60(%esp)
        jz 1f
        xorl %ebp, %ebp
1:
#endif
#if LAB >= 5
        /* This CPU's per-CPU segment (this_cpu()): the user may have put
         * anything in %fs (saved above, in the frame). Its selector is
         * the task register's + 8 (gdt.h). */
        str %ax
        addw $8, %ax
        movw %ax, %fs
#endif
        cld                     /* the C ABI wants DF=0 */
        pushl %esp              /* trap(struct trapframe *tf) */
        call trap
        addl $4, %esp
        .global trap_return
trap_return:
        popl %gs
#if LAB >= 5
        /* Back to ring 3: the user's %fs from the frame. Back into the
         * kernel: keep the %fs we have -- the frame's may be another
         * CPU's, if the thread was switched out inside trap() and now
         * resumes here. Except after an NMI (vector 2, a TLB shootdown:
         * smp.c), which never switches threads and may have interrupted
         * this very code between its `popl %fs` and its iret: the frame's
         * %fs is then the one to restore. 44 = vector, 56 = cs, with fs
         * still on top of the frame. */
        cmpl $2, 44(%esp)
        je 3f
        testl $3, 56(%esp)
        jz 1f
3:      popl %fs
        jmp 2f
1:      addl $4, %esp
2:
#else
        popl %fs
#endif
        popl %es
        popl %ds
        popal
        addl $8, %esp           /* the vector and the error code */
        iret

#if LAB >= 4
/* 128 (0x80): the system call, reachable from ring 3 (syscall_arch.c). */
        TRAP_NOERR 128

/* A new user thread's first "return": context_init() left a zero word
 * below its trap frame (made by fork or exec); drop it, release the
 * scheduler's lock that the switch to us held (sched_first_run, a C call:
 * it keeps ebx, esi, edi, ebp, and the frame is below esp untouched), and
 * leave through the trap frame, into ring 3 -- unless the process was
 * killed before this thread first ran: proc_return_to_user(tf) ends the
 * thread then, as on every other way back to ring 3 (the kill's wake-up
 * passed over it: it was not blocked, only waiting to run). */
        .global user_entry
user_entry:
        addl $4, %esp
        call sched_first_run
        pushl %esp
        call proc_return_to_user
        addl $4, %esp
        jmp trap_return
#endif

/* The stubs' addresses, in vector order, for idt_init(). */
        .section .rodata
        .align 4
        .global trap_vectors
trap_vectors:
        .irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23
        .long trap_vector\v
        .endr
        .irp v, 24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47
        .long trap_vector\v
        .endr
#if LAB >= 5
        .irp v, 48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63
        .long trap_vector\v
        .endr
#endif
#endif /* LAB >= 2 */
