/*
 * process.h -- user processes: an address space, threads, open files.
 *
 * A process is what a program runs in: its own page directory (uvm.h),
 * one or more threads (thread.h; each runs in ring 3 and enters the
 * kernel on its own kernel stack), a table of open files, a parent and
 * children. Its life: created by fork() (or for init, by the kernel),
 * given a new program by execve(), ended by exit(), a fault or kill();
 * then a ZOMBIE until its parent's waitpid() collects the status and
 * frees what is left.
 */
#ifndef PROC_PROCESS_H
#define PROC_PROCESS_H

#if LAB >= 4
#include "proc/waitqueue.h"
#include "arch/i386/trapframe.h"
#include "list.h"
#include "abi/rlimit.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PROC_NAME_MAX  16
#define PROC_MAX_FILES TP_OPEN_MAX    /* abi/rlimit.h; at most 32 (fd_cloexec) */
#define PROC_STACK_PAGES 16     /* the first thread's user stack: 64 KiB */
#define EXEC_MAX_ARGS  64       /* argv plus envp strings */
#define EXEC_MAX_BYTES 8192     /* their bytes, NULs included */

enum proc_state { PROC_ALIVE, PROC_ZOMBIE };

struct file;
struct ramfs_node;
struct thread;
struct addr_space;

struct process {
    int pid;
    char name[PROC_NAME_MAX];       /* the program's file name */
    enum proc_state state;
    struct process *parent;         /* NULL only for init */
    struct list_node children;      /* its children, by sibling_node */
    struct list_node sibling_node;
    struct list_node all_node;      /* on all_processes */
    struct addr_space *as;
    uintptr_t heap_start, brk;      /* sbrk's heap: [heap_start, brk) */
    struct list_node threads;       /* struct thread.proc_node, zombies too */
    int live_threads;               /* not yet exited */
    bool exiting;                   /* exit(), a fault or kill(): threads stop */
    int wait_status;                /* for waitpid (abi/wait.h encoding) */
    struct waitqueue child_exited;  /* the process sleeps here in waitpid() */
    struct file *files[PROC_MAX_FILES];
    int pgid;                       /* process group (Ctrl-C, kill(-pgid)) */
    uint32_t sig_ignored;           /* bit sig: signal(sig, SIG_IGN) */
    size_t image_pages;             /* mapped by exec (text, data, stack) */
    uint32_t fd_cloexec;            /* bit fd set: close files[fd] on exec (fs/file.c) */
    struct ramfs_node *cwd;         /* the working directory, held (fs/vfs.c) */
};

extern struct list_node all_processes;

/* Start `path` as process 1 (init) with argv; NULL and a message if it
 * cannot be loaded. Its first thread is runnable. */
struct process *proc_start_init(const char *path, char *const argv[]);
struct process *proc_current(void);
/* The current process, for code that runs only in one (the system calls
 * of this file): panics on a kernel thread, where proc_current() is NULL
 * -- a clear message instead of a NULL dereference (make lint). */
struct process *proc_self(void);
/* Give p the address space `as` (NULL: none); returns the old one, which
 * the caller frees. Under the process table's lock: ps reads p->as. */
struct addr_space *proc_set_as(struct process *p, struct addr_space *as);
struct process *proc_find(int pid);

/* The system calls' work (sys_proc.c checks the arguments). */
int proc_fork(struct trapframe *tf);
int proc_exec(struct trapframe *tf, const char *path, char *const argv[], char *const envp[],
              int argc, int envc);
int proc_waitpid(int pid, int *status, int options);
/* kill(): pid > 0 one process, pid < 0 the group -pid, 0 the caller's
 * group; sig 0 only checks that the target exists. An ignored signal
 * does nothing; init is never ended. 0 or -errno. Interrupts may be off
 * (Ctrl-C comes from the console's interrupt). */
int proc_kill(int pid, int sig);
int proc_setpgid(int pid, int pgid);
int proc_getpgid(int pid);
/* Does any live process belong to group pgid? */
bool proc_group_exists(int pgid);
/* signal(): set the disposition of sig (SIG_DFL/SIG_IGN); the old one. */
int proc_signal(int sig, int disposition);
/* Fill up to max records about the live and zombie processes; how many. */
struct procinfo;
int proc_info(struct procinfo *out, int max);
/* Out of memory while faulting a page in for p at addr: one line, and p
 * ends with SIGKILL. */
void proc_out_of_memory(struct process *p, uintptr_t addr);
/* A write fault on a present page: copy-on-write. False if that did not
 * resolve it (after proc_out_of_memory when no frame was left). */
bool proc_write_fault(struct process *p, uintptr_t addr);
/* Would a heap up to brk keep p within TP_MEM_MAX (with exec's pages)? */
bool proc_mem_fits(struct process *p, uintptr_t brk);
/* End the calling thread's process with this wait status: the thread
 * itself stops on its way back to user mode (proc_return_to_user). */
void proc_exit(int wait_status);
/* A new user thread in the caller's process, starting at entry(arg) on
 * the user stack stack_top. Its tid, or -errno. */
int proc_thread_create(uintptr_t entry, uintptr_t arg, uintptr_t stack_top);
int proc_thread_join(int tid, int *status);
__attribute__((noreturn)) void proc_thread_exit(int status);

/* From trap() and the system-call paths, just before returning to ring
 * 3: a thread of an exiting process stops here. */
void proc_return_to_user(struct trapframe *tf);
/* A fault from user mode that nothing resolved: print one line, end the
 * process with `sig`. */
void proc_fault(struct trapframe *tf, int sig, const char *what);
/* Has the calling thread's process been told to end (a blocking system
 * call then returns -EINTR)? */
bool proc_killed(void);
/* From switch_to(): the next thread's address space, kernel stack for
 * traps from ring 3, and FPU registers. */
void proc_switch(struct thread *prev, struct thread *next);

/* Load the program at `path` into p (exec.c): a new address space with
 * its segments and a stack holding argv, envp and the auxiliary vector;
 * *tf is set to start it. Kernel strings. On failure p is unchanged. */
int exec_into(struct process *p, struct trapframe *tf, const char *path,
              char *const argv[], int argc, char *const envp[], int envc);
/* The last thread of p leaves: free the memory and files, orphans to
 * init, p becomes a ZOMBIE and its parent is told. */
void proc_finish(struct process *p);
/* Free a ZOMBIE's remains (its zombie threads, the struct). */
void proc_reap(struct process *p);
/* A not-present fault at addr in p: a heap page below the break that
 * was never touched gets a zeroed frame (sbrk maps nothing). True if
 * that resolved it. */
bool proc_heap_fault(struct process *p, uintptr_t addr);
extern uint32_t heap_faults;
/* Woken when init (process 1) has ended. */
extern struct waitqueue init_exited;
/* Wait until init (p) is a ZOMBIE (the kernel's main thread, main.c). */
void proc_wait_zombie(struct process *p);
/* The calling process's parent's pid (0: none). */
int proc_getppid(void);
#endif /* LAB >= 4 */

#endif
