/*
 * boot.S -- the first instructions of Tidepool.
 *
 * A Multiboot v1 loader (GRUB, or QEMU's -kernel) loads this ELF image at
 * 1 MiB, puts the CPU in 32-bit protected mode with paging off and flat
 * segments, and jumps to _start with:
 *     eax = 0x2BADB002 (proof that a Multiboot loader started us)
 *     ebx = physical address of the struct multiboot_info
 * There is no usable stack yet and the GDT is the loader's: the Multiboot
 * spec says ours must not rely on it (gdt_init() replaces it).
 * See: Multiboot Specification 0.6.96, section 3.2 "Machine state".
 */
#include "arch/i386/multiboot_header.h"

        /* The header must lie within the first 8 KiB of the file, 4-byte
         * aligned: the linker script puts .multiboot first. */
        .section .multiboot, "a"
        .align 4
multiboot_header:
        .long MB_HEADER_MAGIC
        .long MB_HEADER_FLAGS
        .long -(MB_HEADER_MAGIC + MB_HEADER_FLAGS)   /* checksum: sum is 0 */

        .section .bss
        /* Lab 3 unmaps this page once paging is on: a boot stack that
         * overflows then faults at once instead of overwriting .bss. */
        .align 4096
        .global boot_stack_guard
boot_stack_guard:
        .skip 4096
        .global boot_stack_bottom
boot_stack_bottom:
        .skip 16384                 /* 16 KiB boot stack */
        .global boot_stack_top
boot_stack_top:

        .section .text
        .global _start
        .type _start, @function
_start:
        cli                         /* no IDT yet: an interrupt would triple-fault */
        cld                         /* the C ABI requires DF=0 on function entry */
        /* Zero .bss ourselves: a loader that maps the ELF file may leave it
         * dirty, and C assumes static variables start at zero. The boot
         * stack lives in .bss too, so this runs before the first push.
         * rep stosl uses eax, ecx, edi: keep the magic in edx meanwhile. */
        movl %eax, %edx
        movl $__bss_start, %edi
        movl $__bss_end, %ecx
        subl %edi, %ecx
        shrl $2, %ecx               /* the linker script aligns both to 4 */
        xorl %eax, %eax
        rep stosl
        movl %edx, %eax

        movl $boot_stack_top, %esp
        /* The outermost frame: a return address of 0 and a saved ebp of 0,
         * both on the stack, end the frame-pointer chain (backtrace()).
         * Both words matter: with only one, the walk reads the word above
         * the stack top, which is whatever the linker put there. */
        xorl %ebp, %ebp
        pushl %ebp                  /* fake return address 0 */
        pushl %ebp                  /* saved ebp 0 */
        movl %esp, %ebp

        pushl %ebx                  /* kmain(magic, info) */
        pushl %eax
        /* The stack protector's guard, before any C function with a
         * canary runs (stack_protector.c says why it must be first). It
         * takes no arguments and leaves the two pushed above alone. */
        call stack_protector_init
        call kmain

        /* kmain never returns; if it does, stop this CPU for good. */
1:      cli
        hlt
        jmp 1b
        .size _start, . - _start
