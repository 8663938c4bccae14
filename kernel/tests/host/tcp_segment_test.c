/* tcp_segment_test.c -- host tests for kernel/net/tcp_seq.h and
 * tcp_segment.c: wrap-around comparisons, the parser's checks (each
 * malformed segment dropped and counted by its reason), and the reset a
 * closed port answers with (RFC 9293 3.10.7.1). */
#if LAB >= 6
#include "tcp_test_util.h"

TestSuite(tcp_segment, .init = tcp_setup, .timeout = 120);

Test(tcp_segment, seq_compare_across_the_wrap)
{
    cr_expect(SEQ_LT(0xfffffff0u, 0x10u));
    cr_expect(SEQ_GT(0x10u, 0xfffffff0u));
    cr_expect(SEQ_LEQ(5u, 5u) && SEQ_GEQ(5u, 5u));
    cr_expect(!SEQ_LT(5u, 5u));
    cr_expect(seq_in_window(0x2u, 0xfffffffeu, 0x10u));
    cr_expect(!seq_in_window(0x10u, 0xfffffffeu, 0x10u), "the window's end is outside");
    cr_expect(!seq_in_window(0xfffffffdu, 0xfffffffeu, 0x10u));
}

/* A valid SYN to port 80 with an MSS option: 24 bytes. */
static size_t good_syn(uint8_t *buf)
{
    struct tcp_seg s = { .src_ip = PEER_IP, .dst_ip = US_IP, .sport = PEER_PORT, .dport = 80,
                         .seq = 77, .flags = TCP_SYN, .wnd = 1234, .mss = 1400 };
    return tcp_build(buf, &s, true);
}

Test(tcp_segment, build_then_parse_round_trip)
{
    uint8_t buf[64];
    size_t n = good_syn(buf);
    cr_assert_eq(n, 24u);
    struct tcp_seg s;
    cr_assert_eq(tcp_parse(&s, PEER_IP, US_IP, buf, n), 0);
    cr_expect_eq(s.sport, PEER_PORT);
    cr_expect_eq(s.dport, 80);
    cr_expect_eq(s.seq, 77u);
    cr_expect_eq(s.flags, TCP_SYN);
    cr_expect_eq(s.wnd, 1234);
    cr_expect_eq(s.mss, 1400);
    cr_expect_eq(s.len, 0u);
    cr_expect_eq(netstat_drops_total(), 0u);
}

Test(tcp_segment, checksum_covers_the_pseudo_header)
{
    uint8_t buf[64];
    size_t n = good_syn(buf);
    struct tcp_seg s;
    /* The same bytes from another source address: the sum must differ. */
    cr_expect_eq(tcp_parse(&s, PEER_IP + 1, US_IP, buf, n), -1);
    cr_expect_eq(netstat.drops[NET_DROP_BAD_CHECKSUM], 1u);
}

Test(tcp_segment, malformed_segments_are_counted_by_reason)
{
    uint8_t buf[64];
    size_t n = good_syn(buf);
    struct tcp_seg s;
    cr_expect_eq(tcp_parse(&s, PEER_IP, US_IP, buf, 19), -1);
    cr_expect_eq(netstat.drops[NET_DROP_TRUNCATED], 1u);

    buf[20] ^= 0xff;    /* the option kind, not covered by a fixed checksum */
    cr_expect_eq(tcp_parse(&s, PEER_IP, US_IP, buf, n), -1);
    cr_expect_eq(netstat.drops[NET_DROP_BAD_CHECKSUM], 1u);
    buf[20] ^= 0xff;

    /* Data offsets out of range; the checksum is fixed up each time so
     * that only the length is wrong. */
    uint8_t bad_offsets[] = { 4, 7, 15 };   /* < 5 words, > the 24 bytes, way past */
    for (unsigned i = 0; i < sizeof bad_offsets; i++) {
        uint8_t copy[64];
        memcpy(copy, buf, n);
        copy[12] = (uint8_t)(bad_offsets[i] << 4);
        put_be16(copy + 16, 0);
        uint32_t sum = csum_pseudo(PEER_IP, US_IP, IP_PROTO_TCP, (uint16_t)n);
        put_be16(copy + 16, csum_fold(csum_add(sum, copy, n)));
        cr_expect_eq(tcp_parse(&s, PEER_IP, US_IP, copy, n), -1, "data offset %u", bad_offsets[i]);
    }
    cr_expect_eq(netstat.drops[NET_DROP_BAD_LENGTH], 3u);

    /* An option whose length runs past the header. */
    buf[21] = 9;
    put_be16(buf + 16, 0);
    uint32_t sum = csum_pseudo(PEER_IP, US_IP, IP_PROTO_TCP, (uint16_t)n);
    put_be16(buf + 16, csum_fold(csum_add(sum, buf, n)));
    cr_expect_eq(tcp_parse(&s, PEER_IP, US_IP, buf, n), -1);
    cr_expect_eq(netstat.drops[NET_DROP_BAD_HEADER], 1u);
}

Test(tcp_segment, bad_segments_reach_no_connection)
{
    struct tcb *l = tcp_listen(0, 80, 4, NULL);
    cr_assert_not_null(l);
    uint8_t buf[64];
    size_t n = good_syn(buf);
    buf[4] ^= 1;                        /* seq changed after the checksum */
    feed_raw(buf, n, 0);
    feed_raw(buf, 3, 0);
    expect_silence();                   /* no SYN-ACK, no RST */
    cr_expect_eq(netstat.drops[NET_DROP_BAD_CHECKSUM], 1u);
    cr_expect_eq(netstat.drops[NET_DROP_TRUNCATED], 1u);
    cr_expect_eq(tcb_children(l), 0u);
}

Test(tcp_segment, closed_port_answers_syn_with_rst_ack)
{
    peer_send_full(PEER_PORT, 81, 700, 0, TCP_SYN, 1000, NULL, 0, 0);
    struct tcp_seg *r = next_out();
    expect_seg(r, TCP_RST | TCP_ACK, 0, 701, 0);
    cr_expect_eq(r->sport, 81);
    cr_expect_eq(r->dport, PEER_PORT);
    cr_expect_eq(netstat.drops[NET_DROP_NO_PORT], 1u);
}

Test(tcp_segment, closed_port_answers_ack_with_rst_at_its_ack)
{
    peer_send_full(PEER_PORT, 81, 700, 4242, TCP_ACK, 1000, "abc", 3, 0);
    expect_seg(next_out(), TCP_RST, 4242, 0, 0);
    /* ...and a RST is never answered. */
    peer_send_full(PEER_PORT, 81, 700, 0, TCP_RST, 0, NULL, 0, 0);
    expect_silence();
}
#endif /* LAB >= 6 */
