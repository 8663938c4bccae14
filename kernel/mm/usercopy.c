/* usercopy.c -- copyin, copyout, copyinstr (see usercopy.h). */
#if LAB >= 4
#include "mm/usercopy.h"
#include "abi/errno.h"
#include "abi/syscall.h"
#include "arch/i386/sysenter.h"
#include "lab.h"

int copy_user_bytes(void *dst, const void *src, size_t n);
int copy_user_string(char *dst, const char *src, size_t max);
int copy_user_word(uint32_t *dst, const uint32_t *src);
int probe_user_write(void *dst);
extern char usercopy_start[], usercopy_end[], usercopy_fault[];

bool user_range_ok(uintptr_t addr, size_t len)
{
#if SOLVED >= 4
    /* Written so that nothing can wrap: addr + len might. */
    return addr >= USER_BASE && addr <= USER_TOP && len <= USER_TOP - addr;
#else
    /* LAB 4 exercise 5: true only if every byte of [addr, addr + len)
     * lies in [USER_BASE, USER_TOP). Careful: addr + len can wrap around
     * 2^32, so compare without computing it. */
    (void)addr; (void)len;
    LAB_TODO_ONCE(4, 5, "user_range_ok()");
    return false;
#endif
}

int copyin(void *dst, uintptr_t usrc, size_t n)
{
    if (!user_range_ok(usrc, n))
        return -EFAULT;
    /* SAFETY: integer -> pointer: a user address checked to lie in user
     * space; if it is not mapped, the fault is caught (usercopy_fixup). */
    return copy_user_bytes(dst, (const void *)usrc, n);
}

int copyin_word(uint32_t *dst, uintptr_t usrc)
{
    if (!user_range_ok(usrc, sizeof *dst))
        return -EFAULT;
    /* SAFETY: as in copyin; x86 loads a misaligned word too. */
    return copy_user_word(dst, (const uint32_t *)usrc);
}

int copyout(uintptr_t udst, const void *src, size_t n)
{
    if (!user_range_ok(udst, n))
        return -EFAULT;
    /* SAFETY: as in copyin. A read-only or copy-on-write page faults on
     * the write (CR0.WP): COW is resolved, read-only gives -EFAULT. */
    return copy_user_bytes((void *)udst, src, n);
}

int user_probe_write(uintptr_t udst)
{
    if (!user_range_ok(udst, 1))
        return -EFAULT;
    /* SAFETY: integer -> pointer: a user address checked to lie in user
     * space; the probe's locked or of 0 leaves the byte as it is, and a
     * fault is caught (usercopy_fixup). */
    return probe_user_write((void *)udst);
}

int copyinstr(char *dst, uintptr_t usrc, size_t max)
{
    if (max == 0 || usrc < USER_BASE || usrc >= USER_TOP)
        return -EFAULT;
    /* Never read past the end of user space, whatever max says. */
    bool clipped = max > USER_TOP - usrc;
    if (clipped)
        max = USER_TOP - usrc;
    /* SAFETY: as in copyin: the string's bytes are read one by one, each
     * inside user space; a fault is caught. */
    int n = copy_user_string(dst, (const char *)usrc, max);
    if (n == -ENAMETOOLONG && clipped)
        return -EFAULT;     /* it ran into the end of user space */
    return n;
}

bool usercopy_fixup(struct trapframe *tf)
{
    /* sysenter's fast path reads the user's return address with one
     * load of its own (arch/i386/sysenter.S): a fault there sends it to
     * the full path, which reports the bad stack. */
    if (tf->eip == sysenter_fixup[0] && sysenter_fixup[0] != 0) {
        tf->eip = sysenter_fixup[1];
        return true;
    }
    /* SAFETY: pointers -> integers, compared with the faulting eip. */
    if (tf->eip < (uintptr_t)usercopy_start || tf->eip >= (uintptr_t)usercopy_end)
        return false;
    tf->eip = (uintptr_t)usercopy_fault;
    return true;
}
#endif /* LAB >= 4 */
