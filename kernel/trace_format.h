/*
 * trace_format.h -- the scheduler trace's record format (docs/trace.md).
 *
 * Pure data and arithmetic, no hardware: the kernel writes these records,
 * tools/trace2perfetto and tools/trace2svg read them back from the dump,
 * and kernel/tests/host/trace_format_test.c checks the ring arithmetic.
 *
 * One record is 16 bytes, little-endian, the same in the ring, in the
 * COM2 dump and in the file GDB's `trace-dump` writes:
 *
 *   offset 0  u64  tsc    rdtsc when the event happened
 *   offset 8  u8   type   enum trace_type
 *   offset 9  u8   cpu    the CPU (0 until lab 5); the chunk index in TR_NAME
 *   offset 10 u16  tid    the thread the event is about (see each type)
 *   offset 12 u32  arg    what the type says
 */
#ifndef TRACE_FORMAT_H
#define TRACE_FORMAT_H

#if LAB >= 4
#include <stdint.h>

#define TRACE_FORMAT_VERSION 1u     /* unsigned: printed with %u (make lint) */
/* A power of two: the head counts events forever, the slot is head & mask. */
#define TRACE_RING_RECORDS 8192u
#define TRACE_NO_THREAD 0xFFFFu        /* before threads exist */

/* tid is the running thread unless said otherwise. */
enum trace_type {
    TR_SWITCH = 1,      /* tid stops running, arg = the tid that runs next */
    TR_WAKEUP = 2,      /* tid (or the interrupt it is in) made thread arg runnable */
    TR_IRQ_ENTER = 3,   /* a hardware interrupt, arg = vector */
    TR_IRQ_EXIT = 4,    /* its handler returned, arg = vector */
    TR_TRAP = 5,        /* another exception (not a page fault), arg = vector */
    TR_SYSCALL = 6,     /* system call entry, arg = its number (eax) */
    TR_SYSRET = 7,      /* system call exit, arg = its result (eax) */
    TR_FAULT = 8,       /* page fault, arg = the address (cr2) */
    TR_FAULT_FATAL = 9, /* that fault was not resolved: the thread's process dies */
    TR_NAME = 10,       /* tid is called ...: arg = 4 bytes of the name, cpu = chunk 0..3 */
    TR_PROC = 11,       /* tid belongs to process arg (0: a kernel thread) */
};

struct trace_record {
    uint64_t tsc;
    uint8_t type;
    uint8_t cpu;
    uint16_t tid;
    uint32_t arg;
};

_Static_assert(sizeof(struct trace_record) == 16, "the dump format says 16 bytes");
_Static_assert((TRACE_RING_RECORDS & (TRACE_RING_RECORDS - 1)) == 0, "a power of two");

/* The slot of the head-th event ever recorded. */
static inline uint32_t trace_slot(uint32_t head)
{
    return head & (TRACE_RING_RECORDS - 1);
}

/* After `head` events: how many the ring still holds, the slot of the
 * oldest, and how many were overwritten. */
static inline uint32_t trace_kept(uint32_t head)
{
    return head < TRACE_RING_RECORDS ? head : TRACE_RING_RECORDS;
}

static inline uint32_t trace_oldest_slot(uint32_t head)
{
    return trace_slot(head - trace_kept(head));
}

static inline uint32_t trace_lost(uint32_t head)
{
    return head - trace_kept(head);
}

#endif /* LAB >= 4 */

#endif
