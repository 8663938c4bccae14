/*
 * tcp_seq.h -- sequence-number arithmetic modulo 2^32 (RFC 9293 3.4).
 *
 * Sequence numbers wrap: 0xfffffff0 comes before 0x00000010. Comparing
 * them as plain integers breaks at the wrap, so every comparison is done
 * on the signed 32-bit difference, which is right as long as the two
 * numbers are less than 2^31 apart (windows are at most 65535 here).
 */
#ifndef NET_TCP_SEQ_H
#define NET_TCP_SEQ_H

#if LAB >= 6
#include <stdbool.h>
#include <stdint.h>

static inline bool seq_lt(uint32_t a, uint32_t b)  { return (int32_t)(a - b) < 0; }
static inline bool seq_leq(uint32_t a, uint32_t b) { return (int32_t)(a - b) <= 0; }
static inline bool seq_gt(uint32_t a, uint32_t b)  { return (int32_t)(a - b) > 0; }
static inline bool seq_geq(uint32_t a, uint32_t b) { return (int32_t)(a - b) >= 0; }

/* lo <= x < hi, modulo 2^32: RFC 9293's "RCV.NXT =< SEG.SEQ < RCV.NXT+RCV.WND". */
static inline bool seq_in_window(uint32_t x, uint32_t lo, uint32_t hi)
{
    return seq_leq(lo, x) && seq_lt(x, hi);
}

#define SEQ_LT(a, b)  seq_lt((a), (b))
#define SEQ_LEQ(a, b) seq_leq((a), (b))
#define SEQ_GT(a, b)  seq_gt((a), (b))
#define SEQ_GEQ(a, b) seq_geq((a), (b))
#endif /* LAB >= 6 */

#endif
