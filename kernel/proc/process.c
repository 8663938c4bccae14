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
#include "sync/spinlock.h"
#include "console.h"
#include "fs/tty.h"
#include "lab.h"
#include "panic.h"
#include "trace.h"
#ifdef UNIKERNEL
#include "unikernel.h"
#endif
#include <string.h>

/*
 * proc_lock: the process table and the family tree. It protects
 * all_processes, next_pid, nprocs, and in every struct process: state,
 * parent, children/sibling_node, pgid, sig_ignored, exiting, wait_status,
 * threads (the list) and live_threads.
 * Taken with interrupts off (Ctrl-C comes from the console's interrupt,
 * tty.c). Order: proc_lock before the scheduler's lock (sched_wakeup,
 * waitqueue_wake_*, sched_interrupt take it inside) and before the
 * console's; never held around tty_* calls (the tty takes proc_lock
 * inside its own lock when it delivers Ctrl-C).
 */
static struct spinlock proc_lock = SPINLOCK_INIT("proc");
struct list_node all_processes = LIST_INIT(all_processes);  /* protected by proc_lock */
static int next_pid = 1;        /* protected by proc_lock */
static int nprocs;              /* alive or zombie: at most TP_PROC_MAX; protected by proc_lock */
static struct process *init_process;    /* set once, before any other process exists */
/* The kernel's main thread waits here for init to end (main.c). */
struct waitqueue init_exited = WAITQUEUE_INIT(init_exited, "init");

extern char user_entry[];

struct process *proc_current(void)
{
    return current_thread != NULL ? current_thread->proc : NULL;
}

struct process *proc_self(void)
{
    struct process *p = proc_current();
    if (p == NULL)
        panic("a process's system call on a kernel thread");
    return p;
}

bool proc_killed(void)
{
    struct process *p = proc_current();
    return p != NULL && p->exiting;
}

/* proc_find() with proc_lock held: the result stays valid while it is. */
static struct process *proc_find_locked(int pid)
{
    struct process *p;
    list_for_each_entry(p, &all_processes, all_node)
        if (p->pid == pid)
            return p;
    return NULL;
}

struct process *proc_find(int pid)
{
    uint32_t s = spin_lock_irqsave(&proc_lock);
    struct process *found = proc_find_locked(pid);
    spin_unlock_irqrestore(&proc_lock, s);
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
    uint32_t s = spin_lock_irqsave(&proc_lock);
    /* A parent killed meanwhile (Ctrl-C to its group comes from an
     * interrupt): a child now would escape that kill. */
    bool parent_ending = parent != NULL && parent->exiting;
    if (nprocs >= TP_PROC_MAX || parent_ending) {
        spin_unlock_irqrestore(&proc_lock, s);
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
    spin_unlock_irqrestore(&proc_lock, s);
    return p;
}

/* Counts one more thread of p against TP_THREAD_MAX before it exists:
 * the check and the count under one lock, so that threads of p making
 * threads on several CPUs at once cannot pass the limit together.
 * Without a limit, one process could take every kernel stack there is
 * (KSTACK_SLOTS), and with them every other process's fork. */
static bool thread_slot_take(struct process *p)
{
    uint32_t s = spin_lock_irqsave(&proc_lock);
    bool room = p->live_threads < TP_THREAD_MAX;
    if (room)
        p->live_threads++;
    spin_unlock_irqrestore(&proc_lock, s);
    return room;
}

static void thread_slot_give_back(struct process *p)
{
    uint32_t s = spin_lock_irqsave(&proc_lock);
    p->live_threads--;
    spin_unlock_irqrestore(&proc_lock, s);
}

/* A thread of p that starts in ring 3 with the registers in *tf: its
 * kernel stack holds a copy of the frame, and its first switch lands in
 * user_entry, which "returns" from that frame (trapentry.S). NULL and
 * *err = -EAGAIN (p has TP_THREAD_MAX threads) or -ENOMEM. */
static struct thread *user_thread_create(struct process *p, const struct trapframe *tf, int *err)
{
    *err = -EAGAIN;
    if (!thread_slot_take(p))
        return NULL;
#ifdef UNIKERNEL
    /* The one program of a unikernel build starts in ring 0 instead. */
    struct trapframe ring0 = *tf;
    unikernel_frame(&ring0, p);
    tf = &ring0;
#endif
    /* SAFETY: the address of the asm label user_entry, as an entry point. */
    struct thread *t = thread_create_with_frame(p->name, tf, sizeof *tf,
                                                (void (*)(void))(uintptr_t)user_entry);
    if (t == NULL) {
        thread_slot_give_back(p);
        *err = -ENOMEM;
        return NULL;
    }
    t->proc = p;
    uint32_t s = spin_lock_irqsave(&proc_lock);
    list_push_back(&p->threads, &t->proc_node);     /* counted in live_threads already */
    spin_unlock_irqrestore(&proc_lock, s);
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
    struct thread *t = err == 0 ? user_thread_create(p, &tf, &err) : NULL;
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
    struct process *parent = proc_self();
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
    struct thread *t = user_thread_create(child, &ctf, &err);
    if (t == NULL) {
        proc_finish(child);
        proc_reap(child);
        return err;
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
    /* proc_lock held: p->threads stays put; sched_interrupt() takes the
     * scheduler's lock inside (proc_lock comes first). */
    struct thread *t;
    list_for_each_entry(t, &p->threads, proc_node)
        if (t != current_thread)
            sched_interrupt(t);
}

/* Tell every thread of p to stop (they do on their way back to ring 3,
 * or when a blocking call sees proc_killed()). The first reason counts. */
/* proc_mark_exiting() with proc_lock held. */
static void proc_mark_exiting_locked(struct process *p, int wait_status)
{
    if (!p->exiting) {
        p->exiting = true;
        p->wait_status = wait_status;
        proc_interrupt_threads(p);
    }
}

static void proc_mark_exiting(struct process *p, int wait_status)
{
    uint32_t s = spin_lock_irqsave(&proc_lock);
    proc_mark_exiting_locked(p, wait_status);
    spin_unlock_irqrestore(&proc_lock, s);
}

void proc_exit(int wait_status)
{
    proc_mark_exiting(proc_self(), wait_status);
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
 * existence check). An ignored signal is dropped; init cannot be ended.
 * proc_lock held: p cannot be reaped meanwhile. */
static int proc_deliver(struct process *p, int sig)
{
    if (sig == 0)
        return 0;
    if (p == init_process)
        return -EPERM;          /* init ignores kill(): it must stay */
    if (sig_can_ignore(sig) && (p->sig_ignored & (1u << sig)))
        return 0;
    proc_mark_exiting_locked(p, W_KILLED(sig));
    return 0;
}

/* Every live process of group pgid: 0 if one was signalled (or only
 * checked), -EPERM if the group is only init, -ESRCH if it is empty. One
 * pass under proc_lock: a member forking meanwhile (on this CPU or
 * another) cannot add a child that the pass misses. */
static int proc_kill_group(int pgid, int sig)
{
    int err = -ESRCH;
    uint32_t s = spin_lock_irqsave(&proc_lock);
    struct process *p;
    list_for_each_entry(p, &all_processes, all_node) {
        if (p->pgid != pgid || p->state == PROC_ZOMBIE)
            continue;
        int r = proc_deliver(p, sig);
        if (err != 0)
            err = r;
    }
    spin_unlock_irqrestore(&proc_lock, s);
    return err;
}

int proc_kill(int pid, int sig)
{
    if (pid == 0 && proc_current() != NULL)
        pid = -proc_current()->pgid;
    if (pid < 0)
        return pid == INT32_MIN ? -ESRCH : proc_kill_group(-pid, sig);
    uint32_t s = spin_lock_irqsave(&proc_lock);     /* p cannot be reaped meanwhile */
    struct process *p = proc_find_locked(pid);
    int err = p == NULL || p->state == PROC_ZOMBIE ? -ESRCH : proc_deliver(p, sig);
    spin_unlock_irqrestore(&proc_lock, s);
    return err;
}

/* proc_group_exists() with proc_lock held. */
static bool proc_group_exists_locked(int pgid)
{
    struct process *p;
    list_for_each_entry(p, &all_processes, all_node)
        if (p->pgid == pgid && p->state != PROC_ZOMBIE)
            return true;
    return false;
}

bool proc_group_exists(int pgid)
{
    uint32_t s = spin_lock_irqsave(&proc_lock);
    bool found = proc_group_exists_locked(pgid);
    spin_unlock_irqrestore(&proc_lock, s);
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
    uint32_t s = spin_lock_irqsave(&proc_lock);     /* p cannot be reaped while we look */
    struct process *p = pid == 0 ? me : proc_find_locked(pid);
    if (p == NULL || p->state == PROC_ZOMBIE || (p != me && p->parent != me))
        err = -ESRCH;
    else if (pgid != 0 && pgid != p->pid && !proc_group_exists_locked(pgid))
        err = -EPERM;
    else
        p->pgid = pgid != 0 ? pgid : p->pid;
    spin_unlock_irqrestore(&proc_lock, s);
    return err;
}

int proc_getpgid(int pid)
{
    uint32_t s = spin_lock_irqsave(&proc_lock);
    struct process *p = pid == 0 ? proc_current() : proc_find_locked(pid);
    int pgid = p != NULL ? p->pgid : -ESRCH;
    spin_unlock_irqrestore(&proc_lock, s);
    return pgid;
}

int proc_signal(int sig, int disposition)
{
    if (!sig_can_ignore(sig) || (disposition != SIG_DFL && disposition != SIG_IGN))
        return -EINVAL;
    struct process *p = proc_self();
    uint32_t bit = 1u << sig;
    uint32_t s = spin_lock_irqsave(&proc_lock);     /* kill() reads it on other CPUs */
    int old = (p->sig_ignored & bit) ? SIG_IGN : SIG_DFL;
    if (disposition == SIG_IGN)
        p->sig_ignored |= bit;
    else
        p->sig_ignored &= ~bit;
    spin_unlock_irqrestore(&proc_lock, s);
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
    uint32_t s = spin_lock_irqsave(&proc_lock);
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
    spin_unlock_irqrestore(&proc_lock, s);
    return n;
}

struct addr_space *proc_set_as(struct process *p, struct addr_space *as)
{
    uint32_t s = spin_lock_irqsave(&proc_lock);
    struct addr_space *old = p->as;
    p->as = as;
    spin_unlock_irqrestore(&proc_lock, s);
    return old;
}

/* The last thread of p is leaving: give back its memory and files, hand
 * its children to init, and tell the parent. p stays as a ZOMBIE. */
/* Wait until every thread of p but the caller is a ZOMBIE: switched out
 * for good, on whichever CPU it ran, so no CPU runs on p's page tables.
 * p's other threads have all passed proc_thread_exit() (live_threads is
 * 0), so nobody adds to or removes from p->threads meanwhile. */
static void proc_wait_other_threads(struct process *p)
{
    struct thread *t;
    list_for_each_entry(t, &p->threads, proc_node) {
        if (t == current_thread)
            continue;
        uint32_t s = sched_lock_irqsave();     /* t->state is sched_lock's */
        while (t->state != THREAD_ZOMBIE)
            waitqueue_sleep(&t->joiners);
        sched_unlock_irqrestore(s);
    }
}

void proc_finish(struct process *p)
{
    file_table_close(p);
    proc_wait_other_threads(p);
    struct addr_space *as = proc_set_as(p, NULL);  /* ps must not walk it meanwhile */
    if (as != NULL) {
        if (proc_current() == p)
            vm_activate(&kernel_as);    /* never free the tables in CR3 */
        uvm_destroy(as);
    }
    uint32_t s = spin_lock_irqsave(&proc_lock);
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
    if (p == init_process)
        waitqueue_wake_all(&init_exited);
    spin_unlock_irqrestore(&proc_lock, s);
    /* Outside proc_lock: the tty takes its own lock, and inside it (on
     * Ctrl-C) proc_lock. */
    if (p == init_process)
        tty_set_cooked(false);  /* the kernel monitor reads it again */
}

/* Free a ZOMBIE process's remains: its (zombie) threads and the struct. */
void proc_reap(struct process *p)
{
    /* One thread at a time off the list under proc_lock (ps walks it on
     * other CPUs), joined without it: thread_join() may sleep. */
    for (;;) {
        uint32_t s = spin_lock_irqsave(&proc_lock);
        struct list_node *n = list_pop_front(&p->threads);
        spin_unlock_irqrestore(&proc_lock, s);
        if (n == NULL)
            break;
        list_init(n);
        thread_join(list_entry(n, struct thread, proc_node));
    }
    uint32_t s = spin_lock_irqsave(&proc_lock);
    list_remove(&p->all_node);
    list_remove(&p->sibling_node);
    nprocs--;
    spin_unlock_irqrestore(&proc_lock, s);
    kfree(p);
}

void proc_thread_exit(int status)
{
    struct process *p = proc_self();
    uint32_t s = spin_lock_irqsave(&proc_lock);
    bool last = --p->live_threads == 0;
    if (last && !p->exiting)
        p->wait_status = W_EXITCODE(status);
    spin_unlock_irqrestore(&proc_lock, s);
    if (last)
        proc_finish(p);
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
    uint32_t s = spin_lock_irqsave(&proc_lock);
    for (;;) {
        bool any;
        struct process *c = find_zombie_child(me, pid, &any);
        if (c != NULL) {
            /* Ours now: another thread of this process waiting for the
             * same child must not find it while we free it. */
            list_remove(&c->sibling_node);
            spin_unlock_irqrestore(&proc_lock, s);
            int found = c->pid;
            *status = c->wait_status;
            proc_reap(c);
            return found;
        }
        if (!any || (options & WNOHANG) || proc_killed()) {
            spin_unlock_irqrestore(&proc_lock, s);
            return !any ? -ECHILD : (options & WNOHANG) ? 0 : -EINTR;
        }
        /* proc_finish() makes a child a ZOMBIE and wakes us under
         * proc_lock: we are on the queue before it can look. */
        waitqueue_sleep_on(&me->child_exited, &proc_lock);
    }
}

void proc_wait_zombie(struct process *p)
{
    /* proc_finish() makes p a ZOMBIE and wakes init_exited under
     * proc_lock, maybe on another CPU: we are on the queue before. */
    uint32_t s = spin_lock_irqsave(&proc_lock);
    while (p->state != PROC_ZOMBIE)
        waitqueue_sleep_on(&init_exited, &proc_lock);
    spin_unlock_irqrestore(&proc_lock, s);
}

int proc_getppid(void)
{
    /* Under proc_lock: the parent may end and be reaped meanwhile (we
     * then belong to init). */
    uint32_t s = spin_lock_irqsave(&proc_lock);
    struct process *parent = proc_self()->parent;
    int ppid = parent != NULL ? parent->pid : 0;
    spin_unlock_irqrestore(&proc_lock, s);
    return ppid;
}

int proc_thread_create(uintptr_t entry, uintptr_t arg, uintptr_t stack_top)
{
    struct process *p = proc_self();
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
    int err;
    struct thread *t = user_thread_create(p, &tf, &err);
    if (t == NULL)
        return err;
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
    s = spin_lock_irqsave(&proc_lock);
    list_remove(&t->proc_node);
    spin_unlock_irqrestore(&proc_lock, s);
    *status = thread_join(t);
    return 0;
}

uint32_t heap_faults;

bool proc_heap_fault(struct process *p, uintptr_t addr)
{
    uintptr_t page = addr & ~(uintptr_t)(PAGE_SIZE - 1);
    /* The break and the mapping in one piece: sbrk on another thread
     * (another CPU) changes brk under the same lock. A page that another
     * thread mapped first is simply there (uvm_map_zeroed skips it). */
    uint32_t s = uvm_lock(p->as);
    bool in_heap = addr >= p->heap_start && page < p->brk;
    int err = in_heap ? uvm_map_zeroed_locked(p->as, page, PAGE_SIZE, PTE_W) : 0;
    uvm_unlock(p->as, s);
    if (!in_heap)
        return false;
    if (err != 0) {
        proc_out_of_memory(p, addr);
        return false;
    }
    __atomic_fetch_add(&heap_faults, 1, __ATOMIC_RELAXED);
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
#if LAB >= 5
    /* A kernel thread (the idle one) runs on whatever CR3 it finds. On
     * one CPU that is harmless; with several, the process we leave may
     * end on another CPU and free its page directory under us: leave it
     * for the kernel's own. */
    if (sched_smp() && next->proc == NULL && prev->proc != NULL)
        vm_activate(&kernel_as);
#endif
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
