/*
 * fuzz_mem.h -- a made-up physical memory, for the harnesses whose parser
 * reads memory the kernel does not own (Multiboot's structures, ACPI's
 * tables).
 *
 * An input is a list of chunks in the format of the ACPI host-test
 * fixtures (tools/acpi-dump.py): "<u32 address> <u32 length> <bytes>",
 * little-endian, one after another; the last chunk keeps whatever bytes
 * the input still has. The first MiB reads as zeros where no chunk lies
 * (on a PC it is always RAM); above it only chunks exist, and one that
 * overlaps an earlier one is dropped: each address holds one byte.
 * Nothing lies at or above 4 GiB.
 *
 * fuzz_mem_map() hands out each range as a fresh heap block of exactly
 * the length asked for: a parser that reads one byte past what it asked
 * for is an ASan report, even in the middle of a chunk. (One exception,
 * as safe: a range that ends at 1 MiB is handed out in place, where the
 * first MiB's array ends.)
 */
#ifndef FUZZ_MEM_H
#define FUZZ_MEM_H

#include <stddef.h>
#include <stdint.h>

#define FUZZ_LOW_MEM    0x100000u   /* the first MiB: zeros unless a chunk says otherwise */
#define FUZZ_MEM_END    0x100000000ull  /* nothing at or above 4 GiB */
#define FUZZ_MAX_CHUNKS 64

struct fuzz_chunk {
    uint32_t addr, len;
    uint8_t *data;              /* points into the input */
};

/* The next chunk of data[0..size) at *off into *c; 0 at the end. */
int fuzz_chunk_next(uint8_t *data, size_t size, size_t *off, struct fuzz_chunk *c);

/* Lay the chunks of data[0..size) out as memory (data must outlive the
 * input's run: chunks above 1 MiB point into it). Returns how many. */
int fuzz_mem_load(uint8_t *data, size_t size);
/* [pa, pa + len) as a heap copy of exactly len bytes, or NULL when the
 * range is empty or not wholly inside the first MiB or one chunk. */
const void *fuzz_mem_map(uint64_t pa, uint32_t len);
/* Free every copy and zero the first MiB again: the next input starts
 * from the same memory (a finding replays alone). */
void fuzz_mem_reset(void);

#endif
