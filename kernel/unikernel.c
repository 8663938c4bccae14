/*
 * unikernel.c -- starting the one program of a unikernel build
 * (unikernel.h, docs/unikernel.md).
 */
#if LAB >= 4
#ifdef UNIKERNEL
#include "unikernel.h"
#include "abi/syscall.h"
#include "abi/unikernel_door.h"
#include "proc/process.h"
#include "proc/sched.h"
#include "proc/syscall.h"
#include "proc/thread.h"
#include "fs/vfs.h"
#include "abi/stat.h"
#include "arch/i386/gdt.h"
#include "console.h"

/* arch/i386/unikernel.S: the program's ELF file, and the first ring-0
 * instructions of each of its threads. */
extern const char unikernel_prog_start[], unikernel_prog_end[];
extern char unikernel_start[];

bool unikernel_install(void)
{
    size_t size = (size_t)(unikernel_prog_end - unikernel_prog_start);
    int err = vfs_install("/bin/" UNIKERNEL_PROG, S_IFREG | 0755, unikernel_prog_start, size);
    if (err != 0) {
        kprintf("unikernel: cannot install /bin/" UNIKERNEL_PROG " (error %d)\n", err);
        return false;
    }
    kprintf("unikernel: /bin/" UNIKERNEL_PROG " (%u bytes) runs in ring 0; "
            "the kernel enforces nothing against it\n", (unsigned)size);
    return true;
}

/* The end of a thread whose process is ending, from the libc's check
 * after a system call (unikernel_door.h). */
static void unikernel_stop(void)
{
    unikernel_thread_exit(0);
}

/* The libc's door: the handler table itself. The program calls the
 * handlers as int $0x80 and sysenter would, only without the doors. */
static struct unikernel_door door = {
    .table = syscall_table,
    .stop = unikernel_stop,
};
_Static_assert(sizeof(syscall_fn) == sizeof(unikernel_handler), "the same handlers");

/*
 * An iret between two ring-0 contexts pops eip, cs and eflags only: it
 * cannot load esp. So the frame "returns" to unikernel_start with the
 * program's entry in eax and its stack in ebx, and that stub moves onto
 * the stack and jumps. ecx carries the door's address, which crt0 keeps
 * (the program is linked apart from the kernel, so it cannot name it).
 * A unikernel runs one program in one process (no fork, no exec), so
 * one door, pointing at that process's `exiting`, serves all its threads.
 */
void unikernel_frame(struct trapframe *tf, struct process *p)
{
    door.exiting = &p->exiting;
    tf->eax = tf->eip;
    tf->ebx = tf->esp;
    /* SAFETY: function, label and object addresses -> integers, for
     * registers and the frame's eip; all are kernel text or data,
     * mapped in every address space (the program runs in ring 0). */
    tf->ecx = (uint32_t)(uintptr_t)&door;
    tf->eip = (uint32_t)(uintptr_t)unikernel_start;
    tf->cs = GDT_KERNEL_CODE;
    tf->ds = tf->es = tf->fs = tf->gs = tf->ss = GDT_KERNEL_DATA;
}

void unikernel_thread_exit(int status)
{
    uintptr_t top = current_thread->stack.top;
    /* SAFETY: the thread's own kernel stack is mapped and unused (the
     * thread has run on the program's stack since its first frame was
     * consumed); proc_thread_exit(status) never returns, so nothing
     * needs the stack we leave. The pushes make its argument and a null
     * return address; 12 bytes first keep esp as after an aligned call. */
    __asm__ volatile("movl %0, %%esp\n\t"
                     "subl $12, %%esp\n\t"
                     "pushl %1\n\t"
                     "pushl $0\n\t"
                     "jmp proc_thread_exit"
                     : : "r"(top), "r"(status) : "memory");
    __builtin_unreachable();
}
#endif /* UNIKERNEL */
#endif /* LAB >= 4 */
