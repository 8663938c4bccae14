/*
 * t_tty.c -- a program for the console tests (grading/userland/
 * test_tty.py): they type, this prints what read() returned.
 *
 *   t_tty lines       print every read of stdin as "got N: TEXT" with
 *                     control bytes shown as \xNN and the newline as \n;
 *                     at the end of input print "got EOF" and exit 0
 *   t_tty read        a child in a new process group, the console's
 *                     foreground, blocks in read(); Ctrl-C must end it
 *   t_tty spin        the same, the child spins without a system call
 *   t_tty bomb        the child forks without end (every descendant
 *                     too) and retries on EAGAIN; Ctrl-C must end them;
 *                     all of it twice (the first round is the warm-up
 *                     that grows the kernel's heap)
 *
 * In the last three the parent waits, prints "child: STATUS" (as
 * ktap_status writes it), takes the console back, reaps any orphans it
 * inherited (as process 1) and prints "reaped N, free frames D", where D
 * is the change in free frames since before the child (0: nothing leaked).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <tidepool.h>
#include <unistd.h>

#include <ktap.h>

static long sys_setpgid(int pid, int pgid) { return syscall_raw(SYS_setpgid, pid, pgid, 0, 0, 0); }
static long sys_getpgid(int pid) { return syscall_raw(SYS_getpgid, pid, 0, 0, 0, 0); }
static long sys_tcsetpgrp(int fd, int pg) { return syscall_raw(SYS_tcsetpgrp, fd, pg, 0, 0, 0); }

static int echo_lines(void)
{
    char buf[512], shown[4 * sizeof buf + 1];
    dprintf(1, "t_tty: reading lines\n");
    for (;;) {
        long n = read(0, buf, sizeof buf);
        if (n < 0) {
            dprintf(1, "read failed: %s\n", ktap_errno(n, errno));
            return 1;
        }
        if (n == 0) {
            dprintf(1, "got EOF\n");
            return 0;
        }
        size_t at = 0;
        for (long i = 0; i < n; i++) {
            unsigned char c = (unsigned char)buf[i];
            if (c == '\n')
                at += (size_t)snprintf(shown + at, sizeof shown - at, "\\n");
            else if (c < 0x20 || c >= 0x7f)
                at += (size_t)snprintf(shown + at, sizeof shown - at, "\\x%02x", c);
            else
                shown[at++] = (char)c;
        }
        shown[at] = '\0';
        dprintf(1, "got %ld: %s\n", n, shown);
    }
}

/* What the child of "read", "spin" and "bomb" does once in its group. */
static void child_work(const char *mode)
{
    if (strcmp(mode, "read") == 0) {
        char c;
        dprintf(1, "child ready: reading\n");
        long n = read(0, &c, 1);
        dprintf(1, "child: read returned %ld\n", n);    /* Ctrl-C must not let us here */
        _exit(3);
    }
    if (strcmp(mode, "spin") == 0) {
        dprintf(1, "child ready: spinning\n");
        /* SAFETY: volatile only keeps the compiler from deleting the loop. */
        for (volatile unsigned long i = 0;; i++)
            ;
    }
    dprintf(1, "child ready: forking\n");
    pid_t leader = getpid();
    bool told = false;
    for (;;) {
        if (fork() >= 0)
            continue;
        /* EAGAIN: the limit holds. The first process says so once. */
        if (!told && getpid() == leader)
            dprintf(1, "bomb: limit reached\n");
        told = true;
        yield();
    }
}

static int foreground_child(const char *mode)
{
    long before = freeframes();
    pid_t pid = fork();
    if (pid < 0) {
        dprintf(1, "fork failed: %s\n", ktap_errno(pid, errno));
        return 1;
    }
    if (pid == 0) {
        /* The child takes the console itself before it says it is
         * ready: the parent may not run again before the test's Ctrl-C
         * (a fork bomb leaves it a 64th of the CPU). */
        sys_setpgid(0, 0);
        sys_tcsetpgrp(0, getpid());
        child_work(mode);
    }
    /* Both sides set the group and the foreground (as a shell does), so
     * that both are set before either goes on. */
    sys_setpgid(pid, pid);
    long fg = sys_tcsetpgrp(0, pid);
    if (fg != 0)
        dprintf(1, "tcsetpgrp: %s\n", ktap_raw(fg));
    int status = 0;
    long w = waitpid(pid, &status, 0);
    sys_tcsetpgrp(0, (int)sys_getpgid(0));
    dprintf(1, "child: %s\n", w == pid ? ktap_status(status) : ktap_errno(w, errno));
    int reaped = 0;
    if (getpid() == 1)
        while (waitpid(-1, &status, 0) > 0)
            reaped++;
    dprintf(1, "reaped %d, free frames %ld\n", reaped, freeframes() - before);
    return 0;
}

int main(int argc, char *argv[])
{
    const char *mode = argc > 1 ? argv[1] : "lines";
    if (strcmp(mode, "lines") == 0)
        return echo_lines();
    if (strcmp(mode, "read") == 0 || strcmp(mode, "spin") == 0)
        return foreground_child(mode);
    /* Twice: the first bomb grows the kernel heap to hold TP_PROC_MAX
     * processes for good; the second must give back every frame. */
    if (strcmp(mode, "bomb") == 0)
        return foreground_child(mode) | foreground_child(mode);
    dprintf(1, "usage: t_tty [lines|read|spin|bomb]\n");
    return 2;
}
