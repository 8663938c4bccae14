/*
 * linux.c -- Tidepool's user API on Linux, for `make bench-linux`.
 *
 * The benchmark program calls thread_create, thread_join, yield and
 * the door functions; this file gives each its nearest Linux
 * equivalent, so that the row code is the same source (tidepool.h here).
 * Built with the host gcc: gcc -m32 -static, glibc.
 */
#define _GNU_SOURCE     /* clone, CLONE_*, syscall */
#include "tidepool.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* ---- threads: clone(2) on the caller's stack, joined on a futex.
 *
 * This is what Tidepool's thread_create/thread_join are: a new thread
 * of the process on memory the caller gives, and a wait for its end.
 * CLONE_CHILD_CLEARTID makes the kernel zero threads[slot].tid and wake a
 * futex waiter on it when the thread exits; thread_join waits for that.
 * Not pthread_create: it adds glibc's own work (a TLS block, signal
 * masking, robust lists) that Tidepool's libc does not do. The thread
 * shares the creator's TLS, so fn must not use glibc's thread-local
 * state except errno on failure (the benchmark calls only yield). */
#define MAX_THREADS 64
struct thread {
    /* SAFETY: volatile because the kernel writes it behind the compiler's
     * back (set by clone, zeroed at the thread's exit); one aligned int,
     * so a load sees the old or the new value. */
    volatile pid_t tid;
    int (*fn)(void *arg);
    void *arg;
    int status;                 /* fn's result, for thread_join */
};
static struct thread threads[MAX_THREADS];

/* What the new thread runs: fn, and its result kept for the joiner
 * (Tidepool's kernel hands the status over the same way, at exit). */
static int thread_start(void *p)
{
    struct thread *t = p;
    t->status = t->fn(t->arg);
    return 0;
}

int thread_create(int (*fn)(void *arg), void *arg, void *stack_top)
{
    int slot;
    for (slot = 0; slot < MAX_THREADS && threads[slot].tid != 0; slot++)
        ;
    if (slot == MAX_THREADS) {
        errno = EAGAIN;
        return -1;
    }
    struct thread *t = &threads[slot];
    t->fn = fn;
    t->arg = arg;
    int flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD |
                CLONE_SYSVSEM | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID;
    /* SAFETY: the volatile is cast away only to hand the address to the
     * kernel, which writes t->tid itself (at creation and at exit); we
     * only read it with volatile loads. */
    pid_t *tidp = (pid_t *)&t->tid;
    /* Tidepool's libc rounds stack_top down to 16 bytes; so do we. */
    /* SAFETY: integer<->pointer cast only to round an address down. */
    void *top = (void *)((unsigned long)stack_top & ~15ul);
    if (clone(thread_start, top, flags, t, tidp, NULL, tidp) < 0)
        return -1;
    return slot;
}

int thread_join(int slot)
{
    if (slot < 0 || slot >= MAX_THREADS) {
        errno = EINVAL;
        return -1;
    }
    struct thread *t = &threads[slot];
    for (;;) {
        pid_t tid = t->tid;
        if (tid == 0)
            return t->status;
        /* SAFETY: see thread_create for the volatile cast. */
        syscall(SYS_futex, (pid_t *)&t->tid, FUTEX_WAIT, tid, NULL, NULL, 0);
    }
}

void yield(void)
{
    sched_yield();
}

/* ---- the door: glibc's, through the vDSO */

const char *syscall_door(void)
{
    return "linux";
}

int syscall_set_door(const char *name)
{
    if (strcmp(name, "linux") == 0)
        return 0;
    errno = EINVAL;
    return -1;
}

/* ---- being /init
 *
 * The benchmark's main is compiled as tidepool_main (-Dmain=...): this
 * main wraps it with what /init on Linux must do, so bench.c needs no
 * #ifdef. */

static void linux_bench_start(void)
{
    /* The kernel's built-in initramfs has /dev/console, and the kernel
     * opens it as 0, 1, 2 for /init; if it did not, get a console. */
    if (fcntl(1, F_GETFD) < 0) {
        mkdir("/dev", 0755);
        mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
        int fd = open("/dev/console", O_RDWR);
        dup2(fd, 0);
        dup2(fd, 1);
        dup2(fd, 2);
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
}

static __attribute__((noreturn)) void linux_bench_end(void)
{
    fflush(stdout);
    sync();
    /* ACPI power-off: QEMU exits. (As /init we must not return: the
     * kernel would panic, "Attempted to kill init".) */
    reboot(RB_POWER_OFF);
    for (;;)
        pause();
}

int tidepool_main(int argc, char **argv);

int main(int argc, char **argv)
{
    linux_bench_start();
    printf("bench: linux: the same program on Linux (/init, gcc -m32 -static, glibc)\n");
    int status = tidepool_main(argc, argv);
    if (status != 0)
        printf("bench: linux: the benchmark exited with %d\n", status);
    linux_bench_end();
}
