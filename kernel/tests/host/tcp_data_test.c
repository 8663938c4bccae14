/* tcp_data_test.c -- host tests for data transfer (RFC 9293 3.8, 3.10.7.4):
 * data both ways, segmentation by the peer's MSS, out-of-order segments
 * (dropped and re-ACKed), a receive window that never acknowledges what
 * did not fit, loss with retransmission and exponential back-off (RFC
 * 6298), zero windows both ways, and sequence numbers wrapping at 2^32. */
#if LAB >= 6
#include "tcp_test_util.h"

TestSuite(tcp_data, .init = tcp_setup, .timeout = 120);

static uint8_t pattern[TCP_BUF_SIZE];

static void fill_pattern(void)
{
    for (unsigned i = 0; i < sizeof pattern; i++)
        pattern[i] = (uint8_t)(i * 7 + 3);
}

Test(tcp_data, peer_to_us)
{
    struct tcb *t = passive_open(8000, 0);
    peer(t, PEER_ISN + 1, US_ISN + 1, TCP_ACK | TCP_PSH, 8000, "hello", 5, 1);
    struct tcp_seg *a = next_out();
    expect_seg(a, TCP_ACK, US_ISN + 1, PEER_ISN + 6, 0);
    cr_expect_eq(a->wnd, TCP_BUF_SIZE - 5, "the window shrinks by what we hold");
    cr_expect(tcp_poll(t) & TCP_EV_READABLE);
    char buf[16] = { 0 };
    cr_expect_eq(tcp_recv(t, buf, 3, 2), 3);
    cr_expect_arr_eq(buf, "hel", 3);
    cr_expect_eq(tcp_recv(t, buf, sizeof buf, 2), 2);
    cr_expect_arr_eq(buf, "lo", 2);
    cr_expect_eq(tcp_recv(t, buf, sizeof buf, 2), -EAGAIN);
    cr_expect_eq(tcp_poll(t) & TCP_EV_READABLE, 0u);
}

Test(tcp_data, us_to_peer_in_mss_sized_segments)
{
    fill_pattern();
    struct tcb *t = active_open(60000, 0);     /* the peer's MSS option says 1000 */
    cr_expect_eq(tcp_send(t, pattern, 2500, 1), 2500);
    struct tcp_seg *s1 = next_out(), *s2 = next_out(), *s3 = next_out();
    expect_seg(s1, TCP_ACK, US_ISN + 1, PEER_ISN + 1, 1000);
    expect_seg(s2, TCP_ACK, US_ISN + 1001, PEER_ISN + 1, 1000);
    expect_seg(s3, TCP_ACK | TCP_PSH, US_ISN + 2001, PEER_ISN + 1, 500);
    cr_expect_arr_eq(s2->data, pattern + 1000, 1000);
    expect_silence();
    cr_expect_eq(t->sndbuf.len, 2500u, "unacknowledged data stays for retransmission");
    peer(t, PEER_ISN + 1, US_ISN + 2001, TCP_ACK, 60000, NULL, 0, 2);
    cr_expect_eq(t->sndbuf.len, 500u);
    cr_expect(t->rexmt_armed, "500 bytes still unacknowledged");
    peer(t, PEER_ISN + 1, US_ISN + 2501, TCP_ACK, 60000, NULL, 0, 3);
    cr_expect_eq(t->sndbuf.len, 0u);
    cr_expect(!t->rexmt_armed, "everything acknowledged: the timer stops");
    expect_silence();
}

Test(tcp_data, the_peers_window_limits_what_is_sent)
{
    fill_pattern();
    struct tcb *t = active_open(1500, 0);
    cr_expect_eq(tcp_send(t, pattern, 4000, 1), 4000);
    expect_seg(next_out(), TCP_ACK, US_ISN + 1, PEER_ISN + 1, 1000);
    expect_seg(next_out(), TCP_ACK, US_ISN + 1001, PEER_ISN + 1, 500);
    expect_silence();
    peer(t, PEER_ISN + 1, US_ISN + 1501, TCP_ACK, 1500, NULL, 0, 2);
    expect_seg(next_out(), TCP_ACK, US_ISN + 1501, PEER_ISN + 1, 1000);
    expect_seg(next_out(), TCP_ACK, US_ISN + 2501, PEER_ISN + 1, 500);
    expect_silence();
}

Test(tcp_data, send_buffer_full_is_eagain)
{
    fill_pattern();
    struct tcb *t = active_open(0, 0);          /* nothing leaves */
    cr_expect_eq(tcp_send(t, pattern, TCP_BUF_SIZE, 1), TCP_BUF_SIZE);
    cr_expect_eq(tcp_poll(t) & TCP_EV_WRITABLE, 0u);
    cr_expect_eq(tcp_send(t, pattern, 1, 1), -EAGAIN);
}

Test(tcp_data, out_of_order_is_dropped_and_reacked)
{
    struct tcb *t = passive_open(8000, 0);
    peer(t, PEER_ISN + 4, US_ISN + 1, TCP_ACK, 8000, "def", 3, 1);
    expect_seg(next_out(), TCP_ACK, US_ISN + 1, PEER_ISN + 1, 0);   /* duplicate ACK */
    cr_expect_eq(tcp_stats.out_of_order, 1u);
    cr_expect_eq(tcp_recv(t, (char[8]){0}, 8, 1), -EAGAIN, "data ahead of RCV.NXT was kept");
    peer(t, PEER_ISN + 1, US_ISN + 1, TCP_ACK, 8000, "abc", 3, 2);
    expect_seg(next_out(), TCP_ACK, US_ISN + 1, PEER_ISN + 4, 0);
    peer(t, PEER_ISN + 4, US_ISN + 1, TCP_ACK, 8000, "def", 3, 3);   /* the peer resends */
    expect_seg(next_out(), TCP_ACK, US_ISN + 1, PEER_ISN + 7, 0);
    char buf[8] = { 0 };
    cr_expect_eq(tcp_recv(t, buf, sizeof buf, 4), 6);
    cr_expect_arr_eq(buf, "abcdef", 6);
}

Test(tcp_data, overlapping_retransmission_keeps_only_new_bytes)
{
    struct tcb *t = passive_open(8000, 0);
    peer(t, PEER_ISN + 1, US_ISN + 1, TCP_ACK, 8000, "abc", 3, 1);
    next_out();
    peer(t, PEER_ISN + 2, US_ISN + 1, TCP_ACK, 8000, "bcdef", 5, 2);
    expect_seg(next_out(), TCP_ACK, US_ISN + 1, PEER_ISN + 7, 0);
    char buf[8] = { 0 };
    cr_expect_eq(tcp_recv(t, buf, sizeof buf, 3), 6);
    cr_expect_arr_eq(buf, "abcdef", 6);
}

Test(tcp_data, old_duplicate_is_out_of_window_and_reacked)
{
    struct tcb *t = passive_open(8000, 0);
    peer(t, PEER_ISN + 1, US_ISN + 1, TCP_ACK, 8000, "abc", 3, 1);
    next_out();
    peer(t, PEER_ISN + 1, US_ISN + 1, TCP_ACK, 8000, "abc", 3, 2);
    expect_seg(next_out(), TCP_ACK, US_ISN + 1, PEER_ISN + 4, 0);
    cr_expect_eq(netstat.drops[NET_DROP_OUT_OF_WINDOW], 1u);
    cr_expect_eq(t->rcvbuf.len, 3u);
    /* Far beyond the window: dropped, counted, ACKed, nothing kept. */
    peer(t, PEER_ISN + 100000, US_ISN + 1, TCP_ACK, 8000, "zzz", 3, 3);
    expect_seg(next_out(), TCP_ACK, US_ISN + 1, PEER_ISN + 4, 0);
    cr_expect_eq(netstat.drops[NET_DROP_OUT_OF_WINDOW], 2u);
    cr_expect_eq(t->rcvbuf.len, 3u);
}

Test(tcp_data, never_acknowledges_bytes_that_did_not_fit)
{
    fill_pattern();
    struct tcb *t = passive_open(8000, 0);
    uint32_t seq = PEER_ISN + 1;
    /* Fill all but 100 bytes of the receive buffer. */
    for (uint32_t left = TCP_BUF_SIZE - 100; left > 0;) {
        uint32_t n = left > 1000 ? 1000 : left;
        peer(t, seq, US_ISN + 1, TCP_ACK, 8000, pattern, n, 1);
        seq += n;
        left -= n;
    }
    seen = nout;
    cr_expect_eq(tcp_rcv_window(t), 100u);
    peer(t, seq, US_ISN + 1, TCP_ACK, 8000, pattern, 300, 2);
    struct tcp_seg *a = next_out();
    expect_seg(a, TCP_ACK, US_ISN + 1, seq + 100, 0);
    cr_expect_eq(a->wnd, 0);
    cr_expect_eq(t->rcvbuf.len, (uint32_t)TCP_BUF_SIZE);
}

Test(tcp_data, our_zero_window_then_window_update)
{
    fill_pattern();
    struct tcb *t = passive_open(8000, 0);
    uint32_t seq = PEER_ISN + 1;
    for (uint32_t left = TCP_BUF_SIZE; left > 0;) {
        uint32_t n = left > 1000 ? 1000 : left;
        peer(t, seq, US_ISN + 1, TCP_ACK, 8000, pattern, n, 1);
        seq += n;
        left -= n;
    }
    seen = nout;
    /* The peer's zero-window probe: data not taken, but answered. */
    peer(t, seq, US_ISN + 1, TCP_ACK, 8000, "p", 1, 2);
    struct tcp_seg *a = next_out();
    expect_seg(a, TCP_ACK, US_ISN + 1, seq, 0);
    cr_expect_eq(a->wnd, 0);
    /* Reading a little does not announce a silly window... */
    uint8_t buf[TCP_BUF_SIZE];
    cr_expect_eq(tcp_recv(t, buf, 10, 3), 10);
    expect_silence();
    /* ...reading a lot does. */
    cr_expect_eq(tcp_recv(t, buf + 10, 2000, 3), 2000);
    a = next_out();
    expect_seg(a, TCP_ACK, US_ISN + 1, seq, 0);
    cr_expect_eq(a->wnd, 2010);
    cr_expect_arr_eq(buf, pattern, 1000);
}

Test(tcp_data, peers_zero_window_is_probed_with_back_off)
{
    struct tcb *t = active_open(0, 0);
    cr_expect_eq(tcp_send(t, "0123456789", 10, 0), 10);
    expect_silence();
    cr_expect(t->rexmt_armed, "no probe timer for a closed window");
    uint32_t now = 0, rto = TCP_RTO_INITIAL_MS;
    for (int i = 0; i < TCP_MAX_RETRIES + 3; i++) {   /* probes never give up */
        tcp_timer_tick(now + rto - 1);
        expect_silence();
        now += rto;
        tcp_timer_tick(now);
        struct tcp_seg *p = next_out();
        expect_seg(p, TCP_ACK, US_ISN + 1, PEER_ISN + 1, 1);
        cr_expect_eq(p->data[0], '0');
        peer(t, PEER_ISN + 1, US_ISN + 1, TCP_ACK, 0, NULL, 0, now);  /* still closed */
        expect_silence();
        rto = rto * 2 > TCP_RTO_MAX_MS ? TCP_RTO_MAX_MS : rto * 2;
    }
    cr_expect_eq(t->state, TCP_ESTABLISHED);
    /* The window opens: everything goes. */
    peer(t, PEER_ISN + 1, US_ISN + 1, TCP_ACK, 4000, NULL, 0, now);
    struct tcp_seg *d = next_out();
    expect_seg(d, TCP_ACK | TCP_PSH, US_ISN + 1, PEER_ISN + 1, 10);
    cr_expect_arr_eq(d->data, "0123456789", 10);
}

Test(tcp_data, loss_retransmit_and_exponential_back_off)
{
    struct tcb *t = active_open(8000, 0);
    cr_expect_eq(tcp_send(t, "abc", 3, 100), 3);
    expect_seg(next_out(), TCP_ACK | TCP_PSH, US_ISN + 1, PEER_ISN + 1, 3);
    uint32_t due = 100 + TCP_RTO_INITIAL_MS, rto = TCP_RTO_INITIAL_MS;
    for (int i = 0; i < 3; i++) {
        tcp_timer_tick(due - 1);
        expect_silence();
        tcp_timer_tick(due);
        struct tcp_seg *r = next_out();
        expect_seg(r, TCP_ACK | TCP_PSH, US_ISN + 1, PEER_ISN + 1, 3);
        cr_expect_arr_eq(r->data, "abc", 3);
        rto *= 2;
        due += rto;
    }
    cr_expect_eq(tcp_stats.retransmits, 3u);
    /* The ACK ends the back-off: the next loss waits the initial RTO again. */
    peer(t, PEER_ISN + 1, US_ISN + 4, TCP_ACK, 8000, NULL, 0, 9000);
    cr_expect(!t->rexmt_armed);
    cr_expect_eq(tcp_send(t, "d", 1, 9000), 1);
    next_out();
    tcp_timer_tick(9000 + TCP_RTO_INITIAL_MS);
    expect_seg(next_out(), TCP_ACK | TCP_PSH, US_ISN + 4, PEER_ISN + 1, 1);
}

Test(tcp_data, retransmission_goes_back_to_the_first_unacknowledged_byte)
{
    fill_pattern();
    struct tcb *t = active_open(60000, 0);
    tcp_send(t, pattern, 3000, 0);
    seen = nout;
    /* The first segment arrived, the second was lost. */
    peer(t, PEER_ISN + 1, US_ISN + 1001, TCP_ACK, 60000, NULL, 0, 10);
    tcp_timer_tick(10 + TCP_RTO_INITIAL_MS);
    struct tcp_seg *r = next_out();
    expect_seg(r, TCP_ACK, US_ISN + 1001, PEER_ISN + 1, 1000);
    cr_expect_arr_eq(r->data, pattern + 1000, 1000);
    expect_seg(next_out(), TCP_ACK | TCP_PSH, US_ISN + 2001, PEER_ISN + 1, 1000);
    /* An ACK for everything (the third had arrived after all). */
    peer(t, PEER_ISN + 1, US_ISN + 3001, TCP_ACK, 60000, NULL, 0, 1100);
    cr_expect_eq(t->sndbuf.len, 0u);
    cr_expect_eq(t->snd_nxt, US_ISN + 3001);
}

Test(tcp_data, established_connection_times_out)
{
    struct tcb *t = active_open(8000, 0);
    tcp_send(t, "x", 1, 0);
    uint32_t now = 0, rto = TCP_RTO_INITIAL_MS;
    for (int i = 0; i <= TCP_MAX_RETRIES; i++) {
        now += rto;
        tcp_timer_tick(now);
        rto = rto * 2 > TCP_RTO_MAX_MS ? TCP_RTO_MAX_MS : rto * 2;
    }
    cr_expect_eq(t->state, TCP_CLOSED);
    cr_expect_eq(tcp_recv(t, (char[1]){0}, 1, now), -ETIMEDOUT);
    cr_expect_eq(tcp_stats.timeouts, 1u);
}

Test(tcp_data, ack_of_unsent_data_is_answered_and_ignored)
{
    struct tcb *t = active_open(8000, 0);
    tcp_send(t, "abc", 3, 0);
    next_out();
    peer(t, PEER_ISN + 1, US_ISN + 500, TCP_ACK, 8000, NULL, 0, 1);
    expect_seg(next_out(), TCP_ACK, US_ISN + 4, PEER_ISN + 1, 0);
    cr_expect_eq(t->snd_una, US_ISN + 1);
    cr_expect_eq(t->sndbuf.len, 3u);
}

/* Both ISNs just below 2^32: data and ACKs cross the wrap both ways. */
Test(tcp_data, sequence_numbers_wrap_at_2_32)
{
    fill_pattern();
    next_isn = 0xfffffc00u;
    const uint32_t piss = 0xfffffff0u;
    struct tcb *l = tcp_listen(0, 80, 4, NULL);
    peer_send_full(PEER_PORT, 80, piss, 0, TCP_SYN, 60000, NULL, 0, 0);
    next_out();
    peer_send_full(PEER_PORT, 80, piss + 1, next_isn + 1, TCP_ACK, 60000, NULL, 0, 0);
    struct tcb *t = tcp_accept(l);
    cr_assert_not_null(t);

    /* Peer to us: 100 bytes from 0xfffffff1 to 0x55. */
    peer(t, piss + 1, next_isn + 1, TCP_ACK, 60000, pattern, 100, 1);
    expect_seg(next_out(), TCP_ACK, next_isn + 1, 0x55u, 0);
    /* An old duplicate from before the wrap is out of window... */
    peer(t, piss + 1, next_isn + 1, TCP_ACK, 60000, pattern, 10, 1);
    expect_seg(next_out(), TCP_ACK, next_isn + 1, 0x55u, 0);
    cr_expect_eq(netstat.drops[NET_DROP_OUT_OF_WINDOW], 1u);
    /* ...and data after it, numbered past the wrap, is in order. */
    peer(t, 0x55u, next_isn + 1, TCP_ACK, 60000, pattern + 100, 50, 1);
    expect_seg(next_out(), TCP_ACK, next_isn + 1, 0x87u, 0);
    uint8_t buf[200];
    cr_expect_eq(tcp_recv(t, buf, sizeof buf, 2), 150);
    cr_expect_arr_eq(buf, pattern, 150);

    /* Us to peer: 3000 bytes from 0xfffffc01 across 0. */
    cr_expect_eq(tcp_send(t, pattern, 3000, 3), 3000);
    expect_seg(next_out(), TCP_ACK, 0xfffffc01u, 0x87u, 1000);
    expect_seg(next_out(), TCP_ACK, 0xffffffe9u, 0x87u, 1000);
    expect_seg(next_out(), TCP_ACK | TCP_PSH, 0x000003d1u, 0x87u, 1000);
    peer(t, 0x87u, 0x000003d1u, TCP_ACK, 60000, NULL, 0, 4);
    cr_expect_eq(t->sndbuf.len, 1000u, "an ACK past the wrap acknowledges 2000 bytes");
    peer(t, 0x87u, 0xfffffd00u, TCP_ACK, 60000, NULL, 0, 4);   /* old: ignored */
    cr_expect_eq(t->sndbuf.len, 1000u);
    peer(t, 0x87u, 0x000007b9u, TCP_ACK, 60000, NULL, 0, 5);
    cr_expect_eq(t->sndbuf.len, 0u);
    cr_expect(!t->rexmt_armed);
}
#endif /* LAB >= 6 */
