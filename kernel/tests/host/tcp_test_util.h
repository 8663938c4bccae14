/* tcp_test_util.h -- what the TCP host tests share: a scripted peer.
 *
 * The stack under test is "us" (US_IP); the test plays the peer (PEER_IP):
 * it builds segments with peer_send() and feeds them to tcp_input(), and
 * every segment TCP sends lands, parsed and checksum-verified, in out[].
 * ISNs are fixed (US_ISN, or whatever the test puts in next_isn) so that
 * expected sequence numbers can be written down. Included by tcp_*_test.c. */
#ifndef TCP_TEST_UTIL_H
#define TCP_TEST_UTIL_H

#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>
#include "abi/errno.h"
#include "net/bytes.h"
#include "net/checksum.h"
#include "net/ipv4.h"
#include "net/netstat.h"
#include "net/tcp.h"
#include "net/tcp_int.h"

#define US_IP     IP4(10, 0, 2, 15)
#define PEER_IP   IP4(10, 0, 2, 2)
#define PEER_PORT 40000
#define US_ISN    1000u
#define PEER_ISN  5000u
#define MAX_OUT   64

struct captured {
    uint8_t raw[TCP_HLEN + 40 + TCP_MSS];
    size_t rawlen;
    uint32_t src, dst;
    struct tcp_seg seg;         /* parsed; data points into raw */
};

static struct captured out[MAX_OUT];
static int nout;                /* segments sent so far */
static int seen;                /* the first not yet looked at by next_out() */
static uint32_t next_isn;

static inline void capture(void *ctx, uint32_t src, uint32_t dst, const uint8_t *seg,
                           size_t len, uint32_t now_ms)
{
    (void)ctx;
    (void)now_ms;
    cr_assert_lt(nout, MAX_OUT, "more segments sent than the test expects");
    cr_assert_leq(len, sizeof out[0].raw);
    struct captured *c = &out[nout++];
    memcpy(c->raw, seg, len);
    c->rawlen = len;
    c->src = src;
    c->dst = dst;
    uint32_t drops = netstat_drops_total();
    cr_assert_eq(tcp_parse(&c->seg, src, dst, c->raw, len), 0,
                 "TCP sent a segment that does not parse (bad checksum?)");
    cr_assert_eq(netstat_drops_total(), drops);
}

static inline uint32_t fixed_isn(uint32_t now_ms)
{
    (void)now_ms;
    return next_isn;
}

static inline void tcp_setup(void)
{
    netstat_reset();
    memset(out, 0, sizeof out);
    nout = 0;
    seen = 0;
    next_isn = US_ISN;
    tcp_init(capture, NULL);
    tcp_set_isn_fn(fixed_isn);
}

/* The next segment TCP sent that the test has not looked at yet. */
static inline struct tcp_seg *next_out(void)
{
    cr_assert_lt(seen, nout, "TCP sent nothing more (%d segments in all)", nout);
    return &out[seen++].seg;
}

static inline void expect_silence(void)
{
    cr_assert_eq(nout, seen, "TCP sent %d segment(s) more than expected (first flags %#x)",
                 nout - seen, nout > seen ? out[seen].seg.flags : 0);
}

/* Build the peer's segment (from PEER_IP:sport to US_IP:dport) and feed it in. */
static inline void peer_send_full(uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack,
                                  uint8_t flags, uint16_t wnd, const void *data, uint32_t len,
                                  uint32_t now)
{
    static uint8_t buf[TCP_HLEN + 4 + 4096];
    cr_assert_leq(len, 4096u);
    bool syn = flags & TCP_SYN;
    struct tcp_seg s = {
        .src_ip = PEER_IP, .dst_ip = US_IP, .sport = sport, .dport = dport,
        .seq = seq, .ack = ack, .flags = flags, .wnd = wnd, .mss = 1000, .len = len,
    };
    if (len)
        memcpy(buf + tcp_header_len(syn), data, len);
    size_t n = tcp_build(buf, &s, syn);
    struct ip_hdr_info ip = {
        .src = PEER_IP, .dst = US_IP, .proto = IP_PROTO_TCP, .ttl = 64,
        .hdr_len = 20, .total_len = (uint16_t)(20 + n),
    };
    tcp_input(&ip, buf, n, now);
}

/* The peer's segment on t's connection. */
static inline void peer(struct tcb *t, uint32_t seq, uint32_t ack, uint8_t flags, uint16_t wnd,
                        const void *data, uint32_t len, uint32_t now)
{
    peer_send_full(t->remote_port, t->local_port, seq, ack, flags, wnd, data, len, now);
}

static inline void feed_raw(const uint8_t *seg, size_t len, uint32_t now)
{
    struct ip_hdr_info ip = { .src = PEER_IP, .dst = US_IP, .proto = IP_PROTO_TCP };
    tcp_input(&ip, seg, len, now);
}

static inline void expect_seg(const struct tcp_seg *s, uint8_t flags, uint32_t seq, uint32_t ack,
                              uint32_t len)
{
    cr_expect_eq(s->flags, flags, "flags %#x, expected %#x", s->flags, flags);
    cr_expect_eq(s->seq, seq, "seq %u, expected %u", s->seq, seq);
    if (flags & TCP_ACK)
        cr_expect_eq(s->ack, ack, "ack %u, expected %u", s->ack, ack);
    cr_expect_eq(s->len, len, "data %u bytes, expected %u", s->len, len);
}

/* A connection established passively on port 80: us ISN US_ISN, peer
 * PEER_ISN, peer window wnd. Returns the accepted TCB. */
__attribute__((unused)) static struct tcb *passive_open(uint16_t wnd, uint32_t now)
{
    struct tcb *l = tcp_listen(0, 80, 4, NULL);
    cr_assert_not_null(l);
    peer_send_full(PEER_PORT, 80, PEER_ISN, 0, TCP_SYN, wnd, NULL, 0, now);
    expect_seg(next_out(), TCP_SYN | TCP_ACK, US_ISN, PEER_ISN + 1, 0);
    peer_send_full(PEER_PORT, 80, PEER_ISN + 1, US_ISN + 1, TCP_ACK, wnd, NULL, 0, now);
    struct tcb *t = tcp_accept(l);
    cr_assert_not_null(t, "no connection to accept after the handshake");
    cr_assert_eq(t->state, TCP_ESTABLISHED);
    return t;
}

/* The same, actively: we connect to the peer's port 80. */
__attribute__((unused)) static struct tcb *active_open(uint16_t wnd, uint32_t now)
{
    struct tcb *t = tcp_connect(US_IP, PEER_IP, 80, now, NULL);
    cr_assert_not_null(t);
    struct tcp_seg *syn = next_out();
    expect_seg(syn, TCP_SYN, US_ISN, 0, 0);
    peer_send_full(80, t->local_port, PEER_ISN, US_ISN + 1, TCP_SYN | TCP_ACK, wnd, NULL, 0, now);
    expect_seg(next_out(), TCP_ACK, US_ISN + 1, PEER_ISN + 1, 0);
    cr_assert_eq(t->state, TCP_ESTABLISHED);
    return t;
}
#endif
