/*
 * sys_meminfo.c -- SYS_meminfo: the kernel's memory counters for leak
 * checks from user space (abi/meminfo.h). The fuzzer reads them before
 * and after its run: every frame and every heap byte must come back.
 */
#if LAB >= 4
#include "proc/syscall.h"
#include "mm/kmalloc.h"
#include "mm/pmm.h"
#include "mm/usercopy.h"
#include "abi/errno.h"
#include "abi/meminfo.h"

int32_t sys_meminfo(uint32_t ubuf, uint32_t size, uint32_t a3, uint32_t a4, uint32_t a5)
{
    (void)a3; (void)a4; (void)a5;
    /* One layout only: a caller built against another learns it here
     * rather than reading fields that mean something else. */
    if (size != sizeof(struct meminfo))
        return -EINVAL;
    struct kheap_usage u = kheap_usage();
    struct meminfo m = {
        .free_frames = (unsigned)pmm_free_frames(),
        .heap_bytes = (unsigned)u.bytes_in_use,
        .heap_blocks = (unsigned)u.blocks_in_use,
        .heap_pages = (unsigned)(u.mapped / PAGE_SIZE),
#ifdef CONFIG_KASAN
        .kasan = 1,
#endif
    };
    return copyout(ubuf, &m, sizeof m) != 0 ? -EFAULT : 0;
}
#endif /* LAB >= 4 */
