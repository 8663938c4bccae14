/* pipe.c -- pipes (pipe.h). Each pipe has its own lock: the reader and
 * the writer may run on different CPUs. */
#if LAB >= 4
#include "fs/pipe.h"
#include "fs/file.h"
#include "proc/process.h"
#include "proc/waitqueue.h"
#include "mm/kmalloc.h"
#include "mm/pmm.h"
#include "abi/errno.h"
#include "abi/fcntl.h"
#include "abi/rlimit.h"
#include "abi/stat.h"
#include "abi/wait.h"
#include "sync/spinlock.h"
#if LAB >= 6
#include "fs/poll.h"
#include "abi/poll.h"
#endif
#include <string.h>

_Static_assert(TP_PIPE_BUF == PAGE_SIZE, "a pipe's buffer is one frame");

#define PIPE_INO_BASE 0x80000000u   /* pipes' st_ino: apart from the ramfs's */

struct pipe {
    /* lock: everything below but buf's address and ino (set once at
     * creation). Taken with interrupts off; the sleepers below sleep on
     * it (waitqueue_sleep_on). Order: before proc_lock and the
     * scheduler's lock; never held around proc_kill (broken_pipe). */
    struct spinlock lock;
    uint8_t *buf;                   /* TP_PIPE_BUF bytes: one frame */
    uint32_t head, tail;            /* bytes ever written, ever read: head - tail are in buf */
    int readers, writers;           /* open files of each end */
    bool writing;                   /* a write() holds the turn (pipe_write_begin) */
    uint32_t ino;
    struct waitqueue readable;      /* readers wait for bytes or the last writer's close */
    struct waitqueue writable;      /* writers wait for room or the last reader's close */
    struct waitqueue turn;          /* writers wait for another write() to finish */
};

static uint32_t pipes_made;        /* atomic: pipe_create() on any CPU */

static uint32_t pipe_count(const struct pipe *p)
{
    return p->head - p->tail;
}

/* n bytes of buf in at head / out at tail, wrapping around the end. */
static void ring_put(struct pipe *p, const char *from, uint32_t n)
{
    uint32_t at = p->head % TP_PIPE_BUF;
    uint32_t first = n < TP_PIPE_BUF - at ? n : TP_PIPE_BUF - at;
    memcpy(p->buf + at, from, first);
    memcpy(p->buf, from + first, n - first);
    p->head += n;
}

static void ring_get(struct pipe *p, char *to, uint32_t n)
{
    uint32_t at = p->tail % TP_PIPE_BUF;
    uint32_t first = n < TP_PIPE_BUF - at ? n : TP_PIPE_BUF - at;
    memcpy(to, p->buf + at, first);
    memcpy(to + first, p->buf, n - first);
    p->tail += n;
}

static int pipe_read(struct file *f, char *buf, size_t n, bool more)
{
    struct pipe *p = f->pipe;
    uint32_t s = spin_lock_irqsave(&p->lock);
    while (pipe_count(p) == 0) {
        if (p->writers == 0 || more) {
            spin_unlock_irqrestore(&p->lock, s);
            return 0;           /* the end, or nothing more for this read() */
        }
        if (proc_killed()) {
            spin_unlock_irqrestore(&p->lock, s);
            return -EINTR;
        }
        waitqueue_sleep_on_killable(&p->readable, &p->lock);
    }
    uint32_t got = pipe_count(p) < n ? pipe_count(p) : (uint32_t)n;
    ring_get(p, buf, got);
    waitqueue_wake_all(&p->writable);
    spin_unlock_irqrestore(&p->lock, s);
#if LAB >= 6
    poll_notify();              /* room for a poll()ing writer */
#endif
    return (int)got;
}

/* No reader any more: SIGPIPE for the writer (it ends unless it ignores
 * SIGPIPE; init cannot be killed), and -EPIPE. */
static int broken_pipe(void)
{
    struct process *me = proc_current();
    if (me != NULL)
        proc_kill(me->pid, SIGPIPE);
    return -EPIPE;
}

/* Take the pipe's turn for one write(); for one of up to TP_PIPE_BUF
 * bytes also wait until it fits whole, so nobody's bytes come between. */
static int pipe_write_begin(struct file *f, size_t total)
{
    struct pipe *p = f->pipe;
    uint32_t s = spin_lock_irqsave(&p->lock);
    int err = 0;
    while (p->writing && !(err = proc_killed() ? -EINTR : 0))
        waitqueue_sleep_on_killable(&p->turn, &p->lock);
    if (err == 0) {
        p->writing = true;
        while (total <= TP_PIPE_BUF && TP_PIPE_BUF - pipe_count(p) < total && p->readers > 0 &&
               !(err = proc_killed() ? -EINTR : 0))
            waitqueue_sleep_on_killable(&p->writable, &p->lock);
        if (err == 0 && p->readers == 0)
            err = -EPIPE;
        if (err != 0) {
            p->writing = false;
            waitqueue_wake_one(&p->turn);
        }
    }
    spin_unlock_irqrestore(&p->lock, s);
    return err == -EPIPE ? broken_pipe() : err;
}

static void pipe_write_end(struct file *f)
{
    struct pipe *p = f->pipe;
    uint32_t s = spin_lock_irqsave(&p->lock);
    p->writing = false;
    waitqueue_wake_one(&p->turn);
    spin_unlock_irqrestore(&p->lock, s);
}

static int pipe_write(struct file *f, const char *buf, size_t n)
{
    struct pipe *p = f->pipe;
    size_t done = 0;
    int err = 0;
    uint32_t s = spin_lock_irqsave(&p->lock);
    while (done < n) {
        if (p->readers == 0) {
            err = -EPIPE;
            break;
        }
        uint32_t room = TP_PIPE_BUF - pipe_count(p);
        if (room == 0) {
            if (proc_killed()) {
                err = -EINTR;
                break;
            }
            waitqueue_sleep_on_killable(&p->writable, &p->lock);
            continue;
        }
        uint32_t put = n - done < room ? (uint32_t)(n - done) : room;
        ring_put(p, buf + done, put);
        done += put;
        waitqueue_wake_all(&p->readable);
    }
    spin_unlock_irqrestore(&p->lock, s);
#if LAB >= 6
    if (done > 0)
        poll_notify();          /* bytes for a poll()ing reader */
#endif
    if (done > 0)
        return (int)done;       /* a short write; the error comes next time */
    return err == -EPIPE ? broken_pipe() : err;
}

static void pipe_stat(struct file *f, struct stat *st)
{
    struct pipe *p = f->pipe;
    memset(st, 0, sizeof *st);
    st->st_ino = p->ino;
    st->st_mode = S_IFIFO | 0600;
    st->st_nlink = 1;
    uint32_t s = spin_lock_irqsave(&p->lock);
    st->st_size = pipe_count(p);
    spin_unlock_irqrestore(&p->lock, s);
}

static void pipe_free(struct pipe *p)
{
    /* SAFETY: pointer -> integer: buf is the direct-map address of the
     * frame pipe_create took. */
    frame_free((paddr_t)(uintptr_t)p->buf);
    kfree(p);
}

/* One end's last file is gone: tell the other side; the last end frees. */
static void pipe_release(struct file *f)
{
    struct pipe *p = f->pipe;
    uint32_t s = spin_lock_irqsave(&p->lock);
    if (f->kind == FILE_PIPE_READ) {
        p->readers--;
        waitqueue_wake_all(&p->writable);
    } else {
        p->writers--;
        waitqueue_wake_all(&p->readable);
    }
    bool last = p->readers == 0 && p->writers == 0;
    spin_unlock_irqrestore(&p->lock, s);
#if LAB >= 6
    poll_notify();              /* the other end sees EOF or POLLERR */
#endif
    if (last)
        pipe_free(p);
}

#if LAB >= 6
/* Readable: bytes, or no writer left (read returns 0: POLLHUP too).
 * Writable: room; no reader left is POLLERR (write gives EPIPE). */
static unsigned pipe_poll(struct file *f)
{
    struct pipe *p = f->pipe;
    uint32_t s = spin_lock_irqsave(&p->lock);
    unsigned ev = 0;
    if (f->kind == FILE_PIPE_READ) {
        if (pipe_count(p) > 0)
            ev |= POLLIN;
        if (p->writers == 0)
            ev |= POLLIN | POLLHUP;
    } else {
        if (pipe_count(p) < TP_PIPE_BUF)
            ev |= POLLOUT;
        if (p->readers == 0)
            ev |= POLLERR;
    }
    spin_unlock_irqrestore(&p->lock, s);
    return ev;
}
#endif

static const struct file_ops pipe_read_ops = {
    .read = pipe_read,
    .stat = pipe_stat,
    .release = pipe_release,
#if LAB >= 6
    .poll = pipe_poll,
#endif
};

static const struct file_ops pipe_write_ops = {
    .write = pipe_write,
    .stat = pipe_stat,
    .release = pipe_release,
    .write_begin = pipe_write_begin,
    .write_end = pipe_write_end,
#if LAB >= 6
    .poll = pipe_poll,
#endif
};

int pipe_create(struct file **rd, struct file **wr)
{
    struct pipe *p = kcalloc(1, sizeof *p);
    paddr_t frame = p != NULL ? frame_alloc() : 0;
    *rd = frame != 0 ? file_alloc(FILE_PIPE_READ, &pipe_read_ops, O_RDONLY) : NULL;
    *wr = *rd != NULL ? file_alloc(FILE_PIPE_WRITE, &pipe_write_ops, O_WRONLY) : NULL;
    if (*wr == NULL) {
        kfree(*rd);             /* no pipe attached yet: a plain free */
        if (frame != 0)
            frame_free(frame);
        kfree(p);
        return -ENOMEM;
    }
    /* SAFETY: integer -> pointer through the direct map: a frame just
     * handed out, below KERNEL_DIRECT_END, TP_PIPE_BUF bytes long. */
    p->buf = (uint8_t *)(uintptr_t)frame;
    spin_init(&p->lock, "pipe");
    p->readers = p->writers = 1;
    p->ino = PIPE_INO_BASE + __atomic_add_fetch(&pipes_made, 1, __ATOMIC_RELAXED);
    waitqueue_init(&p->readable, "pipe read");
    waitqueue_init(&p->writable, "pipe write");
    waitqueue_init(&p->turn, "pipe turn");
    (*rd)->pipe = (*wr)->pipe = p;
    return 0;
}
#endif /* LAB >= 4 */
