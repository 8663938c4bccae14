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
 * the interrupt (on any CPU) and readers: tty_lock, taken with interrupts
 * off, is around every use. Lock order: tty_lock, then proc_lock (Ctrl-C,
 * tty_setpgrp) and the console's locks (echo, the input ring).
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
#if LAB >= 6
#include "fs/poll.h"
#endif
#include "sync/spinlock.h"
#include "console.h"

static struct spinlock tty_lock = SPINLOCK_INIT("tty");
static struct ldisc ldisc;      /* protected by tty_lock */
static bool cooked;             /* protected by tty_lock */
/* Readers wait here for a finished line (sleeping on tty_lock). */
static struct waitqueue readers = WAITQUEUE_INIT(readers, "tty");
/* The group Ctrl-C interrupts: init's (1) until a shell moves it.
 * Protected by tty_lock. */
static int foreground = 1;

static void echo_to_console(const char *s, size_t n, void *ctx)
{
    (void)ctx;
    console_write(s, n);
}

/* Feed the bytes waiting in the console's ring to the discipline.
 * tty_lock held. */
static void tty_drain(void)
{
    int c;
    while ((c = console_getc_nowait()) >= 0) {
        int what = ldisc_input(&ldisc, (char)c, echo_to_console, NULL);
        if (what & LDISC_READY) {
            waitqueue_wake_all(&readers);
#if LAB >= 6
            poll_notify();      /* a line for a poll()ing reader */
#endif
        }
        if (what & LDISC_SIGINT)
            proc_kill(-foreground, SIGINT);
    }
}

void tty_set_cooked(bool on)
{
    uint32_t s = spin_lock_irqsave(&tty_lock);
    if (on && !cooked) {
        ldisc_init(&ldisc);
        foreground = 1;
    }
    cooked = on;
    if (on)
        tty_drain();            /* what was typed before the program ran */
    spin_unlock_irqrestore(&tty_lock, s);
}

void tty_input_arrived(void)
{
    uint32_t s = spin_lock_irqsave(&tty_lock);
    if (cooked)
        tty_drain();
    spin_unlock_irqrestore(&tty_lock, s);
}

#if LAB >= 6
bool tty_readable(void)
{
    uint32_t s = spin_lock_irqsave(&tty_lock);
    bool ready = cooked && ldisc_ready(&ldisc);
    spin_unlock_irqrestore(&tty_lock, s);
    return ready;
}
#endif

int tty_read(char *buf, size_t n)
{
    if (n == 0)
        return 0;
    uint32_t s = spin_lock_irqsave(&tty_lock);
    while (!ldisc_ready(&ldisc) && !proc_killed())
        waitqueue_sleep_on_killable(&readers, &tty_lock);
    int got = ldisc_ready(&ldisc) && !proc_killed() ? (int)ldisc_read(&ldisc, buf, n) : -EINTR;
    spin_unlock_irqrestore(&tty_lock, s);
    return got;
}

int tty_write(const char *buf, size_t n)
{
    /* The interrupt echoes through the same screen state (VGA cursor):
     * console_write() holds the console's lock while a piece is written,
     * as kvprintf does; short pieces, so that typing (and other CPUs'
     * output) is never held up for long. */
    for (size_t done = 0; done < n; done += 128)
        console_write(buf + done, n - done < 128 ? n - done : 128);
    return (int)n;
}

int tty_check_fd(int fd)
{
    /* A reference for the look, as every other system call takes one
     * (file_acquire): another thread of the process may close fd
     * meanwhile, and the file must not be freed under us. */
    struct process *p = proc_current();
    struct file *f = p != NULL ? file_acquire(p, fd) : NULL;
    if (f == NULL)
        return -EBADF;
    int err = f->kind == FILE_CONSOLE ? 0 : -ENOTTY;
    file_put(f);
    return err;
}

int tty_setpgrp(int pgid)
{
    if (pgid <= 0)
        return -EINVAL;
    uint32_t s = spin_lock_irqsave(&tty_lock);
    bool exists = proc_group_exists(pgid);
    if (exists)
        foreground = pgid;
    spin_unlock_irqrestore(&tty_lock, s);
    return exists ? 0 : -EPERM;
}

int tty_getpgrp(void)
{
    /* One aligned int: a read sees the old or the new group, either of
     * which was the foreground at some instant. */
    return __atomic_load_n(&foreground, __ATOMIC_RELAXED);
}
#endif /* LAB >= 4 */
