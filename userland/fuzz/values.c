/* values.c -- the interesting values (values.h). */
#include "values.h"

#include <string.h>

#include "../../kernel/abi/syscall.h"  /* USER_BASE, USER_TOP (kernel/abi, also for the host tests) */

#define PAGE 4096u

static uint32_t pick_from(struct rng *r, const uint32_t *table, uint32_t n)
{
    return table[rng_below(r, n)];
}

#define PICK(r, table) pick_from((r), (table), sizeof(table) / sizeof((table)[0]))

static const uint32_t boundary_sizes[] = {
    0, 1, 2, 3, 4, 7, 8, 15, 16, 31, 32, 64, 255, 256, 511, 512, 1023, 1024,
    PAGE - 1, PAGE, PAGE + 1, 2 * PAGE, 8192 + 1, 65535, 65536, 1u << 20,
    0x7fffffffu, 0x80000000u, 0x80000001u, 0xfffff000u, 0xfffffffeu, 0xffffffffu,
};

uint32_t pick_size(struct rng *r)
{
    switch (rng_below(r, 4)) {
    case 0:
        return rng_below(r, 300);
    case 1:
        return rng_below(r, 2 * PAGE + 64);
    default:
        return PICK(r, boundary_sizes);
    }
}

int32_t pick_fd(struct rng *r)
{
    static const uint32_t odd_fds[] = {
        (uint32_t)-1, (uint32_t)-2, 16, 17, 31, 32, 64, 1024, 0x7fffffff, 0x80000000u, 0xffffff00u,
    };
    if (rng_one_in(r, 8))
        return (int32_t)PICK(r, odd_fds);
    return (int32_t)rng_below(r, FD_POOL);
}

uint32_t pick_int(struct rng *r)
{
    static const uint32_t ints[] = {
        0, 1, 2, 3, 4, 5, 8, 9, 13, 15, 16, 31, 32, 33, 63, 64, 100, 127, 128, 255, 256,
        0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff, 0x80000000u, 0x80000001u,
        0xfffffffeu, 0xffffffffu, 0xffff8000u, 0xc0000000u,
    };
    switch (rng_below(r, 3)) {
    case 0:
        return rng_next(r);
    case 1:
        return rng_below(r, 40) - 8;    /* -8 .. 31, as uint32 */
    default:
        return PICK(r, ints);
    }
}

/* An offset into [lo, hi) near one of its ends or anywhere, leaving at
 * least `room` before hi only when asked for the middle. */
static uint32_t inside(struct rng *r, uint32_t lo, uint32_t hi)
{
    if (hi <= lo)
        return lo;
    uint32_t span = hi - lo;
    switch (rng_below(r, 4)) {
    case 0:
        return lo;
    case 1:
        return hi - 1 - rng_below(r, span < 64 ? span : 64);   /* the last bytes */
    default:
        return lo + rng_below(r, span);
    }
}

uint32_t ptr_of_kind(struct rng *r, const struct regions *g, enum ptr_kind kind)
{
    /* Tidepool's kernel lives below USER_BASE: its image at 1 MiB, the
     * VGA text buffer, the heap at 0x30000000, the kernel stacks at
     * 0x38000000; the LAPIC's page sits above user space. */
    static const uint32_t kernel_addrs[] = {
        0x00000004u, 0x000b8000u, 0x00100000u, 0x00101000u, 0x00200000u, 0x30000000u,
        0x30001000u, 0x38000000u, 0x38004000u, 0x3ffff000u, 0x3fffffffu, 0xfffff000u,
    };
    switch (kind) {
    case PTR_NULL:
        return 0;
    case PTR_TEXT:
        return inside(r, g->text_lo, g->text_hi);
    case PTR_DATA:
        return inside(r, g->data_lo, g->data_hi);
    case PTR_DATA_TAIL:
        /* The last bytes of the data segment's mapping; without scratch
         * room there, the middle of the scratch array. */
        if (g->data_tail_room == 0)
            return inside(r, g->data_lo, g->data_hi);
        return g->data_tail - 1 - rng_below(r, g->data_tail_room);
    case PTR_HEAP:
        return inside(r, g->heap_lo, g->heap_hi);
    case PTR_HEAP_TAIL:
        return g->heap_hi - 1 - rng_below(r, 64);
    case PTR_STACK:
        return inside(r, g->stack_lo, g->stack_hi);
    case PTR_UNMAPPED:
        /* User space far above the heap, below the stacks: never mapped. */
        return 0x90000000u + rng_below(r, 0x40000000u);
    case PTR_BELOW_USER:
        return USER_BASE - 1 - rng_below(r, 4 * PAGE);
    case PTR_KERNEL:
        {
            /* The address itself or another in its page (never past
             * it: 0x3fffffff + 1 is user space). */
            uint32_t a = PICK(r, kernel_addrs);
            return rng_one_in(r, 2) ? a : (a & ~(PAGE - 1)) + rng_below(r, PAGE);
        }
    case PTR_USER_TOP:
        return USER_TOP - 1 - rng_below(r, 16);     /* the last bytes of user space */
    case PTR_WRAP:
        return 0xffffffffu - rng_below(r, 16);      /* base + size wraps around */
    case PTR_MISALIGNED:
        return (inside(r, g->data_lo, g->data_hi - 8) | 1u) + 2 * rng_below(r, 2);
    case PTR_KINDS:
        break;
    }
    return 0;
}

uint32_t pick_ptr(struct rng *r, const struct regions *g, enum ptr_kind *kind)
{
    /* Half the time scratch the call can use, so that calls get past
     * their pointer checks and reach their real work. */
    static const uint8_t useful[] = { PTR_DATA, PTR_HEAP, PTR_STACK, PTR_DATA, PTR_STACK };
    *kind = rng_one_in(r, 2) ? (enum ptr_kind)useful[rng_below(r, sizeof useful)]
                             : (enum ptr_kind)rng_below(r, PTR_KINDS);
    return ptr_of_kind(r, g, *kind);
}

const char *ptr_kind_name(enum ptr_kind kind)
{
    static const char *const names[PTR_KINDS] = {
        [PTR_NULL] = "null", [PTR_TEXT] = "text", [PTR_DATA] = "data",
        [PTR_DATA_TAIL] = "data-tail", [PTR_HEAP] = "heap", [PTR_HEAP_TAIL] = "heap-tail",
        [PTR_STACK] = "stack", [PTR_UNMAPPED] = "unmapped", [PTR_BELOW_USER] = "below-user",
        [PTR_KERNEL] = "kernel", [PTR_USER_TOP] = "user-top", [PTR_WRAP] = "wrap",
        [PTR_MISALIGNED] = "misaligned",
    };
    return (unsigned)kind < PTR_KINDS ? names[kind] : "?";
}

int ptr_kind_is_scratch(enum ptr_kind kind)
{
    return kind == PTR_DATA || kind == PTR_DATA_TAIL || kind == PTR_STACK ||
           kind == PTR_MISALIGNED;
}

/* Names in the worker's own directory (its current one at the start;
 * chdir only ever goes into "d" below it, and never up: no "..", and
 * no name starting with '/', "//" included). */
static const char *const own_names[] = {
    "a", "b", "d", "d/a", "d/d", "d/d/a", "e", ".", "", "a/", "a/b", "d/", "nope/a",
    "d//a", "./a", "d/./a", "d/", "a//",
};
/* Outside, and cannot be made: their directories do not exist (a
 * name such as "/nonexistent" would be created by mkdir or rename). */
static const char *const absent_names[] = {
    "/nonexistent/a", "/fz-no/a", "/bin/nonexistent/a", "/bad/nonexistent/x",
};
/* Must not run: the five bad ELF files, directories. */
static const char *const exec_names[] = {
    "/bad/bad-magic", "/bad/wrong-machine", "/bad/kernel-segment", "/bad/filesz-over-memsz",
    "/bad/truncated", "/bin", "/", "d", "/bad",
};
/* Real files outside, for calls that only look. */
static const char *const read_names[] = {
    "/", "//", "/bin", "/bin/sh", "/bin/init", "/bin/sysfuzz", "/bad/truncated", "/bin/../bin/sh",
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static int long_name(struct rng *r, char *buf, uint32_t room)
{
    /* Around TP_PATH_MAX (256) and the kernel's name limits. */
    static const uint32_t lengths[] = { 57, 58, 59, 127, 128, 255, 256, 257, 400 };
    uint32_t n = lengths[rng_below(r, COUNT(lengths))];
    if (n >= room)
        n = room - 1;
    for (uint32_t i = 0; i < n; i++)
        buf[i] = (i % 20 == 19) ? '/' : 'x';
    buf[n] = '\0';
    return (int)n;
}

int values_path(struct rng *r, enum path_set set, char *buf, uint32_t room)
{
    uint32_t pick = rng_below(r, 16);
    const char *name;
    if (pick == 0)
        return -1;                      /* no terminator: the worker places it */
    if (pick == 1)
        return long_name(r, buf, room);
    if (pick == 2)
        name = absent_names[rng_below(r, COUNT(absent_names))];
    else if (set == PATH_SET_EXEC)    /* never the worker's own files: what is in them? */
        name = exec_names[rng_below(r, COUNT(exec_names))];
    else if (pick <= 5 && set == PATH_SET_READ)
        name = read_names[rng_below(r, COUNT(read_names))];
    else
        name = own_names[rng_below(r, COUNT(own_names))];
    uint32_t n = (uint32_t)strlen(name);
    if (n >= room)
        n = room - 1;
    memcpy(buf, name, n);
    buf[n] = '\0';
    return (int)n;
}
