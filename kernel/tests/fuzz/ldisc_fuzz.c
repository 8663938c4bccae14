/*
 * ldisc_fuzz.c -- libFuzzer harness over the console's line discipline
 * (kernel/fs/ldisc.c): any bytes as what is typed, with reads of any size
 * in between. Byte 0xff followed by n is "read(n)" when a record is
 * ready; every other byte is a typed character (so the type-ahead queue
 * fills and overflows unless the input reads).
 *
 * Oracles after every step, besides ASan and UBSan (each read's buffer is
 * a heap block of exactly n bytes): the line, the byte ring and the record
 * ring stay within their arrays and the records' lengths add up to the
 * bytes queued; input returns only its two flags and echoes at most 3
 * bytes at a time; a read returns at most n bytes, none of them an editing
 * character the discipline consumes, and a newline only as its last byte;
 * the count of dropped characters never goes down.
 *
 *   make fuzz-ldisc FUZZ_SECONDS=60      (make test-fuzz: a few seconds)
 */
#include "fuzz.h"

#if LAB >= 4
#include "fs/ldisc.h"

#define OP_READ 0xff

static void echo(const char *s, size_t n, void *ctx)
{
    (void)ctx;
    CHECK(n >= 1 && n <= 3);
    fuzz_touch(s, n);
}

static void check_state(const struct ldisc *ld)
{
    CHECK(ld->len < LDISC_LINE_MAX);
    CHECK(ld->qcount <= LDISC_QUEUE && ld->qhead < LDISC_QUEUE);
    CHECK(ld->rcount <= LDISC_RECORDS && ld->rhead < LDISC_RECORDS);
    size_t queued = 0;
    for (size_t i = 0; i < ld->rcount; i++)
        queued += ld->rec[(ld->rhead + i) % LDISC_RECORDS];
    CHECK(queued == ld->qcount);
}

/* A byte the discipline acts on never reaches a reader. */
static int consumed(char c)
{
    return c == LDISC_INTR || c == LDISC_EOF || c == LDISC_KILL || c == LDISC_ERASE ||
           c == 0x7f || c == '\r';
}

static void read_some(struct ldisc *ld, size_t n)
{
    char *buf = malloc(n ? n : 1);
    if (buf == NULL)
        abort();
    size_t got = ldisc_read(ld, buf, n);
    CHECK(got <= n);
    for (size_t i = 0; i < got; i++) {
        CHECK(!consumed(buf[i]));
        CHECK(buf[i] != '\n' || i == got - 1);
    }
    free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ldisc *ld = malloc(sizeof *ld);
    if (ld == NULL)
        return 0;
    memset(ld, 0xa5, sizeof *ld);       /* ldisc_init must not rely on zeroed memory */
    ldisc_init(ld);
    for (size_t i = 0; i < size; i++) {
        unsigned dropped = ld->dropped;
        if (data[i] == OP_READ && i + 1 < size) {
            if (ldisc_ready(ld))
                read_some(ld, data[++i]);
            else
                i++;
        } else {
            int what = ldisc_input(ld, (char)data[i], echo, NULL);
            CHECK((what & ~(LDISC_READY | LDISC_SIGINT)) == 0);
        }
        check_state(ld);
        CHECK(ld->dropped >= dropped);
    }
    /* Drain what is left: every record comes out. */
    for (int r = 0; r <= LDISC_RECORDS && ldisc_ready(ld); r++)
        read_some(ld, LDISC_LINE_MAX);
    CHECK(!ldisc_ready(ld) && ld->qcount == 0);
    free(ld);
    return 0;
}
#endif /* LAB >= 4 */
