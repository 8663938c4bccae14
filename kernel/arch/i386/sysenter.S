/*
 * sysenter.S -- the fast system-call path: sysenter in, sysexit out.
 *
 * sysenter (Intel SDM vol. 2B) jumps to MSR_SYSENTER_EIP in ring 0 with
 * esp = MSR_SYSENTER_ESP and interrupts off; it saves *nothing* -- not
 * the user's eip, not its esp. So the user side (userland's syscall stub,
 * docs/abi.md) leaves them for us: its esp in ebp, and on its stack
 *     [ebp] = where to return.
 * The arguments stay in the registers, as for `int $0x80`: sysenter
 * changes none of them.
 *
 * We build the same struct trapframe that `int $0x80` makes (vector 0x80,
 * err 1 to say "sysenter") and call syscall_sysenter(tf), which reads
 * that word with copyin_word and runs the system call. Leaving, we
 * undo the frame and sysexit: eip = edx, esp = ecx, ring 3.
 */
#if LAB >= 4
#include "arch/i386/gdt.h"

        .text
        .global sysenter_entry
sysenter_entry:
        /* The MSR's esp is only a scratch stack: interrupts are off until
         * we have moved to this thread's own kernel stack, tss.esp0. */
#if LAB >= 5
        /* smp: this CPU's MSR_SYSENTER_ESP points at the word holding its
         * esp0 (syscall_arch.c), at the top of its own scratch stack. */
        movl (%esp), %esp
#else
        movl tss+4, %esp
#endif
        /* sysenter clears IF and VM, nothing else: a user may arrive with
         * NT set (then the kernel's next iret would try a task return and
         * fault) or TF (a single-step trap right here; trap() clears it).
         * The frame gets fixed flags, IF and the always-1 bit: the stub
         * is a C function call, after which the caller expects no flag
         * but DF = 0 (and sysexit itself returns with the kernel's flags,
         * never the frame's). The kernel runs with clean ones. */
        pushl $GDT_USER_DATA        /* ss */
        pushl %ebp                  /* esp: the user stub's */
        pushl $0x202                /* eflags for the frame: IF */
        pushl $0x2                  /* the kernel's own: only the always-1 bit */
        popfl
        pushl $GDT_USER_CODE        /* cs */
        pushl $0                    /* eip: syscall_sysenter() reads it */
        pushl $1                    /* err: 1 = entered by sysenter */
        pushl $0x80                 /* vector */
        pushal
        pushl %ds
        pushl %es
        pushl %fs
        pushl %gs
        movw $GDT_KERNEL_DATA, %ax
        movw %ax, %ds
        movw %ax, %es
#if LAB >= 5
        /* smp: this CPU's %fs, as in alltraps (the user's is in the frame). */
        str %ax
        addw $8, %ax
        movw %ax, %fs
#endif
        cld
        pushl %esp
        call syscall_sysenter
        addl $4, %esp
        /* syscall_sysenter() leaves err = 1 if we may sysexit (a frame
         * exec rewrote is still fine: sysexit sets eip and esp). */
        cmpl $1, 52(%esp)
        jne trap_return
        popl %gs
        popl %fs
        popl %es
        popl %ds
        popal
        addl $8, %esp               /* vector, err */
        movl (%esp), %edx           /* eip */
        movl 12(%esp), %ecx         /* esp */
        sti                         /* takes effect after sysexit */
        sysexit

        /* The scratch stack for the first instruction above -- and for a
         * single-step trap taken on it when the user set TF: the trap
         * frame, alltraps and trap() run here (trap.c clears TF). */
        .bss
        .align 16
        .global sysenter_scratch_top
        .skip 2048
sysenter_scratch_top:
#endif /* LAB >= 4 */
