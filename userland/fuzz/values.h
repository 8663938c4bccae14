/*
 * values.h -- the interesting values the fuzzer draws its arguments
 * from (pure: host-tested). Integers at the boundaries (0, 1, -1, 2^31,
 * page sizes), descriptors of every kind, pointers into every kind of
 * region of the caller's address space and outside it.
 */
#ifndef FUZZ_VALUES_H
#define FUZZ_VALUES_H

#include <stdint.h>

#include "rng.h"

/* Where a thread's pointers may point. The writable regions are scratch
 * the fuzzer gives up: the kernel may write anything there and nothing
 * of the fuzzer's own state lives in them. */
struct regions {
    uint32_t text_lo, text_hi;      /* read-only: code and rodata */
    uint32_t data_lo, data_hi;      /* a scratch array in .bss */
    uint32_t data_tail;             /* first byte past the data segment's last page */
    uint32_t data_tail_room;        /* scratch bytes right before data_tail (0: none) */
    uint32_t heap_lo, heap_hi;      /* scratch heap; heap_hi is the break, page-aligned */
    uint32_t stack_lo, stack_hi;    /* unused stack below the fuzzing frame */
    uint32_t path;                  /* the thread's path buffer, as an argument */
    char *path_buf;                 /* the same buffer, where calls.c writes the names */
};

enum ptr_kind {
    PTR_NULL, PTR_TEXT, PTR_DATA, PTR_DATA_TAIL, PTR_HEAP, PTR_HEAP_TAIL, PTR_STACK,
    PTR_UNMAPPED, PTR_BELOW_USER, PTR_KERNEL, PTR_USER_TOP, PTR_WRAP, PTR_MISALIGNED,
    PTR_KINDS
};

/* Sizes: 0, 1, page +- 1, 2^31, -1, ... and small random ones. */
uint32_t pick_size(struct rng *r);
/* A descriptor: mostly 0..FD_POOL-1 (valid, closed or of the wrong
 * kind, as the thread's own calls left them), sometimes -1, huge,
 * negative. Never FD_REPORT: the worker's line to the console. */
#define FD_POOL 15
#define FD_REPORT 15
int32_t pick_fd(struct rng *r);
/* Any integer: the boundaries, small ones, random bits. */
uint32_t pick_int(struct rng *r);
/* A pointer of a random kind (*kind says which). */
uint32_t pick_ptr(struct rng *r, const struct regions *g, enum ptr_kind *kind);
/* A pointer of the given kind. */
uint32_t ptr_of_kind(struct rng *r, const struct regions *g, enum ptr_kind kind);
const char *ptr_kind_name(enum ptr_kind kind);
/* Is this kind's memory the caller's own, mapped and writable? */
int ptr_kind_is_scratch(enum ptr_kind kind);

/* Paths. values_path() writes one of the fuzzer's names into buf
 * (room bytes): only names inside the worker's own directory (its
 * current one) or that cannot exist, so no call can touch a file that
 * is not the fuzzer's. PATH_SET_EXEC adds programs that must not run
 * (garbage ELF files, directories); PATH_SET_READ adds real files and
 * directories outside, for calls that only look. The path's length,
 * or -1 for "no terminator": the worker then points at the end of a
 * mapping filled with non-NUL bytes. */
enum path_set { PATH_SET_OWN, PATH_SET_EXEC, PATH_SET_READ };
int values_path(struct rng *r, enum path_set set, char *buf, uint32_t room);

#endif
