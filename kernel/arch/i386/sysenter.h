/*
 * sysenter.h -- what sysenter.S's fast path knows about C's structures.
 *
 * The fast path (sysenter.S) calls the handler straight from assembly,
 * so it needs a few offsets and constants that C owns. They are written
 * out here, for the assembler, and syscall_arch.c checks each one
 * against the real struct with _Static_assert: a field added in front of
 * them breaks the build there, with the name of the constant to fix.
 *
 * The fast frame, on the thread's kernel stack at the handler's call,
 * lowest address first (docs/abi.md; tools/gdb/tpgdb/frames.py reads it):
 *
 *     a1 .. a5      ebx ecx edx esi edi: the handler's arguments
 *     nr            eax: the system call's number
 *     eip           the user's return address (the word at [ebp])
 *     fs            the user's fs (lab 5 on: the kernel's is per CPU)
 *     es, ds        the user's data segments
 *
 * and ebp still holds the user stub's esp (the handler keeps it: ebp
 * is callee-saved), so the way out needs nothing else.
 */
#ifndef ARCH_I386_SYSENTER_H
#define ARCH_I386_SYSENTER_H

#define SYSENTER_FRAME_NR    20     /* offsets in the fast frame */
#define SYSENTER_FRAME_EIP   24
#if LAB >= 5
#define SYSENTER_FRAME_SIZE  40     /* with the user's fs */
#else
#define SYSENTER_FRAME_SIZE  36
#endif

#define SYSENTER_USER_BASE   0x40000000   /* USER_BASE (arch/i386/paging.h) */
#define THREAD_PROC          0x64   /* offsetof(struct thread, proc) */
#define PROCESS_EXITING      0x4c   /* offsetof(struct process, exiting) */
#define CPU_THREAD           12     /* offsetof(struct cpu, thread) */

#ifdef __ASSEMBLY__
/* What lab 5 changes in sysenter.S, said here rather than there: the
 * fast path is lab 4's solved code, and a lab-5 line inside it could not
 * reach a student's own lab-4 solution in a merge (labs/stage.py). */
#if LAB >= 5
/* this CPU's MSR_SYSENTER_ESP points at the word holding its esp0
 * (syscall_arch.c), at the top of its own scratch stack */
#define SYSENTER_LOAD_ESP0          movl (%esp), %esp
#define SYSENTER_PUSH_USER_FS       pushl %fs
#define SYSENTER_POP_USER_FS        popl %fs
/* this CPU's %fs, as in alltraps: the selector after its TSS's */
#define SYSENTER_LOAD_KERNEL_FS     str %cx; addw $8, %cx; movw %cx, %fs
#define SYSENTER_CURRENT_THREAD_ECX movl %fs:CPU_THREAD, %ecx
#else
#define SYSENTER_LOAD_ESP0          movl %ss:tss+4, %esp
#define SYSENTER_PUSH_USER_FS
#define SYSENTER_POP_USER_FS
#define SYSENTER_LOAD_KERNEL_FS
#define SYSENTER_CURRENT_THREAD_ECX movl cpus+CPU_THREAD, %ecx
#endif
#else
#include <stdint.h>
/* The fast path's one load from user memory, and where a fault there
 * resumes: {load, resume} (usercopy_fixup). */
extern const uintptr_t sysenter_fixup[2];
/* Bit nr set: system call nr takes the full path (syscall.c fills it). */
extern uint32_t sysenter_full_calls[];
#endif

#endif
