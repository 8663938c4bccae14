/*
 * crt0.S -- where every user program starts: _start.
 *
 * execve() leaves the new program's stack like this (docs/abi.md has the
 * whole picture), with esp pointing at argc:
 *
 *     esp -> argc
 *            argv[0] ... argv[argc-1], NULL
 *            envp[0] ... NULL
 *            auxv: (type, value) pairs ..., AT_NULL, 0
 *            ...the strings they point to, up to USER_STACK_TOP
 *
 * C cannot read its own stack pointer, so this stub hands it to
 * libc_start(sp) (start.c), which finds argv, envp and auxv, sets up the
 * libc, calls main and exits with its result. It never returns.
 */
        .section .text.start, "ax"
        .global _start
        .type _start, @function
_start:
        /* SAFETY: the kernel enters here in ring 3 with esp pointing at
         * argc on a writable stack (docs/abi.md) and nothing else set up;
         * this code relies on nothing more. */
        cld                         /* the C ABI wants DF = 0 at each call */
#ifdef UNIKERNEL
        /* A unikernel build enters here in ring 0 with ecx = the address
         * of the kernel's struct unikernel_door (docs/unikernel.md): the
         * libc keeps its handler table and exit check (libc.h). Below
         * &argc, and put back: esp stays what libc_start is given. */
        pushl %ecx
        call unikernel_door_open
        addl $4, %esp
#endif
        xorl %ebp, %ebp             /* the outermost frame: ends backtraces */
        movl %esp, %eax             /* sp = &argc, for libc_start */
        /* The i386 System V ABI (as GCC uses it) wants esp % 16 == 0 at a
         * call. The kernel promises only 4-byte alignment, so align here:
         * down to 16, minus 12, plus the 4-byte argument = 16 again. */
        andl $-16, %esp
        subl $12, %esp
        pushl %eax
        call libc_start
        /* libc_start never returns; if it ever did, fault right here
         * (ud2 is an invalid opcode: the kernel kills us with SIGILL)
         * rather than run into whatever follows. */
        ud2
        .size _start, . - _start
