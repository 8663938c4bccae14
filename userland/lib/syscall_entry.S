/*
 * syscall_entry.S -- the two ways into the kernel.
 *
 *     long syscall_int80(long nr, long a1, long a2, long a3, long a4, long a5);
 *     long syscall_sysenter(long nr, long a1, long a2, long a3, long a4, long a5);
 *
 * Both load eax = nr and ebx, ecx, edx, esi, edi = a1..a5, enter the
 * kernel, and return what it leaves in eax: the result, or a negative
 * errno. Both reach the same system-call table (docs/abi.md).
 *
 * Registers: the C ABI lets a function clobber eax, ecx and edx, and
 * wants ebx, esi, edi and ebp back. Both stubs save ebx, esi and edi on
 * the stack before loading the arguments and restore them from there
 * afterwards, so they rely on the kernel to preserve only esp and ebp
 * (and, for sysenter, not even those: see below).
 */
        .text

/* The stack after the three saves below: the caller's arguments start
 * at 16(%esp) (12 bytes of saves + the return address). */
#define ARG(n) (16 + 4 * (n))(%esp)

        .global syscall_int80
        .type syscall_int80, @function
syscall_int80:
        pushl %ebx
        pushl %esi
        pushl %edi
        movl ARG(0), %eax
        movl ARG(1), %ebx
        movl ARG(2), %ecx
        movl ARG(3), %edx
        movl ARG(4), %esi
        movl ARG(5), %edi
        /* SAFETY: vector 0x80 is the kernel's one interrupt gate with
         * DPL 3; it returns here by iret with the result in eax and esp
         * and ebp as they were, which is all the code below relies on. */
        int $0x80
        popl %edi
        popl %esi
        popl %ebx
        ret
        .size syscall_int80, . - syscall_int80

/*
 * sysenter jumps to the kernel with no return address and no user esp
 * (the CPU takes both from MSRs), and sysexit returns to eip = edx,
 * esp = ecx. So the user side leaves the return address where the
 * kernel can find it, on the user stack, and points ebp at it:
 *
 *     ebp + 4:  the caller's ebp
 *     ebp + 0:  the address of label 1, where the kernel returns
 *
 * The kernel reads the return eip from [ebp] (the arguments it takes
 * from the registers, as int $0x80 does) and returns with sysexit:
 * eip = [ebp], esp = ebp + 4, result in eax. The pop at 1: restores the
 * caller's ebp; the saved ebx, esi, edi come off the stack after that.
 * sysexit clobbers ecx and edx, which the C ABI lets us lose. So the
 * kernel need not preserve any register but eax's result on this path.
 */
#undef ARG
#define ARG(n) (20 + 4 * (n))(%esp)   /* after four saves */

        .global syscall_sysenter
        .type syscall_sysenter, @function
syscall_sysenter:
        pushl %ebx
        pushl %esi
        pushl %edi
        pushl %ebp
        movl ARG(0), %eax
        movl ARG(1), %ebx
        movl ARG(2), %ecx
        movl ARG(3), %edx
        movl ARG(4), %esi
        movl ARG(5), %edi
        pushl $1f
        movl %esp, %ebp
        /* SAFETY: only called when the kernel said AT_SYSENTER = 1, i.e.
         * it has set the SYSENTER MSRs; the frame above is the one the
         * kernel expects (docs/abi.md), and it returns to 1: with
         * esp = ebp + 4 and the result in eax. */
        sysenter
1:      popl %ebp
        popl %edi
        popl %esi
        popl %ebx
        ret
        .size syscall_sysenter, . - syscall_sysenter

/*
 * The libc's own doors (libc.h: libc_syscallN, through libc_door):
 *
 *     in: eax = nr, ebx, ecx, edx, esi, edi = a1 .. a5 (only the call's own)
 *     out: eax = the result or -errno; every other register but esp and
 *          ebp may have changed (the kernel may change them: docs/abi.md)
 *
 * The kernel's own register convention as a function, so that a wrapper
 * loads its arguments straight into place and saves only the registers
 * it must keep (the compiler sees the clobbers). The two stubs above do
 * the same trap for C callers that pass all six words on the stack; they
 * stay as they are because t_paths and the GDB tests name them, and GDB
 * (tools/gdb/tpgdb/frames.py, SYSCALL_STUBS) unwinds all four by name.
 */
        .global int80_door
        .type int80_door, @function
int80_door:
        /* SAFETY: as in syscall_int80: the kernel's DPL-3 gate; it keeps
         * esp and ebp, and the caller declared every other register lost. */
        int $0x80
        ret
        .size int80_door, . - int80_door

/* The same frame as syscall_sysenter's: [ebp] = 1:, [ebp + 4] = the
 * caller's ebp; at 1: the return address into the wrapper is at esp + 4. */
        .global sysenter_door
        .type sysenter_door, @function
sysenter_door:
        pushl %ebp
        pushl $1f
        movl %esp, %ebp
        /* SAFETY: libc_door is this door only when the kernel said
         * AT_SYSENTER = 1 (syscall_path.c); it returns to 1: with
         * esp = ebp + 4 and the result in eax, and the caller declared
         * every other register lost. */
        sysenter
1:      popl %ebp
        ret
        .size sysenter_door, . - sysenter_door
