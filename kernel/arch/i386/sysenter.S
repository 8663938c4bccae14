/*
 * sysenter.S -- the fast system-call path: sysenter in, sysexit out.
 *
 * sysenter (Intel SDM vol. 2B) jumps to MSR_SYSENTER_EIP in ring 0 with
 * esp = MSR_SYSENTER_ESP and interrupts off; it saves *nothing* -- not
 * the user's eip, not its esp. So the user side (userland's syscall stub,
 * docs/abi.md) leaves them for us: its esp in ebp, and on its stack
 *     [ebp] = where to return,  [ebp+4] = edx (arg 3),  [ebp+8] = ecx (arg 2)
 * because sysexit needs edx and ecx for eip and esp.
 *
 * We build the same struct trapframe that `int $0x80` makes (vector 0x80,
 * err 1 to say "sysenter") and call syscall_sysenter(tf), which reads
 * those three words with copyin and runs the system call. Leaving, we
 * undo the frame and sysexit: eip = edx, esp = ecx, ring 3.
 */
#if LAB >= 4
#include "arch/i386/gdt.h"

        .text
        .global sysenter_entry
sysenter_entry:
        /* The MSR's esp is only a scratch stack: interrupts are off until
         * we have moved to this thread's own kernel stack, tss.esp0. */
        movl tss+4, %esp
        /* sysenter clears IF and VM, nothing else: a user may arrive with
         * NT set (then the kernel's next iret would try a task return and
         * fault) or TF (a single-step trap right here; trap() clears it).
         * Keep the user's flags for the frame, minus those two, and run
         * the kernel with clean ones. */
        pushl $GDT_USER_DATA        /* ss */
        pushl %ebp                  /* esp: the user stub's */
        pushfl
        andl $~0x4100, (%esp)       /* eflags for the frame: without NT (0x4000) and TF (0x100) */
        orl $0x200, (%esp)          /* and with IF on, as the user had it */
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
