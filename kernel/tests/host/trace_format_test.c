/* trace_format_test.c -- host tests for kernel/trace_format.h (the
 * scheduler trace's ring arithmetic and record layout). */
#if LAB >= 4
#include <criterion/criterion.h>
#include <stddef.h>
#include "trace_format.h"

Test(trace_format, record_layout)
{
    /* tools/tracefmt.py reads "<QBBHI": the offsets must not move. */
    cr_expect_eq(sizeof(struct trace_record), 16);
    cr_expect_eq(offsetof(struct trace_record, tsc), 0);
    cr_expect_eq(offsetof(struct trace_record, type), 8);
    cr_expect_eq(offsetof(struct trace_record, cpu), 9);
    cr_expect_eq(offsetof(struct trace_record, tid), 10);
    cr_expect_eq(offsetof(struct trace_record, arg), 12);
}

Test(trace_format, before_the_ring_fills)
{
    cr_expect_eq(trace_kept(0), 0);
    cr_expect_eq(trace_lost(0), 0);
    cr_expect_eq(trace_oldest_slot(0), 0);
    cr_expect_eq(trace_kept(5), 5);
    cr_expect_eq(trace_oldest_slot(5), 0);
    cr_expect_eq(trace_kept(TRACE_RING_RECORDS), TRACE_RING_RECORDS);
    cr_expect_eq(trace_lost(TRACE_RING_RECORDS), 0);
    cr_expect_eq(trace_oldest_slot(TRACE_RING_RECORDS), 0);
}

Test(trace_format, after_it_wraps)
{
    /* Three more events than slots: the first three are gone, and the
     * oldest kept one sits in slot 3, where event 3 was written. */
    uint32_t head = TRACE_RING_RECORDS + 3;
    cr_expect_eq(trace_kept(head), TRACE_RING_RECORDS);
    cr_expect_eq(trace_lost(head), 3);
    cr_expect_eq(trace_oldest_slot(head), 3);
    cr_expect_eq(trace_slot(head), 3);      /* the next write overwrites it */
}

Test(trace_format, head_wraps_at_2_to_the_32)
{
    /* After 2^32 events the counter wraps; the slots stay right because
     * the ring's size divides 2^32 (trace_kept() then undercounts until
     * the head passes the ring's size again: 2^32 events are hours). */
    uint32_t head = 2u;     /* 2^32 + 2 events */
    cr_expect_eq(trace_slot(0xFFFFFFFFu), TRACE_RING_RECORDS - 1);
    cr_expect_eq(trace_slot(head), 2);
}
#endif /* LAB >= 4 */
