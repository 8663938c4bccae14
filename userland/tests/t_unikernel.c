/*
 * t_unikernel.c -- the same system calls from ring 3 and from a
 * unikernel build's ring 0 (KTAP on stdout; docs/unikernel.md).
 *
 * Run as /bin/t_unikernel from the initrd it makes its calls through
 * int $0x80 or sysenter; built with `make UNIKERNEL=1 PROG=t_unikernel`
 * it runs in ring 0 and each call is a plain call of the same handler.
 * The answers must be the same:
 *
 *   ring          the privilege level the program runs at (diagnostic:
 *                 3, or 0 in a unikernel build)
 *   getpid        getpid() == the raw SYS_getpid, > 0; getppid() == 0
 *                 when the program is the first process
 *   efault        read(fd, NULL, 1) is EFAULT: the handlers still check
 *                 user pointers (copyout, user_range_ok)
 *   pipe          one byte through a pipe and back
 *   open_close    open and close this program's file
 *   thread        thread_create + thread_join: the thread sees the same
 *                 pid and its status comes back
 *   yield         yield() returns (with another thread runnable, too)
 *   first_touch   sbrk and a write to the new page (a first-touch fault)
 *   fork          ENOSYS in a unikernel build; not run otherwise
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <tidepool.h>
#include <unistd.h>

#include <ktap.h>

static int current_ring(void)
{
    uint16_t cs;
    /* SAFETY: reads the code segment selector; no side effects. */
    __asm__ volatile("movw %%cs, %0" : "=r"(cs));
    return cs & 3;
}

static void check_getpid(void)
{
    pid_t pid = getpid();
    long raw = syscall_raw(SYS_getpid, 0, 0, 0, 0, 0);
    ktap_diag("getpid() = %d, raw %s, getppid() = %d", (int)pid, ktap_raw(raw), (int)getppid());
    ktap_result(pid > 0 && raw == pid, "getpid");
}

static void check_efault(void)
{
    int fd = open("/bin/t_unikernel", O_RDONLY);
    long r = read(fd, NULL, 1);
    ktap_diag("read(%d, NULL, 1) = %s", fd, ktap_errno(r, errno));
    ktap_result(fd >= 0 && r == -1 && errno == EFAULT, "efault");
    close(fd);
}

static void check_pipe(void)
{
    int fds[2];
    char c = 'x', back = 0;
    bool ok = pipe(fds) == 0 && write(fds[1], &c, 1) == 1 && read(fds[0], &back, 1) == 1;
    ok = ok && back == 'x' && close(fds[0]) == 0 && close(fds[1]) == 0;
    ktap_result(ok, "pipe");
}

static void check_open_close(void)
{
    int fd = open("/bin/t_unikernel", O_RDONLY);
    ktap_result(fd >= 0 && close(fd) == 0, "open_close");
}

/* A static stack: in ring 0 a thread's stack must be mapped before the
 * thread runs on it (docs/unikernel.md), and .bss is mapped at exec. */
static char thread_stack[16384] __attribute__((aligned(16)));
/* SAFETY: volatile because the thread writes it and main reads it after
 * thread_join(); the compiler must not keep it in a register across the
 * join (there is no other synchronisation to tell it so). */
static volatile pid_t thread_saw_pid;

static int thread_main(void *arg)
{
    thread_saw_pid = getpid();
    yield();
    return (int)(intptr_t)arg;  /* SAFETY: arg is the int main passed as a pointer */
}

static void check_thread(void)
{
    /* SAFETY: 42 travels as the thread's pointer argument, never dereferenced. */
    int tid = thread_create(thread_main, (void *)(intptr_t)42, thread_stack + sizeof thread_stack);
    yield();                    /* with the new thread runnable */
    int status = tid > 0 ? thread_join(tid) : -1;
    ktap_diag("thread %d: status %d, its getpid() %d", tid, status, (int)thread_saw_pid);
    ktap_result(tid > 0 && status == 42 && thread_saw_pid == getpid(), "thread");
}

static void check_yield(void)
{
    yield();
    ktap_result(true, "yield");
}

static void check_first_touch(void)
{
    char *heap = sbrk(8192);
    bool ok = heap != (char *)-1;   /* SAFETY: only compared: sbrk's failure value */
    if (ok) {
        /* SAFETY: pointer arithmetic to the first page boundary in the
         * 8 KiB just given, which holds one whole page. */
        volatile char *page = heap + (-(uintptr_t)heap & 4095);
        *page = 7;
        ok = *page == 7 && sbrk(-8192) != (char *)-1;
    }
    ktap_result(ok, "first_touch");
}

static void check_fork(void)
{
#ifdef UNIKERNEL
    long r = fork();
    ktap_diag("fork() = %s", ktap_errno(r, errno));
    ktap_result(r == -1 && errno == ENOSYS, "fork");
#else
    ktap_skip("fork", "only checked in a unikernel build (where it is ENOSYS)");
#endif
}

int main(void)
{
    ktap_plan(8);
    ktap_diag("ring %d", current_ring());
    check_getpid();
    check_efault();
    check_pipe();
    check_open_close();
    check_thread();
    check_yield();
    check_first_touch();
    check_fork();
    return ktap_finish();
}
