/*
 * tty.c -- the console as a file (tty.h): cooked input through the line
 * discipline (fs/ldisc.c), the foreground process group, output.
 *
 * Two modes. Until a user program runs (and again after init ends) the
 * console is raw: typed bytes wait in console.c's ring for the kernel
 * monitor. While programs run it is cooked: every byte the serial or
 * keyboard interrupt receives goes through the line discipline at once,
 * in the interrupt, so that it is echoed as it is typed even when nobody
 * reads (a real terminal does the same), and Ctrl-C interrupts a program
 * that never reads. Finished lines wait for read() (type-ahead, bounded
 * by the discipline's queue). The discipline's state is shared between
 * the interrupt and readers: interrupts are off around every use.
 */
#if LAB >= 4
#include "fs/tty.h"
#include "fs/file.h"
#include "fs/ldisc.h"
#include "abi/errno.h"
#include "abi/wait.h"
#include "arch/i386/irq.h"
#include "proc/process.h"
#include "proc/waitqueue.h"
#include "console.h"

static struct ldisc ldisc;
static bool cooked;
/* Readers wait here for a finished line. */
static struct waitqueue readers = WAITQUEUE_INIT(readers, "tty");
/* The group Ctrl-C interrupts: init's (1) until a shell moves it. */
static int foreground = 1;

static void echo_to_console(const char *s, size_t n, void *ctx)
{
    (void)ctx;
    console_write(s, n);
}

/* Feed the bytes waiting in the console's ring to the discipline. */
static void tty_drain(void)
{
    int c;
    while ((c = console_getc_nowait()) >= 0) {
        int what = ldisc_input(&ldisc, (char)c, echo_to_console, NULL);
        if (what & LDISC_READY)
            waitqueue_wake_all(&readers);
        if (what & LDISC_SIGINT)
            proc_kill(-foreground, SIGINT);
    }
}

void tty_set_cooked(bool on)
{
    uint32_t s = irq_save();
    if (on && !cooked) {
        ldisc_init(&ldisc);
        foreground = 1;
    }
    cooked = on;
    if (on)
        tty_drain();            /* what was typed before the program ran */
    irq_restore(s);
}

void tty_input_arrived(void)
{
    if (cooked)
        tty_drain();
}

int tty_read(char *buf, size_t n)
{
    if (n == 0)
        return 0;
    uint32_t s = irq_save();
    while (!ldisc_ready(&ldisc) && !proc_killed())
        waitqueue_sleep(&readers);
    int got = ldisc_ready(&ldisc) && !proc_killed() ? (int)ldisc_read(&ldisc, buf, n) : -EINTR;
    irq_restore(s);
    return got;
}

int tty_write(const char *buf, size_t n)
{
    /* The interrupt echoes through the same screen state (VGA cursor):
     * keep it out while a piece is written, as kvprintf does, but in
     * short pieces so that typing is never held up for long. */
    for (size_t done = 0; done < n; done += 128) {
        uint32_t s = irq_save();
        console_write(buf + done, n - done < 128 ? n - done : 128);
        irq_restore(s);
    }
    return (int)n;
}

int tty_check_fd(int fd)
{
    struct process *p = proc_current();
    struct file *f = p != NULL ? file_get(p, fd) : NULL;
    if (f == NULL)
        return -EBADF;
    return f->kind == FILE_CONSOLE ? 0 : -ENOTTY;
}

int tty_setpgrp(int pgid)
{
    if (pgid <= 0)
        return -EINVAL;
    if (!proc_group_exists(pgid))
        return -EPERM;
    foreground = pgid;
    return 0;
}

int tty_getpgrp(void)
{
    return foreground;
}
#endif /* LAB >= 4 */
