/*
 * trampoline.S -- where an application processor (AP) starts.
 *
 * A STARTUP IPI starts the AP in real mode at CS:IP = (page >> 4):0000,
 * so this code is copied to a free page below 1 MiB (smp.c) and runs
 * there, in 16-bit mode, with no stack and whatever is in the other
 * registers. It only has to reach the kernel's 32-bit code: load the
 * kernel's GDT, set CR0.PE, far-jump to ap_entry32 (which runs in the
 * kernel image, at its link address: the kernel is identity-mapped, and
 * paging is still off). Intel SDM vol. 3A, 9.9 "Mode switching" and
 * 8.4.4 "MP initialization example".
 *
 * Only position-independent references are allowed in the copied part:
 * offsets from trampoline_start (through %ds = %cs), and absolute
 * addresses of kernel symbols (gdt, ap_entry32), which do not move.
 */
#if LAB >= 5
#include "arch/i386/gdt.h"

        .section .rodata        /* copied, never executed in place */
        .code16
        .global trampoline_start, trampoline_end
trampoline_start:
        cli
        cld
        movw %cs, %ax
        movw %ax, %ds
        lgdtl trampoline_gdtr - trampoline_start
        movl %cr0, %eax
        orl $1, %eax                /* PE: protected mode */
        movl %eax, %cr0
        ljmpl $GDT_KERNEL_CODE, $ap_entry32
        .balign 4
trampoline_gdtr:
        .word GDT_ENTRIES * 8 - 1
        .long gdt
trampoline_end:

        .text
        .code32
/* 32-bit protected mode, paging off, on no stack: the kernel's segments,
 * paging with the kernel's page directory (as paging_init() turned it on:
 * PGE, then PG and WP), the stack smp.c allocated for this AP, and C. */
        .global ap_entry32
ap_entry32:
        movw $GDT_KERNEL_DATA, %ax
        movw %ax, %ds
        movw %ax, %es
        movw %ax, %ss
        movw %ax, %fs
        movw %ax, %gs
        movl %cr4, %eax
        orl $0x80, %eax
        movl %eax, %cr4
        movl ap_boot_cr3, %eax
        movl %eax, %cr3
        movl %cr0, %eax
        orl $0x80010000, %eax
        movl %eax, %cr0
        movl ap_boot_esp, %esp
        /* The outermost frame, as in boot.S: return address 0, ebp 0. */
        xorl %ebp, %ebp
        pushl %ebp
        pushl %ebp
        movl %esp, %ebp
        call ap_main
1:      cli
        hlt
        jmp 1b
#endif /* LAB >= 5 */
