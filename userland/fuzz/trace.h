/*
 * trace.h -- the fuzzer's record of its calls: one line per call, and
 * each thread's last TRACE_RING calls, printed when something goes
 * wrong so that the report holds the sequence that led there.
 */
#ifndef FUZZ_TRACE_H
#define FUZZ_TRACE_H

#include <stdint.h>

#include "calls.h"

#define TRACE_RING 16

struct trace_entry {
    struct call call;
    uint32_t index;             /* the thread's call number, from 0 */
    int32_t result;
};

struct trace {
    struct trace_entry ring[TRACE_RING];
    uint32_t count;             /* entries ever added */
};

void trace_add(struct trace *t, const struct call *c, uint32_t index, int32_t result);
/* "#123 read(fd 3, 0x40002010 data, 4096) = -14" into buf (room bytes). */
int trace_format(char *buf, unsigned room, const struct call *c, uint32_t index, int32_t result,
                 int with_result);
/* Writes the ring, oldest first, one line each, to fd, after `prefix`. */
void trace_dump(const struct trace *t, int fd, const char *prefix);

#endif
