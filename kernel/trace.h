/*
 * trace.h -- the scheduler trace (`trace=sched`, docs/trace.md).
 *
 * Hooks call trace_event(); when tracing is off that is one load and one
 * branch the CPU predicts as not taken. When on, trace_record() writes a
 * 16-byte record (trace_format.h) into a ring that overwrites its oldest
 * records; nothing is formatted or printed until trace_dump().
 */
#ifndef TRACE_H
#define TRACE_H

#if LAB >= 4
#include "trace_format.h"
#include <stdbool.h>
#include <stdint.h>

struct thread;

extern bool trace_on;
extern struct trace_record trace_ring[TRACE_RING_RECORDS];
extern uint32_t trace_head;     /* events recorded since boot */

/* Turn the trace on when the command line says trace=sched. */
void trace_init(const char *cmdline);
/* Record an event about the running thread (out of line: the hooks stay small). */
void trace_record(enum trace_type type, uint32_t arg);
/* Record t's name and process (at creation, fork and exec). */
void trace_thread_named(const struct thread *t);
/* Write the ring to COM2 between `trace: begin` and `trace: end`. */
void trace_dump(void);

/* A macro, not an inline function: `arg` (read_cr2(), say) is evaluated
 * only when tracing is on. */
#define trace_event(type, arg)                      \
    do {                                            \
        if (__builtin_expect(trace_on, 0))          \
            trace_record((type), (uint32_t)(arg));  \
    } while (0)
#endif /* LAB >= 4 */

#endif
