/*
 * sys_proc.c -- the process, thread, memory and time system calls: check
 * and copy the arguments (usercopy.h), then process.c and exec.c do the
 * work.
 */
#if LAB >= 4
#include "proc/process.h"
#include "proc/sched.h"
#include "proc/syscall.h"
#include "proc/thread.h"
#include "fs/tty.h"
#include "mm/kmalloc.h"
#include "mm/pmm.h"
#include "mm/usercopy.h"
#include "mm/uvm.h"
#include "abi/errno.h"
#include "abi/procinfo.h"
#include "abi/rlimit.h"
#include "abi/syscall.h"
#include "abi/wait.h"
#include "arch/i386/pit.h"
#include "arch/i386/percpu.h"
#include "arch/i386/irq.h"
#include <string.h>

#define PATH_MAX_LEN 128
#define PAGE_UP(x) (((x) + PAGE_SIZE - 1) & ~(uintptr_t)(PAGE_SIZE - 1))

int32_t sys_exit(uint32_t status, uint32_t a2, uint32_t a3, uint32_t a4, uint32_t a5)
{
    (void)a2; (void)a3; (void)a4; (void)a5;
    proc_exit(W_EXITCODE(status));
    return 0;       /* not seen: the thread stops on its way out */
}

int32_t sys_fork(uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4, uint32_t a5)
{
    (void)a1; (void)a2; (void)a3; (void)a4; (void)a5;
    return proc_fork(current_thread->tf);
}

int32_t sys_getpid(uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4, uint32_t a5)
{
    (void)a1; (void)a2; (void)a3; (void)a4; (void)a5;
    /* A system call comes from a user thread: its proc is set (no need
     * for proc_current()'s check of a kernel thread, nor for its call). */
    return current_thread->proc->pid;
}

int32_t sys_getppid(uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4, uint32_t a5)
{
    (void)a1; (void)a2; (void)a3; (void)a4; (void)a5;
    return proc_getppid();
}

int32_t sys_gettid(uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4, uint32_t a5)
{
    (void)a1; (void)a2; (void)a3; (void)a4; (void)a5;
    return current_thread->tid;
}

int32_t sys_kill(uint32_t pid, uint32_t sig, uint32_t a3, uint32_t a4, uint32_t a5)
{
    (void)a3; (void)a4; (void)a5;
    if (sig >= 32)
        return -EINVAL;         /* 0: only "does it exist?" (POSIX) */
    return proc_kill((int)pid, (int)sig);
}

int32_t sys_signal(uint32_t sig, uint32_t disposition, uint32_t a3, uint32_t a4, uint32_t a5)
{
    (void)a3; (void)a4; (void)a5;
    return proc_signal((int)sig, (int)disposition);
}

int32_t sys_setpgid(uint32_t pid, uint32_t pgid, uint32_t a3, uint32_t a4, uint32_t a5)
{
    (void)a3; (void)a4; (void)a5;
    return proc_setpgid((int)pid, (int)pgid);
}

int32_t sys_getpgid(uint32_t pid, uint32_t a2, uint32_t a3, uint32_t a4, uint32_t a5)
{
    (void)a2; (void)a3; (void)a4; (void)a5;
    if ((int)pid < 0)
        return -ESRCH;
    return proc_getpgid((int)pid);
}

int32_t sys_tcsetpgrp(uint32_t fd, uint32_t pgid, uint32_t a3, uint32_t a4, uint32_t a5)
{
    (void)a3; (void)a4; (void)a5;
    int err = tty_check_fd((int)fd);
    return err != 0 ? err : tty_setpgrp((int)pgid);
}

int32_t sys_tcgetpgrp(uint32_t fd, uint32_t a2, uint32_t a3, uint32_t a4, uint32_t a5)
{
    (void)a2; (void)a3; (void)a4; (void)a5;
    int err = tty_check_fd((int)fd);
    return err != 0 ? err : tty_getpgrp();
}

int32_t sys_procinfo(uint32_t ubuf, uint32_t max, uint32_t a3, uint32_t a4, uint32_t a5)
{
    (void)a3; (void)a4; (void)a5;
    if ((int32_t)max < 0)
        return -EINVAL;
    /* There are never more than TP_PROC_MAX processes to report. */
    int n = (int)max < TP_PROC_MAX ? (int)max : TP_PROC_MAX;
    if (n == 0)
        return 0;
    if (!user_range_ok(ubuf, (size_t)n * sizeof(struct procinfo)))
        return -EFAULT;
    struct procinfo *info = kmalloc((size_t)n * sizeof *info);
    if (info == NULL)
        return -ENOMEM;
    n = proc_info(info, n);
    int err = copyout(ubuf, info, (size_t)n * sizeof *info);
    kfree(info);
    return err != 0 ? -EFAULT : n;
}

int32_t sys_yield(uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4, uint32_t a5)
{
    (void)a1; (void)a2; (void)a3; (void)a4; (void)a5;
    thread_yield();
    return 0;
}

int32_t sys_sleep(uint32_t ticks, uint32_t a2, uint32_t a3, uint32_t a4, uint32_t a5)
{
    (void)a2; (void)a3; (void)a4; (void)a5;
    thread_sleep(ticks);
    return proc_killed() ? -EINTR : 0;
}

int32_t sys_uptime(uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4, uint32_t a5)
{
    (void)a1; (void)a2; (void)a3; (void)a4; (void)a5;
    return (int32_t)pit_ticks;
}

#if LAB >= 5
/* Which CPU runs the caller (a snapshot: it may move right after), and
 * how many CPUs are online: for tests that check threads run in parallel. */
int32_t sys_getcpu(uint32_t ucpu, uint32_t uncpus, uint32_t a3, uint32_t a4, uint32_t a5)
{
    (void)a3; (void)a4; (void)a5;
    uint32_t s = irq_save();    /* not moved to another CPU while reading */
    unsigned cpu = (unsigned)cpu_id(), online = 0;
    irq_restore(s);
    for (int i = 0; i < ncpus; i++)
        online += cpus[i].online;
    if (ucpu != 0 && copyout(ucpu, &cpu, sizeof cpu) != 0)
        return -EFAULT;
    if (uncpus != 0 && copyout(uncpus, &online, sizeof online) != 0)
        return -EFAULT;
    return 0;
}
#endif

int32_t sys_freeframes(uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4, uint32_t a5)
{
    (void)a1; (void)a2; (void)a3; (void)a4; (void)a5;
    return (int32_t)pmm_free_frames();
}

int32_t sys_waitpid(uint32_t pid, uint32_t ustatus, uint32_t options, uint32_t a4, uint32_t a5)
{
    (void)a4; (void)a5;
    if (options & ~(uint32_t)WNOHANG)
        return -EINVAL;
    if (ustatus != 0 && !user_range_ok(ustatus, sizeof(int)))
        return -EFAULT;
    int status = 0;
    int found = proc_waitpid((int)pid, &status, (int)options);
    if (found > 0 && ustatus != 0 && copyout(ustatus, &status, sizeof status) != 0)
        return -EFAULT;     /* the child is reaped all the same */
    return found;
}

int32_t sys_sbrk(uint32_t increment, uint32_t a2, uint32_t a3, uint32_t a4, uint32_t a5)
{
    (void)a2; (void)a3; (void)a4; (void)a5;
    struct process *p = proc_current();
    int32_t delta = (int32_t)increment;
    /* The address space's lock guards brk: threads of p may sbrk and
     * take heap faults (proc_heap_fault) on other CPUs meanwhile. */
    uint32_t s = uvm_lock(p->as);
    uintptr_t old = p->brk, limit = USER_STACK_TOP - PROC_STACK_PAGES * PAGE_SIZE - PAGE_SIZE;
    int32_t err = 0;
    /* Growing maps nothing: each new page arrives zeroed on its first
     * touch (proc_heap_fault), so a program pays only for what it uses. */
    if (delta > 0) {
        if ((uint32_t)delta > limit - old || !proc_mem_fits(p, old + (uint32_t)delta))
            err = -ENOMEM;
    } else if (delta < 0) {
        /* Shrinking gives the frames of the pages wholly above the new
         * break back at once (0u - delta: no overflow at INT32_MIN). */
        if (0u - (uint32_t)delta > old - p->heap_start)
            err = -EINVAL;
        else
            uvm_unmap_locked(p->as, PAGE_UP(old + delta), PAGE_UP(old) - PAGE_UP(old + delta));
    }
    if (err == 0)
        p->brk = old + delta;
    uvm_unlock(p->as, s);
    return err != 0 ? err : (int32_t)old;
}

/* Copy a NULL-terminated array of user strings into one kernel buffer:
 * vec[i] point into strings. The count, or -errno (-E2BIG: too many or
 * too long). */
static int copy_string_vector(uint32_t uvec, char **vec, int room, char *strings, size_t *used,
                              size_t cap)
{
    if (uvec == 0)
        return -EFAULT;     /* argv and envp are arrays, never NULL (docs/abi.md) */
    for (int i = 0;; i++) {
        uint32_t ustr;
        if (copyin(&ustr, uvec + 4 * (uint32_t)i, sizeof ustr) != 0)
            return -EFAULT;
        if (ustr == 0)
            return i;
        /* No room for another string (a count, or the bytes, used up to
         * the last one): E2BIG, before copyinstr, which takes a room of
         * 0 bytes for a bad pointer (EFAULT). */
        if (i >= room || *used >= cap)
            return -E2BIG;
        int n = copyinstr(strings + *used, ustr, cap - *used);
        if (n == -ENAMETOOLONG)
            return -E2BIG;
        if (n < 0)
            return n;
        vec[i] = strings + *used;
        *used += (size_t)n + 1;
    }
}

int32_t sys_execve(uint32_t upath, uint32_t uargv, uint32_t uenvp, uint32_t a4, uint32_t a5)
{
    (void)a4; (void)a5;
    struct process *p = proc_current();
    if (p->live_threads > 1)
        return -EAGAIN;     /* exec from a multithreaded process: not in this lab */
    char path[PATH_MAX_LEN];
    int n = copyinstr(path, upath, sizeof path);
    if (n < 0)
        return n;
    char *strings = kmalloc(EXEC_MAX_BYTES);
    char **vec = kmalloc((EXEC_MAX_ARGS + 2) * sizeof *vec);
    int err = strings && vec ? 0 : -ENOMEM;
    size_t used = 0;
    int argc = 0, envc = 0;
    if (err == 0)
        err = argc = copy_string_vector(uargv, vec, EXEC_MAX_ARGS, strings, &used, EXEC_MAX_BYTES);
    if (err >= 0) {
        vec[argc] = NULL;
        err = envc = copy_string_vector(uenvp, vec + argc + 1, EXEC_MAX_ARGS - argc, strings,
                                        &used, EXEC_MAX_BYTES);
    }
    if (err >= 0) {
        vec[argc + 1 + envc] = NULL;
        err = exec_into(p, current_thread->tf, path, vec, argc, vec + argc + 1, envc);
    }
    kfree(strings);
    kfree(vec);
    /* On success the frame now starts the new program: what we return
     * lands in its eax, which the ABI leaves undefined; 0 it is. */
    return err < 0 ? err : 0;
}

int32_t sys_thread_create(uint32_t entry, uint32_t arg, uint32_t stack, uint32_t a4, uint32_t a5)
{
    (void)a4; (void)a5;
    if (!user_range_ok(entry, 1) || !user_range_ok(stack - 16, 16))
        return -EFAULT;
    return proc_thread_create(entry, arg, stack);
}

int32_t sys_thread_join(uint32_t tid, uint32_t a2, uint32_t a3, uint32_t a4, uint32_t a5)
{
    (void)a2; (void)a3; (void)a4; (void)a5;
    int status;
    int err = proc_thread_join((int)tid, &status);
    return err < 0 ? err : status;
}

int32_t sys_thread_exit(uint32_t status, uint32_t a2, uint32_t a3, uint32_t a4, uint32_t a5)
{
    (void)a2; (void)a3; (void)a4; (void)a5;
    proc_thread_exit((int)status);
}
#endif /* LAB >= 4 */
