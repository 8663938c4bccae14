/*
 * ldisc.h -- the console's line discipline ("cooked mode"), pure logic.
 *
 * Typed characters go in one at a time (ldisc_input); the discipline
 * edits the line being typed (erase, kill), says what to echo through a
 * callback and whether Ctrl-C must interrupt the foreground group, and
 * queues finished lines for read() (ldisc_read). No hardware, no locks:
 * the caller (fs/tty.c) serialises calls, and the host tests run it as is.
 *
 * The queue is bounded (type-ahead): a character that finds no room is
 * dropped and counted, never a crash. A line holds at most
 * LDISC_LINE_MAX - 1 characters before its newline.
 */
#ifndef FS_LDISC_H
#define FS_LDISC_H

#if LAB >= 4
#include <stdbool.h>
#include <stddef.h>

#define LDISC_LINE_MAX  256     /* bytes of one line, its newline included */
#define LDISC_QUEUE     1024    /* bytes of finished lines waiting for read() */
#define LDISC_RECORDS   64      /* finished lines (or ends of input) waiting */

#define CTRL(c) ((c) & 0x1f)
#define LDISC_INTR  CTRL('C')   /* discard the line, SIGINT to the foreground */
#define LDISC_EOF   CTRL('D')   /* end of input on an empty line, else push it */
#define LDISC_KILL  CTRL('U')   /* erase the whole line */
#define LDISC_ERASE '\b'        /* and DEL (0x7f): erase one character */

/* Where the echo goes: n bytes of s. */
typedef void (*ldisc_echo_fn)(const char *s, size_t n, void *ctx);

struct ldisc {
    char line[LDISC_LINE_MAX];  /* the line being typed */
    size_t len;
    /* Finished bytes (a ring) and the length of each record in them (a
     * ring too). A record is one line, a partial line pushed by Ctrl-D,
     * or an end of input (length 0). read() consumes a record's front. */
    char queue[LDISC_QUEUE];
    size_t qhead, qcount;
    size_t rec[LDISC_RECORDS];
    size_t rhead, rcount;
    unsigned dropped;           /* characters that found no room */
};

/* What ldisc_input asks the caller to do besides echoing. */
enum {
    LDISC_READY  = 1,           /* a record was queued: wake the readers */
    LDISC_SIGINT = 2,           /* Ctrl-C: interrupt the foreground group */
};

void ldisc_init(struct ldisc *ld);
/* One typed character (CR is already NL or is turned into it). Echoes
 * through echo(ctx) and returns LDISC_* flags. */
int ldisc_input(struct ldisc *ld, char c, ldisc_echo_fn echo, void *ctx);
/* Is there a record to read (a line, or an end of input)? */
bool ldisc_ready(const struct ldisc *ld);
/* Up to n bytes of the first record into buf; the rest of the record
 * stays for the next read. 0 with an end-of-input record (consumed) or
 * with n == 0. Call only when ldisc_ready(). */
size_t ldisc_read(struct ldisc *ld, char *buf, size_t n);
#endif /* LAB >= 4 */

#endif
