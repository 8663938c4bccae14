/* syscall.c -- the system-call table and the dispatcher (see syscall.h). */
#if LAB >= 4
#include "proc/syscall.h"
#include "proc/process.h"
#include "proc/sched.h"
#include "proc/thread.h"
#include "mm/usercopy.h"
#include "abi/errno.h"
#include "abi/syscall.h"
#include "abi/wait.h"
#include "arch/i386/irq.h"
#include "lab.h"
#include "trace.h"
#ifdef UNIKERNEL
#include "unikernel.h"
#endif

uint32_t syscalls_by_int80, syscalls_by_sysenter;

#ifdef UNIKERNEL
/* One program in ring 0 has no second address space to fork into, and
 * no other program to become (docs/unikernel.md). */
static int32_t sys_not_in_unikernel(uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4, uint32_t a5)
{
    (void)a1; (void)a2; (void)a3; (void)a4; (void)a5;
    return -ENOSYS;
}
/* thread_exit leaves the program's stack first: if this is the last
 * thread, its address space goes away under it. */
static int32_t sys_thread_exit_unikernel(uint32_t status, uint32_t a2, uint32_t a3, uint32_t a4,
                                         uint32_t a5)
{
    (void)a2; (void)a3; (void)a4; (void)a5;
    unikernel_thread_exit((int)status);
}
#define sys_fork sys_not_in_unikernel
#define sys_execve sys_not_in_unikernel
#define sys_thread_exit sys_thread_exit_unikernel
#endif

const syscall_fn syscall_table[SYS_MAX] = {
    [SYS_exit] = sys_exit,       [SYS_fork] = sys_fork,       [SYS_read] = sys_read,
    [SYS_write] = sys_write,     [SYS_open] = sys_open,       [SYS_close] = sys_close,
    [SYS_waitpid] = sys_waitpid, [SYS_execve] = sys_execve,   [SYS_getpid] = sys_getpid,
    [SYS_kill] = sys_kill,       [SYS_dup] = sys_dup,         [SYS_sbrk] = sys_sbrk,
    [SYS_getppid] = sys_getppid, [SYS_fstat] = sys_fstat,     [SYS_stat] = sys_stat,
    [SYS_yield] = sys_yield,     [SYS_sleep] = sys_sleep,     [SYS_uptime] = sys_uptime,
    [SYS_thread_create] = sys_thread_create, [SYS_thread_join] = sys_thread_join,
    [SYS_thread_exit] = sys_thread_exit,     [SYS_gettid] = sys_gettid,
    [SYS_freeframes] = sys_freeframes,
    [SYS_signal] = sys_signal,   [SYS_setpgid] = sys_setpgid, [SYS_getpgid] = sys_getpgid,
    [SYS_tcsetpgrp] = sys_tcsetpgrp, [SYS_tcgetpgrp] = sys_tcgetpgrp,
    [SYS_procinfo] = sys_procinfo, [SYS_meminfo] = sys_meminfo,
    [SYS_dup2] = sys_dup2,       [SYS_lseek] = sys_lseek,     [SYS_pipe] = sys_pipe,
    [SYS_unlink] = sys_unlink,   [SYS_mkdir] = sys_mkdir,     [SYS_rmdir] = sys_rmdir,
    [SYS_rename] = sys_rename,   [SYS_chdir] = sys_chdir,     [SYS_getcwd] = sys_getcwd,
    [SYS_getdents] = sys_getdents, [SYS_ftruncate] = sys_ftruncate,
#if LAB >= 5
    [SYS_futex] = sys_futex,     [SYS_getcpu] = sys_getcpu,
    [SYS_cpuinfo] = sys_cpuinfo, [SYS_lockinfo] = sys_lockinfo,
#endif
#if LAB >= 6
    [SYS_socket] = sys_socket,   [SYS_bind] = sys_bind,       [SYS_connect] = sys_connect,
    [SYS_listen] = sys_listen,   [SYS_accept4] = sys_accept4, [SYS_shutdown] = sys_shutdown,
    [SYS_getsockname] = sys_getsockname, [SYS_getpeername] = sys_getpeername,
    [SYS_sendto] = sys_sendto,   [SYS_recvfrom] = sys_recvfrom,
    [SYS_setsockopt] = sys_setsockopt, [SYS_getsockopt] = sys_getsockopt,
    [SYS_poll] = sys_poll,       [SYS_netstat] = sys_netstat,
    [SYS_pcilist] = sys_pcilist,
#endif
};

bool syscall_needs_trapframe(uint32_t nr)
{
    /* fork copies the caller's registers for the child, execve rewrites
     * them: both through current_thread->tf. */
    return nr == SYS_fork || nr == SYS_execve;
}

/* noinline: `break syscall_run` then shows tf in GDB (lab 4, exercise 5). */
static __attribute__((noinline)) void syscall_run(struct trapframe *tf)
{
    trace_event(TR_SYSCALL, tf->eax);
    current_thread->tf = tf;
    /* A system call may take long (or block): let the timer in. */
    irq_enable();
#if SOLVED >= 4
    uint32_t nr = tf->eax;
    syscall_fn fn = nr < SYS_MAX ? syscall_table[nr] : NULL;
    tf->eax = fn != NULL ? (uint32_t)fn(tf->ebx, tf->ecx, tf->edx, tf->esi, tf->edi)
                         : (uint32_t)-ENOSYS;
#else
    /* LAB 4 exercise 5: eax holds the system call's number: look up its
     * handler in syscall_table (a number outside the table, or one with
     * no handler, is -ENOSYS), call it with ebx, ecx, edx, esi, edi, and
     * put what it returns into the frame's eax: that is what the user
     * sees when it returns. */
    (void)syscall_table;
    LAB_TODO_ONCE(4, 5, "syscall_run()");
    tf->eax = (uint32_t)-ENOSYS;
#endif
    irq_disable();
    current_thread->tf = NULL;
    trace_event(TR_SYSRET, tf->eax);
}

#ifdef UNIKERNEL
#undef sys_fork
#undef sys_execve
#undef sys_thread_exit
#endif

void syscall_dispatch(struct trapframe *tf)
{
    syscalls_by_int80++;
    syscall_run(tf);
}

void syscall_sysenter(struct trapframe *tf)
{
    syscalls_by_sysenter++;
    /* The user stub left its return address at [ebp]; tf->esp is its
     * ebp (sysenter.S). The arguments are in the frame already: sysenter
     * changes no general register (only sysexit will clobber ecx and
     * edx, which the C ABI lets the stub lose), so one word is all we
     * read from the user stack. */
    uint32_t eip;
    if (copyin_word(&eip, tf->esp) != 0) {
        tf->err = 0;                /* leave by iret: the frame is not sysexit's */
        proc_fault(tf, SIGSEGV, "sysenter with a bad user stack");
        proc_return_to_user(tf);
        return;
    }
    tf->eip = eip;
    tf->esp += 4;                   /* the stub pops its ebp itself */
    syscall_run(tf);
    proc_return_to_user(tf);
}
#endif /* LAB >= 4 */
