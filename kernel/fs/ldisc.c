/* ldisc.c -- the console's line discipline (see ldisc.h). */
#if LAB >= 4
#include "fs/ldisc.h"
#include <string.h>

#define DEL 0x7f

void ldisc_init(struct ldisc *ld)
{
    memset(ld, 0, sizeof *ld);
}

/* A control character other than newline and tab shows as ^X. */
static bool shown_as_caret(char c)
{
    return ((unsigned char)c < 0x20 && c != '\n' && c != '\t') || c == DEL;
}

static void echo_char(char c, ldisc_echo_fn echo, void *ctx)
{
    if (shown_as_caret(c)) {
        char caret[2] = { '^', c == DEL ? '?' : (char)(c + '@') };
        echo(caret, 2, ctx);
    } else {
        echo(&c, 1, ctx);
    }
}

/* Take the last character off the line and off the screen (two columns
 * for a ^X). Tab is erased as one column: we do not track the cursor. */
static void erase_one(struct ldisc *ld, ldisc_echo_fn echo, void *ctx)
{
    if (ld->len == 0)
        return;
    char c = ld->line[--ld->len];
    echo("\b \b", 3, ctx);
    if (shown_as_caret(c))
        echo("\b \b", 3, ctx);
}

/* Move the line being typed into the queue as one record. False (and
 * nothing changes) when no record slot is left. The byte room is kept
 * free by ldisc_input, which never lets line + queue outgrow it. */
static bool push_record(struct ldisc *ld)
{
    if (ld->rcount == LDISC_RECORDS || ld->qcount + ld->len > LDISC_QUEUE)
        return false;
    for (size_t i = 0; i < ld->len; i++)
        ld->queue[(ld->qhead + ld->qcount++) % LDISC_QUEUE] = ld->line[i];
    ld->rec[(ld->rhead + ld->rcount++) % LDISC_RECORDS] = ld->len;
    ld->len = 0;
    return true;
}

/* Room for c in the line, with one byte kept for the newline that ends
 * it, in the line and in the queue the line will join. */
static bool room_for_char(const struct ldisc *ld)
{
    return ld->len + 1 < LDISC_LINE_MAX && ld->qcount + ld->len + 2 <= LDISC_QUEUE;
}

int ldisc_input(struct ldisc *ld, char c, ldisc_echo_fn echo, void *ctx)
{
    if (c == '\r')
        c = '\n';
    switch (c) {
    case LDISC_INTR:
        ld->len = 0;
        echo("^C\n", 3, ctx);
        return LDISC_SIGINT;
    case LDISC_EOF:
        /* POSIX: on an empty line, the end of input (read returns 0);
         * otherwise the partial line goes to the reader as it is. */
        if (!push_record(ld)) {
            ld->dropped++;
            return 0;
        }
        return LDISC_READY;
    case LDISC_KILL:
        while (ld->len > 0)
            erase_one(ld, echo, ctx);
        return 0;
    case LDISC_ERASE:
    case DEL:
        erase_one(ld, echo, ctx);
        return 0;
    case '\n':
        ld->line[ld->len++] = '\n';     /* room_for_char kept this byte */
        if (!push_record(ld)) {
            ld->len--;
            ld->dropped++;
            return 0;
        }
        echo("\n", 1, ctx);
        return LDISC_READY;
    default:
        if (!room_for_char(ld)) {
            ld->dropped++;
            return 0;
        }
        ld->line[ld->len++] = c;
        echo_char(c, echo, ctx);
        return 0;
    }
}

bool ldisc_ready(const struct ldisc *ld)
{
    return ld->rcount > 0;
}

size_t ldisc_read(struct ldisc *ld, char *buf, size_t n)
{
    if (ld->rcount == 0 || n == 0)
        return 0;
    size_t *left = &ld->rec[ld->rhead];
    size_t got = n < *left ? n : *left;
    for (size_t i = 0; i < got; i++)
        buf[i] = ld->queue[(ld->qhead + i) % LDISC_QUEUE];
    ld->qhead = (ld->qhead + got) % LDISC_QUEUE;
    ld->qcount -= got;
    *left -= got;
    /* An emptied record is done; so is an end of input, read once. */
    if (*left == 0) {
        ld->rhead = (ld->rhead + 1) % LDISC_RECORDS;
        ld->rcount--;
    }
    return got;
}
#endif /* LAB >= 4 */
