/*
 * process.c -- a process's life: init, fork, exit, waitpid, kill, threads.
 *
 * Loading a program (execve) is exec.c; the system calls' argument
 * checks are sys_proc.c. The rule of thumb for what frees what: a thread
 * cannot free the stack it runs on, and a process cannot free the thread
 * structs of its own last thread. So the last thread of a process frees
 * the address space and the files, becomes a ZOMBIE thread of a ZOMBIE
 * process, and the parent's waitpid() frees the rest.
 */
#if LAB >= 4
#include "proc/process.h"
#include "proc/sched.h"
#include "proc/thread.h"
#include "fs/file.h"
#include "mm/kmalloc.h"
#include "mm/usercopy.h"
#include "mm/uvm.h"
#include "abi/errno.h"
#include "abi/procinfo.h"
#include "abi/rlimit.h"
#include "abi/syscall.h"
#include "abi/wait.h"
#include "arch/i386/context.h"
#include "arch/i386/fpu.h"
#include "arch/i386/gdt.h"
#include "arch/i386/irq.h"
#include "console.h"
#include "fs/tty.h"
#include "lab.h"
#include "panic.h"
#include "trace.h"
#ifdef UNIKERNEL
#include "unikernel.h"
#endif
#include <string.h>

struct list_node all_processes = LIST_INIT(all_processes);
static int next_pid = 1;
static int nprocs;              /* alive or zombie: at most TP_PROC_MAX */
static struct process *init_process;
/* The kernel's main thread waits here for init to end (main.c). */
struct waitqueue init_exited = WAITQUEUE_INIT(init_exited, "init");

extern char user_entry[];

struct process *proc_current(void)
{
    return current_thread != NULL ? current_thread->proc : NULL;
}

bool proc_killed(void)
{
    struct process *p = proc_current();
    return p != NULL && p->exiting;
}

struct process *proc_find(int pid)
{
    struct process *p, *found = NULL;
    uint32_t s = irq_save();
    list_for_each_entry(p, &all_processes, all_node)
        if (p->pid == pid)
            found = p;
    irq_restore(s);
    return found;
}

/* A new process struct, a child of parent (NULL: init), in parent's
 * group with its signal dispositions. NULL with *err = -ENOMEM, or
 * -EAGAIN when TP_PROC_MAX processes exist already. */
static struct process *proc_alloc(const char *name, struct process *parent, int *err)
{
    struct process *p = kcalloc(1, sizeof *p);
    *err = -ENOMEM;
    if (p == NULL)
        return NULL;
    strncpy(p->name, name, PROC_NAME_MAX - 1);
    list_init(&p->children);
    list_init(&p->sibling_node);
    list_init(&p->threads);
    waitqueue_init(&p->child_exited, "child");
    uint32_t s = irq_save();
    /* A parent killed meanwhile (Ctrl-C to its group comes from an
     * interrupt): a child now would escape that kill. */
    bool parent_ending = parent != NULL && parent->exiting;
    if (nprocs >= TP_PROC_MAX || parent_ending) {
        irq_restore(s);
        kfree(p);
        *err = parent_ending ? -EINTR : -EAGAIN;
        return NULL;
    }
    nprocs++;
    p->pid = next_pid++;
    /* init's group is its own (1); a child starts in its parent's, and
     * keeps what it ignores (POSIX). */
    p->pgid = parent != NULL ? parent->pgid : p->pid;
    p->sig_ignored = parent != NULL ? parent->sig_ignored : 0;
    p->parent = parent;
    if (parent != NULL)
        list_push_back(&parent->children, &p->sibling_node);
    list_push_back(&all_processes, &p->all_node);
    irq_restore(s);
    return p;
}

/* A thread of p that starts in ring 3 with the registers in *tf: its
 * kernel stack holds a copy of the frame, and its first switch lands in
 * user_entry, which "returns" from that frame (trapentry.S). */
static struct thread *user_thread_create(struct process *p, const struct trapframe *tf)
{
#ifdef UNIKERNEL
    /* The one program of a unikernel build starts in ring 0 instead. */
    struct trapframe ring0 = *tf;
    unikernel_frame(&ring0);
    tf = &ring0;
#endif
    /* SAFETY: the address of the asm label user_entry, as an entry point. */
    struct thread *t = thread_create_with_frame(p->name, tf, sizeof *tf,
                                                (void (*)(void))(uintptr_t)user_entry);
    if (t == NULL)
        return NULL;
    t->proc = p;
    uint32_t s = irq_save();
    list_push_back(&p->threads, &t->proc_node);
    p->live_threads++;
    irq_restore(s);
    trace_thread_named(t);      /* again, now with its process */
    return t;
}

/* The frame a new program starts from: user segments, interrupts on;
 * exec fills in eip and esp. */
static void user_frame_init(struct trapframe *tf)
{
    memset(tf, 0, sizeof *tf);
    tf->cs = GDT_USER_CODE;
    tf->ds = tf->es = tf->fs = tf->gs = tf->ss = GDT_USER_DATA;
    tf->eflags = 0x202;         /* IF, and the always-1 bit */
}

struct process *proc_start_init(const char *path, char *const argv[])
{
    int err;
    struct process *p = proc_alloc("init", NULL, &err);
    struct trapframe tf;
    user_frame_init(&tf);
    if (p == NULL || (p->as = uvm_create()) == NULL) {
        kprintf("init: out of memory\n");
        return NULL;
    }
    int argc = 0;
    while (argv[argc] != NULL)
        argc++;
    static char *const no_env[] = { NULL };
    err = exec_into(p, &tf, path, argv, argc, no_env, 0);
    if (err == 0)
        err = file_open_console(p);
    struct thread *t = err == 0 ? user_thread_create(p, &tf) : NULL;
    if (t == NULL) {
        kprintf("init: cannot start %s (error %d)\n", path, err);
        return NULL;
    }
    fpu_init_state(t->fpu_state);
    init_process = p;
    tty_set_cooked(true);       /* a program owns the console now */
    uint32_t s = sched_lock_irqsave();
    sched_wakeup(t);
    sched_unlock_irqrestore(s);
    return p;
}

int proc_fork(struct trapframe *tf)
{
    struct process *parent = proc_current();
    int err;
    struct process *child = proc_alloc(parent->name, parent, &err);
    if (child == NULL)
        return err;
    child->as = uvm_fork(parent->as);
    if (child->as == NULL) {
        proc_reap(child);
        return -ENOMEM;
    }
    child->heap_start = parent->heap_start;
    child->brk = parent->brk;
    child->image_pages = parent->image_pages;
    file_table_copy(child, parent);
    struct trapframe ctf = *tf;
#if SOLVED >= 4
    ctf.eax = 0;                /* fork returns 0 in the child */
#else
    /* LAB 4 exercise 6: what must fork return in the child? Set it in
     * the child's copy of the frame (the parent gets the child's pid). */
    LAB_TODO_ONCE(4, 6, "fork's return value in the child");
#endif
    struct thread *t = user_thread_create(child, &ctf);
    if (t == NULL) {
        proc_finish(child);
        proc_reap(child);
        return -ENOMEM;
    }
    /* The child computes on where the parent was: the parent's registers
     * are live in the FPU right now. */
    fpu_save(t->fpu_state);
    uint32_t s = sched_lock_irqsave();
    sched_wakeup(t);
    sched_unlock_irqrestore(s);
    return child->pid;
}

/* Wake a blocked thread so that it sees its process is ending. */
static void proc_interrupt_threads(struct process *p)
{
    struct thread *t;
    list_for_each_entry(t, &p->threads, proc_node)
        if (t != current_thread)
            sched_interrupt(t);
}

/* Tell every thread of p to stop (they do on their way back to ring 3,
 * or when a blocking call sees proc_killed()). The first reason counts. */
static void proc_mark_exiting(struct process *p, int wait_status)
{
    uint32_t s = irq_save();
    if (!p->exiting) {
        p->exiting = true;
        p->wait_status = wait_status;
        proc_interrupt_threads(p);
    }
    irq_restore(s);
}

void proc_exit(int wait_status)
{
    proc_mark_exiting(proc_current(), wait_status);
}

void proc_fault(struct trapframe *tf, int sig, const char *what)
{
    (void)tf;
    struct process *p = proc_current();
    if (p == NULL)
        panic("proc_fault without a process: %s", what);
    if (p->exiting)
        return;                 /* already told to end (out of memory, kill) */
    kprintf("[pid %d %s] killed: %s\n", p->pid, p->name, what);
    proc_mark_exiting(p, W_KILLED(sig));
}

static bool sig_can_ignore(int sig)
{
    return sig == SIGINT || sig == SIGPIPE;
}

/* Deliver sig to the live process p; sig 0 delivers nothing (kill's
 * existence check). An ignored signal is dropped; init cannot be ended. */
static int proc_deliver(struct process *p, int sig)
{
    if (sig == 0)
        return 0;
    if (p == init_process)
        return -EPERM;          /* init ignores kill(): it must stay */
    if (sig_can_ignore(sig) && (p->sig_ignored & (1u << sig)))
        return 0;
    proc_mark_exiting(p, W_KILLED(sig));
    return 0;
}

/* Every live process of group pgid: 0 if one was signalled (or only
 * checked), -EPERM if the group is only init, -ESRCH if it is empty. One
 * pass with interrupts off: a member forking meanwhile cannot add a
 * child that the pass misses. */
static int proc_kill_group(int pgid, int sig)
{
    int err = -ESRCH;
    uint32_t s = irq_save();
    struct process *p;
    list_for_each_entry(p, &all_processes, all_node) {
        if (p->pgid != pgid || p->state == PROC_ZOMBIE)
            continue;
        int r = proc_deliver(p, sig);
        if (err != 0)
            err = r;
    }
    irq_restore(s);
    return err;
}

int proc_kill(int pid, int sig)
{
    if (pid == 0 && proc_current() != NULL)
        pid = -proc_current()->pgid;
    if (pid < 0)
        return pid == INT32_MIN ? -ESRCH : proc_kill_group(-pid, sig);
    struct process *p = proc_find(pid);
    if (p == NULL || p->state == PROC_ZOMBIE)
        return -ESRCH;
    return proc_deliver(p, sig);
}

bool proc_group_exists(int pgid)
{
    bool found = false;
    uint32_t s = irq_save();
    struct process *p;
    list_for_each_entry(p, &all_processes, all_node)
        found |= p->pgid == pgid && p->state != PROC_ZOMBIE;
    irq_restore(s);
    return found;
}

/* POSIX, without sessions: a process may move itself or a child of its
 * own; the group must be the process's own pid (a new group) or one
 * that exists. */
int proc_setpgid(int pid, int pgid)
{
    struct process *me = proc_current();
    if (pid < 0 || pgid < 0)
        return -EINVAL;
    int err = 0;
    uint32_t s = irq_save();    /* p cannot be reaped while we look */
    struct process *p = pid == 0 ? me : proc_find(pid);
    if (p == NULL || p->state == PROC_ZOMBIE || (p != me && p->parent != me))
        err = -ESRCH;
    else if (pgid != 0 && pgid != p->pid && !proc_group_exists(pgid))
        err = -EPERM;
    else
        p->pgid = pgid != 0 ? pgid : p->pid;
    irq_restore(s);
    return err;
}

int proc_getpgid(int pid)
{
    struct process *p = pid == 0 ? proc_current() : proc_find(pid);
    if (p == NULL)
        return -ESRCH;
    return p->pgid;
}

int proc_signal(int sig, int disposition)
{
    if (!sig_can_ignore(sig) || (disposition != SIG_DFL && disposition != SIG_IGN))
        return -EINVAL;
    struct process *p = proc_current();
    uint32_t bit = 1u << sig;
    int old = (p->sig_ignored & bit) ? SIG_IGN : SIG_DFL;
    if (disposition == SIG_IGN)
        p->sig_ignored |= bit;
    else
        p->sig_ignored &= ~bit;
    return old;
}

/* From p's threads: the ticks they ran, how many still live, and the
 * state letter: R if one runs or waits for the CPU, else S; Z for a
 * zombie process. */
static char proc_thread_summary(struct process *p, unsigned *ticks, int *threads)
{
    char state = p->state == PROC_ZOMBIE ? PI_ZOMBIE : PI_SLEEPING;
    struct thread *t;
    *ticks = 0;
    *threads = 0;
    list_for_each_entry(t, &p->threads, proc_node) {
        *ticks += t->ticks;
        if (t->state == THREAD_ZOMBIE)
            continue;
        (*threads)++;
        if (state == PI_SLEEPING && (t->state == THREAD_RUNNING || t->state == THREAD_RUNNABLE))
            state = PI_RUNNING;
    }
    return state;
}

int proc_info(struct procinfo *out, int max)
{
    int n = 0;
    uint32_t s = irq_save();
    struct process *p;
    list_for_each_entry(p, &all_processes, all_node) {
        if (n == max)
            break;
        struct procinfo *pi = &out[n++];
        memset(pi, 0, sizeof *pi);
        pi->pid = p->pid;
        pi->ppid = p->parent != NULL ? p->parent->pid : 0;
        pi->pgid = p->pgid;
        pi->state = proc_thread_summary(p, &pi->ticks, &pi->threads);
        pi->mem_pages = p->as != NULL ? (unsigned)uvm_mapped_pages(p->as) : 0;
        strncpy(pi->name, p->name, PI_NAME_MAX - 1);
    }
    irq_restore(s);
    return n;
}

/* The last thread of p is leaving: give back its memory and files, hand
 * its children to init, and tell the parent. p stays as a ZOMBIE. */
void proc_finish(struct process *p)
{
    file_table_close(p);
    if (p->as != NULL) {
        if (proc_current() == p)
            vm_activate(&kernel_as);    /* never free the tables in CR3 */
        uvm_destroy(p->as);
        p->as = NULL;
    }
    uint32_t s = irq_save();
    struct list_node *n, *tmp;
    bool zombie_orphans = false;
    list_for_each_safe(n, tmp, &p->children) {
        struct process *child = list_entry(n, struct process, sibling_node);
        list_remove(&child->sibling_node);
        child->parent = init_process;
        if (init_process != NULL && init_process != p)
            list_push_back(&init_process->children, &child->sibling_node);
        zombie_orphans |= child->state == PROC_ZOMBIE;
    }
    if (zombie_orphans && init_process != NULL && init_process != p)
        waitqueue_wake_all(&init_process->child_exited);
    p->state = PROC_ZOMBIE;
    if (p->parent != NULL)
        waitqueue_wake_all(&p->parent->child_exited);
    if (p == init_process) {
        waitqueue_wake_all(&init_exited);
        tty_set_cooked(false);  /* the kernel monitor reads it again */
    }
    irq_restore(s);
}

/* Free a ZOMBIE process's remains: its (zombie) threads and the struct. */
void proc_reap(struct process *p)
{
    struct list_node *n, *tmp;
    list_for_each_safe(n, tmp, &p->threads) {
        struct thread *t = list_entry(n, struct thread, proc_node);
        list_remove(&t->proc_node);
        thread_join(t);
    }
    uint32_t s = irq_save();
    list_remove(&p->all_node);
    list_remove(&p->sibling_node);
    nprocs--;
    irq_restore(s);
    kfree(p);
}

void proc_thread_exit(int status)
{
    struct process *p = proc_current();
    irq_disable();
    if (--p->live_threads == 0) {
        if (!p->exiting)
            p->wait_status = W_EXITCODE(status);
        irq_enable();
        proc_finish(p);
    }
    thread_exit(status);
}

void proc_return_to_user(struct trapframe *tf)
{
    (void)tf;
    struct process *p = proc_current();
    if (p != NULL && p->exiting)
        proc_thread_exit(0);
}

/* A zombie child that pid selects (-1: any), or NULL; *any: is there a
 * child that pid selects at all? */
static struct process *find_zombie_child(struct process *me, int pid, bool *any)
{
    struct process *c;
    *any = false;
    list_for_each_entry(c, &me->children, sibling_node) {
        if (pid != -1 && c->pid != pid)
            continue;
        *any = true;
        if (c->state == PROC_ZOMBIE)
            return c;
    }
    return NULL;
}

int proc_waitpid(int pid, int *status, int options)
{
    struct process *me = proc_current();
    uint32_t s = irq_save();
    for (;;) {
        bool any;
        struct process *c = find_zombie_child(me, pid, &any);
        if (c != NULL) {
            /* Ours now: another thread of this process waiting for the
             * same child must not find it while we free it. */
            list_remove(&c->sibling_node);
            irq_restore(s);
            int found = c->pid;
            *status = c->wait_status;
            proc_reap(c);
            return found;
        }
        if (!any || (options & WNOHANG) || proc_killed()) {
            irq_restore(s);
            return !any ? -ECHILD : (options & WNOHANG) ? 0 : -EINTR;
        }
        waitqueue_sleep(&me->child_exited);
    }
}

int proc_thread_create(uintptr_t entry, uintptr_t arg, uintptr_t stack_top)
{
    struct process *p = proc_current();
    struct trapframe tf;
    user_frame_init(&tf);
    /* The new thread starts as if entry(arg) had just been called with
     * a return address of 0: returning from entry faults, so the libc's
     * thread start calls thread_exit itself. The two words go right below
     * stack_top (docs/abi.md); the libc realigns the stack itself. */
    uint32_t frame[2] = { 0, arg };
    if (copyout(stack_top - sizeof frame, frame, sizeof frame) != 0)
        return -EFAULT;
    tf.eip = entry;
    tf.esp = stack_top - sizeof frame;
    struct thread *t = user_thread_create(p, &tf);
    if (t == NULL)
        return -ENOMEM;
    fpu_init_state(t->fpu_state);
    uint32_t s = sched_lock_irqsave();
    sched_wakeup(t);
    sched_unlock_irqrestore(s);
    return t->tid;
}

int proc_thread_join(int tid, int *status)
{
    struct process *p = proc_current();
    struct thread *t = thread_find(tid);
    if (t == NULL || t->proc != p)
        return -ESRCH;
    if (t == current_thread)
        return -EINVAL;
    /* t's state is the scheduler's: wait under sched_lock (sched.h). */
    uint32_t s = sched_lock_irqsave();
    while (t->state != THREAD_ZOMBIE) {
        if (proc_killed()) {
            sched_unlock_irqrestore(s);
            return -EINTR;
        }
        waitqueue_sleep(&t->joiners);
    }
    sched_unlock_irqrestore(s);
    s = irq_save();
    list_remove(&t->proc_node);
    irq_restore(s);
    *status = thread_join(t);
    return 0;
}

uint32_t heap_faults;

bool proc_heap_fault(struct process *p, uintptr_t addr)
{
    uintptr_t page = addr & ~(uintptr_t)(PAGE_SIZE - 1);
    if (addr < p->heap_start || page >= p->brk)
        return false;
    if (uvm_map_zeroed(p->as, page, PAGE_SIZE, PTE_W) != 0) {
        proc_out_of_memory(p, addr);
        return false;
    }
    heap_faults++;
    return true;
}

bool proc_write_fault(struct process *p, uintptr_t addr)
{
    if (uvm_resolve_cow(p->as, addr))
        return true;
    if (uvm_is_cow(p->as, addr))
        proc_out_of_memory(p, addr);    /* a COW page, but no frame for the copy */
    return false;
}

void proc_out_of_memory(struct process *p, uintptr_t addr)
{
    /* Not a panic: only the process that needed the page pays. Its
     * thread ends on its way back to user mode; a fault inside copyin or
     * copyout gets -EFAULT first (usercopy_fixup). */
    if (!p->exiting)
        kprintf("[pid %d %s] killed: out of memory (page at 0x%08x)\n", p->pid, p->name,
                (unsigned)addr);
    proc_mark_exiting(p, W_KILLED(SIGKILL));
}

bool proc_mem_fits(struct process *p, uintptr_t brk)
{
    size_t heap_pages = (brk - p->heap_start + PAGE_SIZE - 1) / PAGE_SIZE;
    return p->image_pages + heap_pages <= TP_MEM_MAX / PAGE_SIZE;
}

void proc_switch(struct thread *prev, struct thread *next)
{
    if (prev->proc != NULL)
        fpu_save(prev->fpu_state);
    if (next->proc != NULL) {
        fpu_restore(next->fpu_state);
        if (next->proc->as != NULL)
            vm_activate(next->proc->as);
    }
    /* SAFETY: pointer -> integer: the top of next's kernel stack, where
     * the CPU builds the frame of a trap from ring 3. */
    tss_set_kernel_stack((uint32_t)next->stack.top);
}
#endif /* LAB >= 4 */
