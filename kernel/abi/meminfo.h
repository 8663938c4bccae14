/*
 * meminfo.h -- what SYS_meminfo reports: the kernel's memory counters,
 * for leak checks from user space (the system-call fuzzer compares them
 * before and after its run; docs/abi.md).
 *
 *     meminfo(struct meminfo *buf, size_t size) -> 0
 *
 * size must be sizeof(struct meminfo) (-EINVAL otherwise: a program
 * built against another layout learns it at once); buf must be writable
 * user memory (-EFAULT). Read-only: it changes nothing.
 */
#ifndef ABI_MEMINFO_H
#define ABI_MEMINFO_H

struct meminfo {
    unsigned int free_frames;       /* free physical page frames (= SYS_freeframes) */
    unsigned int heap_bytes;        /* kmalloc payload bytes handed out and not freed */
    unsigned int heap_blocks;       /* kmalloc blocks handed out and not freed */
    unsigned int heap_pages;        /* pages the kernel heap has mapped (it never shrinks) */
    unsigned int kasan;             /* 1 with KASAN (make KASAN=1): heap growth also maps
                                       shadow, a page per 8 of heap (docs/safety.md) */
};

#endif
