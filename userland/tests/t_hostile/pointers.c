/*
 * pointers.c -- group "ptr": bad pointers where t_efault and usertests'
 * bad_pointers do not reach.
 *
 * t_efault covers read, write, open, stat, fstat, execve, waitpid and
 * thread_create with NULL, kernel, unmapped and straddling pointers;
 * usertests covers pipe, getdents, getcwd and the path calls with NULL,
 * kernel and unmapped ones. Here, the kinds they leave out:
 *   readonly   a read-only page (the program's .rodata) where the kernel
 *              must WRITE: the page is present and in user space, so a
 *              range check passes; only the write fault may stop it
 *   heap_end   a buffer, or a string without a terminator, that runs off
 *              the end of the heap into the unmapped page above it
 *   top        a string without a terminator in the last bytes below
 *              USER_TOP (for the path calls usertests checks only with
 *              whole bad pointers)
 *   above_top  0xFFFFF000: the page right above user space
 *   wrap       0xFFFFFFF0 with 32 bytes: a range that wraps past 2^32
 *   guard      the unmapped guard page below the stack
 * and the calls nobody checks: procinfo, getcpu, futex, execve's envp,
 * thread_create's entry. Two more check what must happen to memory
 * that IS valid: a read into a copy-on-write page after fork copies it
 * (the parent's page stays as it was), and a read into a heap page never
 * touched maps it.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <tidepool.h>
#include <unistd.h>

#include <rlimit.h>     /* kernel/abi: TP_PATH_MAX */

#include "hostile.h"
#if LAB >= 5
#include <futex.h>      /* kernel/abi: FUTEX_WAIT */
#endif

enum kind { NUL, KERNEL, UNMAPPED, READONLY, HEAP_END, TOP, ABOVE_TOP, WRAP, GUARD };

#define ABOVE_TOP_ADDR 0xFFFFF000u
#define WRAP_ADDR      0xFFFFFFF0u
#define STACK_PAGES    16           /* the first thread's stack (kernel/proc/process.h) */

/* A read-only page of this program: .rodata is in the text segment. */
static const char readonly_page[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE))) = "read-only";

/* Where an object of `size` bytes of kind k starts. */
static uintptr_t bad_address(enum kind k, size_t size)
{
    switch (k) {
    case KERNEL:
        return KERNEL_ADDR;
    case UNMAPPED:
        return UNMAPPED_ADDR;
    case READONLY:
        return (uintptr_t)word(readonly_page);
    case HEAP_END:
        return heap_end - (size > 8 ? 8 : size / 2);
    case TOP:
        return USER_TOP - (size > 8 ? 8 : size / 2);
    case ABOVE_TOP:
        return ABOVE_TOP_ADDR;
    case WRAP:
        return WRAP_ADDR;
    case GUARD:
        return USER_STACK_TOP - (STACK_PAGES + 1) * PAGE_SIZE;
    default:
        return 0;
    }
}

static long bad(long kind, size_t size)
{
    return (long)bad_address((enum kind)kind, size);
}

/* A string of kind k with no NUL before the end of its mapping. */
static long bad_string(long kind)
{
    if (kind == HEAP_END) {
        memset(at(heap_end - 16), 'A', 16);     /* our heap: make_heap_end mapped it */
        return (long)(heap_end - 16);
    }
    if (kind == TOP) {
        /* The 8 bytes below USER_TOP are the top of this process's stack
         * (USER_STACK_TOP == USER_TOP): the end of the argument strings,
         * which this child no longer needs. */
        memset(at(USER_TOP - 8), 'A', 8);
        return (long)(USER_TOP - 8);
    }
    return bad(kind, 1);
}

/* ---- calls where the kernel writes */

static long read_into(long kind)
{
    lseek(file_fd, 0, SEEK_SET);
    return sys3(SYS_read, file_fd, bad(kind, 32), 32);
}

static long stat_into(long kind)
{
    return sys3(SYS_stat, word("/bin/hello"), bad(kind, 16), 0);
}

static long fstat_into(long kind)
{
    return sys3(SYS_fstat, file_fd, bad(kind, 16), 0);
}

/* A failed pipe() must leave no descriptor behind: -EFAULT, and the
 * next dup() gets the same number as before. */
static long pipe_into(long kind)
{
    int next = dup(0);
    close(next);
    long r = sys3(SYS_pipe, bad(kind, 8), 0, 0);
    int again = dup(0);
    close(again);
    return again == next ? r : -1000 - again;
}

static long getdents_into(long kind)
{
    lseek(dir_fd, 0, SEEK_SET);
    return sys3(SYS_getdents, dir_fd, bad(kind, 640), 640);
}

/* The case's directory is "/": 2 bytes, so the bad object is 2 bytes
 * long (heap_end - 1: its NUL lands on the unmapped page). */
static long getcwd_into(long kind)
{
    return sys3(SYS_getcwd, bad(kind, 2), 64, 0);
}

/* The child is reaped even though its status cannot be stored: a second
 * waitpid finds no child (ECHILD). */
static long waitpid_into(long kind)
{
    pid_t pid = fork();
    if (pid == 0)
        _exit(7);
    long r = sys3(SYS_waitpid, pid, bad(kind, 4), 0);
    long again = sys3(SYS_waitpid, pid, 0, 0);
    return again == -ECHILD ? r : -2000 + again;
}

static long procinfo_into(long kind)
{
    return sys3(SYS_procinfo, bad(kind, 4 * sizeof(struct procinfo)), 4, 0);
}

/* A read into a page shared copy-on-write with the parent gives the
 * child its own copy: the parent's stays as it was. 0 if so. */
static char cow_page[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE))) = "parent";

static long read_into_cow(long unused)
{
    (void)unused;
    pid_t pid = fork();
    if (pid == 0) {
        lseek(file_fd, 0, SEEK_SET);
        long n = sys3(SYS_read, file_fd, word(cow_page), 64);
        _exit(n == 64 && memcmp(cow_page, "\177ELF", 4) == 0 ? 0 : 1);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
        return -3000 - st;
    return strcmp(cow_page, "parent") == 0 ? 0 : -1;
}

/* A read into heap pages never touched: the kernel's copy maps them. */
static long read_into_fresh_heap(long unused)
{
    (void)unused;
    char *fresh = sbrk(2 * PAGE_SIZE);
    if (fresh == SBRK_FAILED)
        return -errno;
    lseek(file_fd, 0, SEEK_SET);
    long n = sys3(SYS_read, file_fd, word(fresh + PAGE_SIZE - 16), 32);
    return n == 32 && memcmp(fresh + PAGE_SIZE - 16, "\177ELF", 4) == 0 ? 32 : n;
}

/* A read from a pipe into a buffer that runs off the end of the heap:
 * -EFAULT, and the pipe keeps every byte -- the kernel checks where a
 * chunk goes before it takes the chunk -- so a read into a good buffer
 * then gets all of them, in order. */
static long read_pipe_off_heap_end(long unused)
{
    (void)unused;
    static char data[1024], got[2048];
    int p[2];
    for (unsigned i = 0; i < sizeof data; i++)
        data[i] = (char)(i * 7);
    if (pipe(p) != 0)
        return -errno;
    long w = write(p[1], data, sizeof data);
    long r = sys3(SYS_read, p[0], (long)(heap_end - 300), sizeof data);
    long n = read(p[0], got, sizeof got);
    close(p[0]);
    close(p[1]);
    if (w != (long)sizeof data || r != -EFAULT)
        return -1000 - r;
    return n == (long)sizeof data && memcmp(got, data, sizeof data) == 0 ? 0 : -3000 - n;
}

/* ---- calls where the kernel reads */

/* A write from heap pages never touched: the kernel's copy maps them
 * (zeroed), as a user read would. */
static long write_from_fresh_heap(long unused)
{
    (void)unused;
    char *fresh = sbrk(2 * PAGE_SIZE);
    int p[2];
    if (fresh == SBRK_FAILED || pipe(p) != 0)
        return -errno;
    long n = sys3(SYS_write, p[1], word(fresh + PAGE_SIZE - 16), 32);
    char back[32];
    return n == 32 && read(p[0], back, 32) == 32 && back[0] == 0 && back[31] == 0 ? 32 : n;
}

/* Into a pipe of its own: nothing reaches the console. */
static long write_from(long kind)
{
    int p[2];
    if (pipe(p) != 0)
        return -errno;
    return sys3(SYS_write, p[1], bad(kind, 32), 32);
}

static long unlink_path(long kind) { return sys3(SYS_unlink, bad_string(kind), 0, 0); }
static long mkdir_path(long kind) { return sys3(SYS_mkdir, bad_string(kind), 0755, 0); }
static long rmdir_path(long kind) { return sys3(SYS_rmdir, bad_string(kind), 0, 0); }
static long chdir_path(long kind) { return sys3(SYS_chdir, bad_string(kind), 0, 0); }
static long rename_from(long kind) { return sys3(SYS_rename, bad_string(kind), word("x"), 0); }
static long rename_to(long kind) { return sys3(SYS_rename, word("/nosuch"), bad_string(kind), 0); }

static long open_create_path(long kind)
{
    return sys3(SYS_open, bad_string(kind), O_WRONLY | O_CREAT, 0644);
}

static char *exec_argv[] = {"t_args", "argc=2 envc=0", NULL};

/* heap_end: an envp whose last word before the unmapped page is a
 * string, so that its NULL would have to lie past the mapping. */
static long execve_envp(long kind)
{
    if (kind == HEAP_END) {
        char **envp = at(heap_end - sizeof(char *));    /* our heap page */
        envp[0] = "T_ARGS_0=x";
    }
    return sys3(SYS_execve, word("/bin/t_args"), word(exec_argv), bad(kind, 8));
}

/* An envp whose string has no end before the mapping's. */
static long execve_env_string(long kind)
{
    char *envp[] = {at((uintptr_t)bad_string(kind)), NULL};
    return sys3(SYS_execve, word("/bin/t_args"), word(exec_argv), word(envp));
}

/* The entry point is not checked beyond "in user space": a thread that
 * starts at an unmapped address faults, and the fault ends its process.
 * A kernel entry point is refused up front. */
static char thread_stack[4096] __attribute__((aligned(16)));

static long thread_entry(long kind)
{
    long r = sys3(SYS_thread_create, bad(kind, 1), 0, word(thread_stack + sizeof thread_stack));
    if (kind == KERNEL || r < 0)
        return r;
    for (;;)
        yield();                /* until the new thread's fault ends us */
}

#if LAB >= 6
/* poll reads the array and writes revents back: one entry. */
static long poll_at(long kind)
{
    return sys3(SYS_poll, bad(kind, 8), 1, 0);
}
#endif

#if LAB >= 5
static long getcpu_into(long kind)
{
    return sys3(SYS_getcpu, bad(kind, 4), 0, 0);
}

static long futex_at(long kind)
{
    return sys3(SYS_futex, bad(kind, 4), FUTEX_WAIT, 0);
}

/* The whole struct is written (its size is the ABI's), so every kind of
 * bad buffer is -EFAULT; the readonly one after the kernel filled its
 * snapshot, with its lock held (sys_lockinfo must still release it: the
 * next call would hang if not). */
static long cpuinfo_into(long kind)
{
    return sys3(SYS_cpuinfo, bad(kind, sizeof(struct cpus_info)), sizeof(struct cpus_info), 0);
}

static long lockinfo_into(long kind)
{
    return sys3(SYS_lockinfo, bad(kind, sizeof(struct locks_info)), sizeof(struct locks_info), 0);
}

/* A size that is not the struct's: another layout, refused before any write. */
static struct cpus_info cpus_buf;
static struct locks_info locks_buf;

static long cpuinfo_size(long delta)
{
    return sys3(SYS_cpuinfo, word(&cpus_buf), (long)sizeof cpus_buf + delta, 0);
}

static long lockinfo_size(long delta)
{
    return sys3(SYS_lockinfo, word(&locks_buf), (long)sizeof locks_buf + delta, 0);
}
#endif

static const struct hcase cases[] = {
    {"ptr.read.buf.readonly", RETURNS, -EFAULT, read_into, READONLY},
    {"ptr.read.buf.above_top", RETURNS, -EFAULT, read_into, ABOVE_TOP},
    {"ptr.read.buf.wrap", RETURNS, -EFAULT, read_into, WRAP},
    {"ptr.read.buf.stack_guard", RETURNS, -EFAULT, read_into, GUARD},
    {"ptr.read.buf.cow_page_copied", RETURNS, 0, read_into_cow, 0},
    {"ptr.read.buf.fresh_heap_mapped", RETURNS, 32, read_into_fresh_heap, 0},
    {"ptr.read.pipe.off_heap_end_loses_nothing", RETURNS, 0, read_pipe_off_heap_end, 0},
    {"ptr.write.buf.readonly_is_fine", RETURNS, 32, write_from, READONLY},
    {"ptr.write.buf.wrap", RETURNS, -EFAULT, write_from, WRAP},
    {"ptr.write.buf.fresh_heap_mapped", RETURNS, 32, write_from_fresh_heap, 0},
    {"ptr.stat.st.readonly", RETURNS, -EFAULT, stat_into, READONLY},
    {"ptr.fstat.st.readonly", RETURNS, -EFAULT, fstat_into, READONLY},
    {"ptr.fstat.st.above_top", RETURNS, -EFAULT, fstat_into, ABOVE_TOP},
    {"ptr.pipe.fds.readonly", RETURNS, -EFAULT, pipe_into, READONLY},
    {"ptr.pipe.fds.heap_end", RETURNS, -EFAULT, pipe_into, HEAP_END},
    {"ptr.getdents.buf.readonly", RETURNS, -EFAULT, getdents_into, READONLY},
    {"ptr.getdents.buf.heap_end", RETURNS, -EFAULT, getdents_into, HEAP_END},
    {"ptr.getcwd.buf.readonly", RETURNS, -EFAULT, getcwd_into, READONLY},
    {"ptr.getcwd.buf.heap_end", RETURNS, -EFAULT, getcwd_into, HEAP_END},
    {"ptr.waitpid.status.readonly", RETURNS, -EFAULT, waitpid_into, READONLY},
    {"ptr.procinfo.buf.null", RETURNS, -EFAULT, procinfo_into, NUL},
    {"ptr.procinfo.buf.kernel", RETURNS, -EFAULT, procinfo_into, KERNEL},
    {"ptr.procinfo.buf.unmapped", RETURNS, -EFAULT, procinfo_into, UNMAPPED},
    {"ptr.procinfo.buf.readonly", RETURNS, -EFAULT, procinfo_into, READONLY},
    {"ptr.procinfo.buf.heap_end", RETURNS, -EFAULT, procinfo_into, HEAP_END},
    {"ptr.unlink.path.heap_end", RETURNS, -EFAULT, unlink_path, HEAP_END},
    {"ptr.unlink.path.top", RETURNS, -EFAULT, unlink_path, TOP},
    {"ptr.mkdir.path.heap_end", RETURNS, -EFAULT, mkdir_path, HEAP_END},
    {"ptr.rmdir.path.top", RETURNS, -EFAULT, rmdir_path, TOP},
    {"ptr.chdir.path.heap_end", RETURNS, -EFAULT, chdir_path, HEAP_END},
    {"ptr.rename.from.heap_end", RETURNS, -EFAULT, rename_from, HEAP_END},
    {"ptr.rename.to.top", RETURNS, -EFAULT, rename_to, TOP},
    {"ptr.open_creat.path.heap_end", RETURNS, -EFAULT, open_create_path, HEAP_END},
    {"ptr.execve.envp.null", RETURNS, -EFAULT, execve_envp, NUL},
    {"ptr.execve.envp.kernel", RETURNS, -EFAULT, execve_envp, KERNEL},
    {"ptr.execve.envp.heap_end", RETURNS, -EFAULT, execve_envp, HEAP_END},
    {"ptr.execve.env_string.heap_end", RETURNS, -EFAULT, execve_env_string, HEAP_END},
    {"ptr.thread_create.entry.kernel", RETURNS, -EFAULT, thread_entry, KERNEL},
    {"ptr.thread_create.entry.unmapped", KILLED_BY, SIGSEGV, thread_entry, UNMAPPED},
#if LAB >= 5
    {"ptr.getcpu.cpu.kernel", RETURNS, -EFAULT, getcpu_into, KERNEL},
    {"ptr.getcpu.cpu.readonly", RETURNS, -EFAULT, getcpu_into, READONLY},
    {"ptr.futex.uaddr.kernel", RETURNS, -EFAULT, futex_at, KERNEL},
    {"ptr.futex.uaddr.unmapped", RETURNS, -EFAULT, futex_at, UNMAPPED},
    {"ptr.cpuinfo.buf.null", RETURNS, -EFAULT, cpuinfo_into, NUL},
    {"ptr.cpuinfo.buf.kernel", RETURNS, -EFAULT, cpuinfo_into, KERNEL},
    {"ptr.cpuinfo.buf.readonly", RETURNS, -EFAULT, cpuinfo_into, READONLY},
    {"ptr.cpuinfo.buf.heap_end", RETURNS, -EFAULT, cpuinfo_into, HEAP_END},
    {"ptr.cpuinfo.buf.wrap", RETURNS, -EFAULT, cpuinfo_into, WRAP},
    {"ptr.cpuinfo.size.short", RETURNS, -EINVAL, cpuinfo_size, -1},
    {"ptr.cpuinfo.size.minus_one", RETURNS, -EINVAL, cpuinfo_size, -1 - (long)sizeof cpus_buf},
    {"ptr.cpuinfo.buf.good", RETURNS, 0, cpuinfo_size, 0},
    {"ptr.lockinfo.buf.null", RETURNS, -EFAULT, lockinfo_into, NUL},
    {"ptr.lockinfo.buf.unmapped", RETURNS, -EFAULT, lockinfo_into, UNMAPPED},
    {"ptr.lockinfo.buf.readonly", RETURNS, -EFAULT, lockinfo_into, READONLY},
    {"ptr.lockinfo.buf.heap_end", RETURNS, -EFAULT, lockinfo_into, HEAP_END},
    {"ptr.lockinfo.buf.above_top", RETURNS, -EFAULT, lockinfo_into, ABOVE_TOP},
    {"ptr.lockinfo.size.long", RETURNS, -EINVAL, lockinfo_size, 1},
    {"ptr.lockinfo.size.zero", RETURNS, -EINVAL, lockinfo_size, -(long)sizeof locks_buf},
    {"ptr.lockinfo.buf.good_after_faults", RETURNS, 0, lockinfo_size, 0},
#endif
#if LAB >= 6
    {"ptr.poll.fds.kernel", RETURNS, -EFAULT, poll_at, KERNEL},
    {"ptr.poll.fds.readonly", RETURNS, -EFAULT, poll_at, READONLY},
    {"ptr.poll.fds.heap_end", RETURNS, -EFAULT, poll_at, HEAP_END},
#endif
};

const struct hgroup ptr_cases = HGROUP(cases);
