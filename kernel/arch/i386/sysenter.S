/*
 * sysenter.S -- the fast system-call path: sysenter in, sysexit out.
 *
 * sysenter (Intel SDM vol. 2B) jumps to MSR_SYSENTER_EIP in ring 0 with
 * esp = MSR_SYSENTER_ESP and interrupts off; it saves *nothing* -- not
 * the user's eip, not its esp. So the user side (userland's syscall stub,
 * docs/abi.md) leaves them for us: its esp in ebp, and on its stack
 *     [ebp] = where to return.
 * The arguments stay in the registers, as for `int $0x80`: sysenter
 * changes none of them. We leave with sysexit: eip = edx, esp = ecx
 * (= ebp + 4: the stub pops its own ebp), ring 3.
 *
 * Two ways through:
 *  - the fast path (sysenter_entry, from lab 4 solved on): saves only
 *    what the way back needs -- the user's ds and es, its return eip,
 *    eax -- pushes the five arguments and calls the handler from
 *    syscall_table directly. No struct trapframe, no C in between.
 *    It is taken when nothing needs more: the call's handler exists and
 *    does not use the trap frame (fork, execve: sysenter_full_calls),
 *    tracing is off (trace.c records each call on the full path), and
 *    ebp points into user space. After the call, a process that is
 *    ending (exit, a fault, kill) stops here, as on the full path.
 *  - the full path (sysenter_full): the same struct trapframe that
 *    `int $0x80` makes (vector 0x80, err 1 to say "sysenter"), and
 *    syscall_sysenter(tf) in C reads the return address with copyin and
 *    runs the system call through syscall_run(), like int $0x80 does.
 *
 * Until ds is the kernel's, every memory operand says %ss: the user may
 * have loaded anything into ds (a null selector: then a plain load
 * would #GP in ring 0); ss is the kernel's, from MSR_SYSENTER_CS + 8.
 */
#if LAB >= 4
#include "arch/i386/gdt.h"
#include "arch/i386/sysenter.h"
#include "abi/syscall.h"

        .text
        .global sysenter_entry
sysenter_entry:
        /* The MSR's esp is only a scratch stack: interrupts are off until
         * we have moved to this thread's own kernel stack, tss.esp0. */
        SYSENTER_LOAD_ESP0          /* sysenter.h */
#if SOLVED >= 4
        /* ---- the fast path. It is lab 4 exercise 5's dispatch again, in
         * assembly: a handout keeps only the full path, where the
         * student writes that dispatch (syscall_run). ---- */
        cmpl $SYS_MAX, %eax
        jae sysenter_full
        btl %eax, %ss:sysenter_full_calls   /* no handler, or one that needs tf */
        jc sysenter_full
        cmpb $0, %ss:trace_on               /* tracing records on the full path */
        jne sysenter_full
        cmpl $SYSENTER_USER_BASE, %ebp      /* [ebp, ebp + 4) in user space? */
        jb sysenter_full
        cmpl $(USER_TOP - 4), %ebp
        ja sysenter_full
        pushl %ds
        pushl %es
        SYSENTER_PUSH_USER_FS       /* lab 5 on: sysenter.h */
.Lload_eip:
        pushl (%ebp)        /* the user's return address (ss:ebp); a fault
                             * resumes at .Lload_fault (usercopy_fixup) */
        pushl %eax          /* nr: for GDB (tasks, ktrace) */
        pushl %edi          /* a5 .. a1, the handler's arguments */
        pushl %esi
        pushl %edx
        pushl %ecx
        pushl %ebx
        movl $GDT_KERNEL_DATA, %ecx
        movl %ecx, %ds
        movl %ecx, %es
        SYSENTER_LOAD_KERNEL_FS     /* lab 5 on: this CPU's %fs */
        /* Clean flags for the kernel (DF = 0 for C; and no NT, which a
         * later iret of this thread would take for a task return: the
         * context switch does not save eflags). The user gets IF and
         * the always-1 bit back, as on the full path. */
        pushl $0x2
        popfl
        lock incl syscalls_by_sysenter      /* several CPUs count here */
        sti                 /* a system call may take long, or block */
        call *syscall_table(, %eax, 4)
        cli
        /* A process that is ending stops here (proc_return_to_user). */
        SYSENTER_CURRENT_THREAD_ECX         /* ecx = current_thread */
        movl THREAD_PROC(%ecx), %ecx
        cmpb $0, PROCESS_EXITING(%ecx)
        jne .Lexiting
        addl $SYSENTER_FRAME_EIP, %esp      /* the arguments and nr */
        popl %edx           /* eip, for sysexit */
        SYSENTER_POP_USER_FS
        popl %es
        popl %ds
        leal 4(%ebp), %ecx  /* esp, for sysexit: above the return address */
        sti                 /* takes effect after sysexit */
        sysexit

.Lexiting:
        pushl $0
        call proc_thread_exit               /* never returns */

        /* The load of the return address faulted (usercopy_fixup sent us
         * here; the push did not happen): undo the two pushes, and let the
         * full path find the bad stack again and say so. */
.Lload_fault:
        SYSENTER_POP_USER_FS
        popl %es
        popl %ds
        jmp sysenter_full

        .section .rodata
        .align 4
        .global sysenter_fixup
sysenter_fixup:
        .long .Lload_eip, .Lload_fault
        .text
#else
        .section .rodata
        .align 4
        .global sysenter_fixup
sysenter_fixup:
        .long 0, 0          /* no fast path: no load to fix */
        .text
#endif /* SOLVED >= 4 */

        /* ---- the full path ---- */
        .global sysenter_full
sysenter_full:
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
        xorl %ebp, %ebp             /* the chain ends here, as in alltraps */
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
