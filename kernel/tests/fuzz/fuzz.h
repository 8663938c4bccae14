/*
 * fuzz.h -- what every libFuzzer harness here shares: the entry point's
 * prototype, the oracle's trap, and the two ways a harness makes ASan see
 * a parser's mistakes (an exact-size copy of the input, a read of every
 * byte the parser hands back).
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An oracle that fails is a finding, reported like a crash. */
#define CHECK(cond)                                                                        \
    do {                                                                                   \
        if (!(cond))                                                                       \
            __builtin_trap();                                                              \
    } while (0)

/* The input in a heap block of exactly its size (libFuzzer's own buffer
 * may have room after it), so that ASan reports any read past its end;
 * extra zero bytes after it when asked (a NUL terminator). */
static inline uint8_t *fuzz_copy(const uint8_t *data, size_t size, size_t extra)
{
    uint8_t *p = malloc(size + extra ? size + extra : 1);
    if (p == NULL)
        abort();
    memcpy(p, data, size);
    memset(p + size, 0, extra);
    return p;
}

/* Read every byte of [p, p + n): ASan reports a length that lies. */
static inline void fuzz_touch(const void *p, size_t n)
{
    volatile uint8_t sink = 0; /* SAFETY: volatile only keeps the reads from being optimized out */
    for (size_t i = 0; i < n; i++)
        sink ^= ((const uint8_t *)p)[i];
    (void)sink;
}

#endif
