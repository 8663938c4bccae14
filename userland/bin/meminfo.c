/*
 * meminfo.c -- the kernel's memory counters (SYS_meminfo), one per line,
 * as Linux's /proc/meminfo shows its own:
 *
 *     meminfo
 *
 *     free_frames  30208        physical page frames nobody uses
 *     heap_bytes   97880        kmalloc bytes handed out, not yet freed
 *     heap_blocks  95           kmalloc blocks handed out, not yet freed
 *     heap_pages   41           pages the kernel heap has mapped (never shrinks)
 *     kasan        0            1: a KASAN kernel (heap growth maps shadow too)
 *
 * Run it before and after anything: equal heap_bytes and heap_blocks
 * mean the kernel gave back every block; free_frames must be back too,
 * less what heap_pages grew by (the soak, grading/userland/test_soak.py,
 * compares them so). Any argument: a usage line, exit 1.
 */
#include <stdio.h>
#include <tidepool.h>

#include <meminfo.h>    /* kernel/abi */

int main(int argc, char **argv)
{
    (void)argv;
    if (argc > 1) {
        fprintf(stderr, "usage: meminfo\n");
        return 1;
    }
    struct meminfo m;
    if (meminfo(&m) != 0) {
        perror("meminfo");
        return 1;
    }
    printf("free_frames  %-12u physical page frames nobody uses\n", m.free_frames);
    printf("heap_bytes   %-12u kmalloc bytes handed out, not yet freed\n", m.heap_bytes);
    printf("heap_blocks  %-12u kmalloc blocks handed out, not yet freed\n", m.heap_blocks);
    printf("heap_pages   %-12u pages the kernel heap has mapped (never shrinks)\n",
           m.heap_pages);
    printf("kasan        %-12u 1: a KASAN kernel (heap growth maps shadow too)\n", m.kasan);
    return 0;
}
