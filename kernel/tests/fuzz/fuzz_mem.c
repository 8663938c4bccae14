/* fuzz_mem.c -- the made-up physical memory of the fuzz harnesses (see fuzz_mem.h). */
#include "fuzz_mem.h"
#include <stdlib.h>
#include <string.h>

static uint8_t low[FUZZ_LOW_MEM];
static struct fuzz_chunk chunks[FUZZ_MAX_CHUNKS];
static int nchunks;
/* Every copy handed out since the last reset, to free them all. */
static void **copies;
static size_t ncopies, copies_cap;
/* What of `low` the chunks wrote, to zero it again. */
static struct { uint32_t addr, len; } dirty[FUZZ_MAX_CHUNKS];
static int ndirty;

static uint32_t get32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

int fuzz_chunk_next(uint8_t *data, size_t size, size_t *off, struct fuzz_chunk *c)
{
    if (size - *off < 8)
        return 0;
    c->addr = get32(data + *off);
    c->len = get32(data + *off + 4);
    *off += 8;
    if (c->len > size - *off)
        c->len = (uint32_t)(size - *off);       /* cut short by the input's end */
    c->data = data + *off;
    *off += c->len;
    return 1;
}

/* Does [c->addr, c->addr + c->len) meet a chunk placed before? */
static int overlaps_earlier(const struct fuzz_chunk *c)
{
    for (int i = 0; i < nchunks; i++)
        if ((uint64_t)c->addr < (uint64_t)chunks[i].addr + chunks[i].len &&
            (uint64_t)chunks[i].addr < (uint64_t)c->addr + c->len)
            return 1;
    return 0;
}

/* Below 1 MiB: into `low` (a later chunk overwrites an earlier one);
 * above: kept as a chunk of its own, unless it overlaps one placed
 * before, which would make one address read as two different bytes
 * depending on the range asked for. Real memory never does that, and a
 * parser that reads a header twice (once alone, once with its table)
 * may rightly count on it. A chunk across 1 MiB is split there, one
 * across 4 GiB cut there. */
static void place(struct fuzz_chunk c)
{
    /* Memory ends at 4 GiB: the kernel's physical addresses are 32 bits
     * (no PAE), and its parsers refuse what lies past them. */
    if ((uint64_t)c.addr + c.len > FUZZ_MEM_END)
        c.len = (uint32_t)(FUZZ_MEM_END - c.addr);
    if (c.addr < FUZZ_LOW_MEM) {
        uint32_t n = c.len < FUZZ_LOW_MEM - c.addr ? c.len : FUZZ_LOW_MEM - c.addr;
        memcpy(low + c.addr, c.data, n);
        dirty[ndirty].addr = c.addr;
        dirty[ndirty++].len = n;
        c.addr += n, c.data += n, c.len -= n;
    }
    if (c.len != 0 && !overlaps_earlier(&c))
        chunks[nchunks++] = c;
}

int fuzz_mem_load(uint8_t *data, size_t size)
{
    size_t off = 0;
    struct fuzz_chunk c;
    int n = 0;
    while (n < FUZZ_MAX_CHUNKS && fuzz_chunk_next(data, size, &off, &c)) {
        place(c);
        n++;
    }
    return n;
}

static const void *copy_of(const uint8_t *src, uint32_t len)
{
    if (ncopies == copies_cap) {
        copies_cap = copies_cap ? 2 * copies_cap : 256;
        copies = realloc(copies, copies_cap * sizeof *copies);
        if (copies == NULL)
            abort();
    }
    void *p = malloc(len);
    if (p == NULL)
        abort();
    memcpy(p, src, len);
    copies[ncopies++] = p;
    return p;
}

const void *fuzz_mem_map(uint64_t pa, uint32_t len)
{
    if (len == 0)
        return NULL;
    /* Bounds as "len <= room left", so that a pa near 2^64 cannot wrap.
     * A range that ends where the first MiB ends is handed out in place:
     * `low` ends there too, so a read past it still hits ASan's redzone,
     * and the 128 KiB the RSDP scan asks for are not copied per input
     * (that copy took most of the ACPI harness's time). */
    if (pa < FUZZ_LOW_MEM && len == FUZZ_LOW_MEM - pa)
        return low + pa;
    if (pa < FUZZ_LOW_MEM && len <= FUZZ_LOW_MEM - pa)
        return copy_of(low + pa, len);
    for (int i = 0; i < nchunks; i++) {
        const struct fuzz_chunk *c = &chunks[i];
        if (pa >= c->addr && len <= c->len && pa - c->addr <= c->len - len)
            return copy_of(c->data + (pa - c->addr), len);
    }
    return NULL;
}

void fuzz_mem_reset(void)
{
    for (size_t i = 0; i < ncopies; i++)
        free(copies[i]);
    ncopies = 0;
    for (int i = 0; i < ndirty; i++)
        memset(low + dirty[i].addr, 0, dirty[i].len);
    ndirty = 0;
    nchunks = 0;
}
