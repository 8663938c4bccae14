/*
 * usercopy.h -- the only way the kernel touches memory a user gave it.
 *
 * A system call's pointer arguments come from a program the kernel must
 * not trust: NULL, a kernel address, an unmapped page, a buffer that runs
 * off the end of user space. Every one goes through these functions,
 * which check that the range lies in user space and survive a fault while
 * copying; each returns 0 (or a length) or -EFAULT, never crashes.
 */
#ifndef MM_USERCOPY_H
#define MM_USERCOPY_H

#if LAB >= 4
#include "arch/i386/trapframe.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Is [addr, addr + len) inside user space, without wrapping? */
bool user_range_ok(uintptr_t addr, size_t len);
/* Copy n bytes from user address `usrc` into the kernel buffer dst. */
int copyin(void *dst, uintptr_t usrc, size_t n);
/* copyin of one 32-bit word, for the sysenter path: one
 * load instead of a byte copy. */
int copyin_word(uint32_t *dst, uintptr_t usrc);
/* Copy n bytes from the kernel buffer src to user address `udst`. */
int copyout(uintptr_t udst, const void *src, size_t n);
/* 0 if the user byte at udst takes a write now (making a copy-on-write
 * or demand-zero page writable), else -EFAULT; the byte is not changed,
 * even by a write another thread makes at the same time. */
int user_probe_write(uintptr_t udst);
/* Copy a NUL-terminated string of at most max - 1 characters: its length,
 * -EFAULT, or -ENAMETOOLONG. */
int copyinstr(char *dst, uintptr_t usrc, size_t max);
/* From trap(): a page fault inside the copy routines resumes at their
 * error path instead of panicking. True if tf was redirected. */
bool usercopy_fixup(struct trapframe *tf);
#endif /* LAB >= 4 */

#endif
