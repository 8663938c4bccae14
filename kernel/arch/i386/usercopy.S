/*
 * usercopy.S -- copying to and from user memory, surviving bad pointers.
 *
 *     int copy_user_bytes(void *dst, const void *src, size_t n);
 *     int copy_user_string(char *dst, const char *src, size_t max);
 *     int copy_user_word(uint32_t *dst, const uint32_t *src);
 *     int probe_user_write(void *dst);
 *
 * The caller (mm/usercopy.c) has checked that the user range lies inside
 * user space; whether it is *mapped* (and writable) only the MMU can say,
 * so we just copy. If a page is missing, the page fault arrives with eip
 * inside one of the two functions; trap() sees that (usercopy_fixup())
 * and, instead of panicking, resumes at the fault label with eax =
 * -EFAULT: the system call returns an error and the kernel goes on.
 * This is the C cousin of Linux's exception tables.
 */
#if LAB >= 4
#include "abi/errno.h"

        .text
        .global usercopy_start, usercopy_end, usercopy_fault

usercopy_start:

/* 0, or -EFAULT. */
        .global copy_user_bytes
        .type copy_user_bytes, @function
copy_user_bytes:
        pushl %esi
        pushl %edi
        movl 12(%esp), %edi         /* dst */
        movl 16(%esp), %esi         /* src */
        movl 20(%esp), %ecx         /* n */
        cld
        rep movsb
        popl %edi
        popl %esi
        xorl %eax, %eax
        ret
        .size copy_user_bytes, . - copy_user_bytes

/* The length of the string (dst gets it and its NUL), -ENAMETOOLONG if no
 * NUL comes within max bytes, or -EFAULT. */
        .global copy_user_string
        .type copy_user_string, @function
copy_user_string:
        pushl %esi
        pushl %edi
        movl 12(%esp), %edi         /* dst */
        movl 16(%esp), %esi         /* src */
        movl 20(%esp), %ecx         /* max */
        xorl %eax, %eax             /* length so far */
1:      cmpl %ecx, %eax
        je 2f
        movb (%esi, %eax), %dl      /* may fault */
        movb %dl, (%edi, %eax)
        testb %dl, %dl
        jz 3f
        incl %eax
        jmp 1b
2:      movl $-ENAMETOOLONG, %eax
3:      popl %edi
        popl %esi
        ret
        .size copy_user_string, . - copy_user_string

/* 0 and *dst = the word at src, or -EFAULT: one load, for sysenter's
 * return address (proc/syscall.c), where copy_user_bytes' generality --
 * a call through copyin, a byte-wise rep movsb -- was a fifth of the
 * whole getpid path. Pushes esi and edi like the others, for the fault
 * label's sake. */
        .global copy_user_word
        .type copy_user_word, @function
copy_user_word:
        pushl %esi
        pushl %edi
        movl 16(%esp), %esi         /* src */
        movl (%esi), %esi           /* may fault */
        movl 12(%esp), %edi         /* dst */
        movl %esi, (%edi)
        popl %edi
        popl %esi
        xorl %eax, %eax
        ret
        .size copy_user_word, . - copy_user_word

/* 0 if the byte at dst takes a write, or -EFAULT, without changing it:
 * `lock orb $0` is one atomic read-modify-write, which the MMU checks as
 * a write (so a copy-on-write or demand-zero page is made there, and a
 * read-only one faults). A load and a store of the same byte would undo
 * a store another thread of the process made in between. */
        .global probe_user_write
        .type probe_user_write, @function
probe_user_write:
        pushl %esi
        pushl %edi
        movl 12(%esp), %edi         /* dst */
        lock orb $0, (%edi)         /* may fault */
        popl %edi
        popl %esi
        xorl %eax, %eax
        ret
        .size probe_user_write, . - probe_user_write

usercopy_end:

/* trap() resumes here after a fault between usercopy_start and _end. All
 * four functions pushed esi and edi, and nothing else, before they could fault. */
usercopy_fault:
        movl $-EFAULT, %eax
        popl %edi
        popl %esi
        ret
#endif /* LAB >= 4 */
