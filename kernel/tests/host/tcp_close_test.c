/* tcp_close_test.c -- host tests for closing (RFC 9293 3.6) and resets
 * (3.5.2, RFC 5961): active and passive close, simultaneous close,
 * TIME_WAIT and its 2*MSL expiry, a lost FIN, RST in each synchronized
 * state, and close with unread data. */
#if LAB >= 6
#include "tcp_test_util.h"

TestSuite(tcp_close, .init = tcp_setup, .timeout = 120);

#define TW_MS (2 * TCP_MSL_MS)

static bool slot_free(const struct tcb *t)
{
    return !t->in_use;
}

Test(tcp_close, active_close_then_time_wait_expires)
{
    struct tcb *t = passive_open(8000, 0);
    tcp_close(t, 10);
    expect_seg(next_out(), TCP_FIN | TCP_ACK, US_ISN + 1, PEER_ISN + 1, 0);
    cr_expect_eq(t->state, TCP_FIN_WAIT_1);
    peer(t, PEER_ISN + 1, US_ISN + 2, TCP_ACK, 8000, NULL, 0, 20);
    cr_expect_eq(t->state, TCP_FIN_WAIT_2);
    expect_silence();
    /* The peer sends its last data, then its FIN. */
    peer(t, PEER_ISN + 1, US_ISN + 2, TCP_ACK, 8000, "bye", 3, 30);
    expect_seg(next_out(), TCP_ACK, US_ISN + 2, PEER_ISN + 4, 0);
    peer(t, PEER_ISN + 4, US_ISN + 2, TCP_FIN | TCP_ACK, 8000, NULL, 0, 40);
    expect_seg(next_out(), TCP_ACK, US_ISN + 2, PEER_ISN + 5, 0);
    cr_expect_eq(t->state, TCP_TIME_WAIT);
    /* Our ACK was lost: the FIN again is ACKed again. */
    peer(t, PEER_ISN + 4, US_ISN + 2, TCP_FIN | TCP_ACK, 8000, NULL, 0, 1000);
    expect_seg(next_out(), TCP_ACK, US_ISN + 2, PEER_ISN + 5, 0);
    /* 2*MSL from that last FIN. */
    tcp_timer_tick(1000 + TW_MS - 1);
    cr_expect_eq(t->state, TCP_TIME_WAIT);
    cr_expect(!slot_free(t));
    tcp_timer_tick(1000 + TW_MS);
    cr_expect(slot_free(t), "TIME_WAIT did not end after 2*MSL");
    expect_silence();
}

Test(tcp_close, time_wait_blocks_the_four_tuple_then_frees_it)
{
    struct tcb *t = active_open(8000, 0);
    uint16_t port = t->local_port;
    tcp_close(t, 0);
    next_out();
    peer(t, PEER_ISN + 1, US_ISN + 2, TCP_FIN | TCP_ACK, 8000, NULL, 0, 1);
    next_out();
    cr_expect_eq(t->state, TCP_TIME_WAIT);
    /* A stray segment for the old connection meets TIME_WAIT, not a RST. */
    peer_send_full(80, port, PEER_ISN + 2, US_ISN + 2, TCP_ACK, 8000, NULL, 0, 2);
    cr_expect_eq(netstat.drops[NET_DROP_NO_PORT], 0u);
    tcp_timer_tick(1 + TW_MS);
    cr_expect(slot_free(t));
    /* Now the four-tuple is closed: the same segment gets a RST. */
    peer_send_full(80, port, PEER_ISN + 2, US_ISN + 2, TCP_ACK, 8000, NULL, 0, 2);
    seen = nout - 1;
    expect_seg(next_out(), TCP_RST, US_ISN + 2, 0, 0);
}

/* A server closing first fills the pool with TIME_WAIT blocks: the next
 * connection reclaims the oldest one instead of failing (tcp_tcb.c). */
Test(tcp_close, full_pool_reclaims_the_oldest_time_wait)
{
    struct tcb *tw[TCP_MAX_TCB];
    for (int i = 0; i < TCP_MAX_TCB; i++) {
        tw[i] = active_open(8000, i);
        tcp_close(tw[i], i);
        next_out();
        peer(tw[i], PEER_ISN + 1, US_ISN + 2, TCP_FIN | TCP_ACK, 8000, NULL, 0, i);
        next_out();
        cr_assert_eq(tw[i]->state, TCP_TIME_WAIT);
        nout = seen = 0;                /* room in the capture for the next one */
    }
    struct tcb *t = tcp_connect(US_IP, PEER_IP, 80, 100, NULL);
    cr_assert_not_null(t, "every slot in TIME_WAIT: a new connection must reclaim one");
    cr_expect_eq(t, tw[0], "the TIME_WAIT block nearest its end is the one reclaimed");
    for (int i = 1; i < TCP_MAX_TCB; i++)
        cr_expect_eq(tw[i]->state, TCP_TIME_WAIT);
}

/* A TIME_WAIT block its user still holds is never taken from it. */
Test(tcp_close, time_wait_still_held_is_not_reclaimed)
{
    struct tcb *tw[TCP_MAX_TCB];
    for (int i = 0; i < TCP_MAX_TCB; i++) {
        tw[i] = active_open(8000, i);
        cr_assert_eq(tcp_shutdown(tw[i], i), 0);
        next_out();
        peer(tw[i], PEER_ISN + 1, US_ISN + 2, TCP_FIN | TCP_ACK, 8000, NULL, 0, i);
        next_out();
        cr_assert_eq(tw[i]->state, TCP_TIME_WAIT);
        nout = seen = 0;                /* room in the capture for the next one */
    }
    cr_expect_null(tcp_connect(US_IP, PEER_IP, 80, 100, NULL));
}

Test(tcp_close, passive_close)
{
    struct tcb *t = active_open(8000, 0);
    peer(t, PEER_ISN + 1, US_ISN + 1, TCP_FIN | TCP_ACK, 8000, NULL, 0, 5);
    expect_seg(next_out(), TCP_ACK, US_ISN + 1, PEER_ISN + 2, 0);
    cr_expect_eq(t->state, TCP_CLOSE_WAIT);
    cr_expect(tcp_poll(t) & TCP_EV_READABLE);
    cr_expect_eq(tcp_recv(t, (char[4]){0}, 4, 5), 0, "end of data after the peer's FIN");
    /* We may still send in CLOSE_WAIT. */
    cr_expect_eq(tcp_send(t, "last", 4, 6), 4);
    expect_seg(next_out(), TCP_ACK | TCP_PSH, US_ISN + 1, PEER_ISN + 2, 4);
    peer(t, PEER_ISN + 2, US_ISN + 5, TCP_ACK, 8000, NULL, 0, 6);
    tcp_close(t, 7);
    expect_seg(next_out(), TCP_FIN | TCP_ACK, US_ISN + 5, PEER_ISN + 2, 0);
    cr_expect_eq(t->state, TCP_LAST_ACK);
    /* The FIN is lost once. */
    tcp_timer_tick(7 + TCP_RTO_INITIAL_MS);
    expect_seg(next_out(), TCP_FIN | TCP_ACK, US_ISN + 5, PEER_ISN + 2, 0);
    peer(t, PEER_ISN + 2, US_ISN + 6, TCP_ACK, 8000, NULL, 0, 2000);
    cr_expect(slot_free(t), "LAST_ACK: the ACK of our FIN ends it");
    expect_silence();
}

Test(tcp_close, fin_waits_for_queued_data)
{
    struct tcb *t = active_open(1000, 0);
    static uint8_t data[3000];
    cr_expect_eq(tcp_send(t, data, 3000, 0), 3000);
    next_out();
    tcp_close(t, 1);
    expect_silence();   /* 2000 bytes still wait for the window */
    peer(t, PEER_ISN + 1, US_ISN + 1001, TCP_ACK, 1000, NULL, 0, 2);
    expect_seg(next_out(), TCP_ACK, US_ISN + 1001, PEER_ISN + 1, 1000);
    peer(t, PEER_ISN + 1, US_ISN + 2001, TCP_ACK, 1000, NULL, 0, 3);
    expect_seg(next_out(), TCP_ACK | TCP_PSH, US_ISN + 2001, PEER_ISN + 1, 1000);
    expect_seg(next_out(), TCP_FIN | TCP_ACK, US_ISN + 3001, PEER_ISN + 1, 0);
    peer(t, PEER_ISN + 1, US_ISN + 3002, TCP_ACK, 1000, NULL, 0, 4);
    cr_expect_eq(t->state, TCP_FIN_WAIT_2);
}

Test(tcp_close, simultaneous_close)
{
    struct tcb *t = active_open(8000, 0);
    tcp_close(t, 1);
    expect_seg(next_out(), TCP_FIN | TCP_ACK, US_ISN + 1, PEER_ISN + 1, 0);
    /* The peer's FIN crossed ours: it does not acknowledge our FIN yet. */
    peer(t, PEER_ISN + 1, US_ISN + 1, TCP_FIN | TCP_ACK, 8000, NULL, 0, 2);
    expect_seg(next_out(), TCP_ACK, US_ISN + 2, PEER_ISN + 2, 0);
    cr_expect_eq(t->state, TCP_CLOSING);
    peer(t, PEER_ISN + 2, US_ISN + 2, TCP_ACK, 8000, NULL, 0, 3);
    cr_expect_eq(t->state, TCP_TIME_WAIT);
    tcp_timer_tick(3 + TW_MS - 1);
    cr_expect_eq(t->state, TCP_TIME_WAIT, "TIME_WAIT ended before 2*MSL");
    tcp_timer_tick(3 + TW_MS);
    cr_expect(slot_free(t));
}

Test(tcp_close, fin_and_ack_of_our_fin_together)
{
    struct tcb *t = active_open(8000, 0);
    tcp_close(t, 1);
    next_out();
    peer(t, PEER_ISN + 1, US_ISN + 2, TCP_FIN | TCP_ACK, 8000, NULL, 0, 2);
    expect_seg(next_out(), TCP_ACK, US_ISN + 2, PEER_ISN + 2, 0);
    cr_expect_eq(t->state, TCP_TIME_WAIT, "FIN_WAIT_1 + FIN + ACK of ours: straight to TIME_WAIT");
}

Test(tcp_close, shutdown_is_a_half_close)
{
    struct tcb *t = passive_open(8000, 0);
    cr_expect_eq(tcp_shutdown(t, 1), 0);
    expect_seg(next_out(), TCP_FIN | TCP_ACK, US_ISN + 1, PEER_ISN + 1, 0);
    cr_expect_eq(tcp_send(t, "x", 1, 1), -EPIPE);
    peer(t, PEER_ISN + 1, US_ISN + 2, TCP_ACK, 8000, "more", 4, 2);
    next_out();
    char buf[8];
    cr_expect_eq(tcp_recv(t, buf, sizeof buf, 3), 4, "reading goes on after shutdown");
}

Test(tcp_close, close_with_unread_data_resets)
{
    struct tcb *t = passive_open(8000, 0);
    peer(t, PEER_ISN + 1, US_ISN + 1, TCP_ACK, 8000, "unread", 6, 1);
    next_out();
    tcp_close(t, 2);
    expect_seg(next_out(), TCP_RST | TCP_ACK, US_ISN + 1, PEER_ISN + 7, 0);
    cr_expect(slot_free(t));
}

Test(tcp_close, abort_sends_rst)
{
    struct tcb *t = active_open(8000, 0);
    tcp_abort(t, 1);
    expect_seg(next_out(), TCP_RST | TCP_ACK, US_ISN + 1, PEER_ISN + 1, 0);
    cr_expect(slot_free(t));
}

Test(tcp_close, rst_in_established)
{
    struct tcb *t = passive_open(8000, 0);
    tcp_send(t, "pending", 7, 1);
    next_out();
    /* Outside the window: dropped and counted, answered with an ACK. */
    peer(t, PEER_ISN + 50000, 0, TCP_RST, 0, NULL, 0, 2);
    cr_expect_eq(netstat.drops[NET_DROP_OUT_OF_WINDOW], 1u);
    expect_silence();           /* (a RST is never answered when out of window) */
    /* In the window but not exact: a challenge ACK, nothing else. */
    peer(t, PEER_ISN + 5, 0, TCP_RST, 0, NULL, 0, 3);
    expect_seg(next_out(), TCP_ACK, US_ISN + 8, PEER_ISN + 1, 0);
    cr_expect_eq(t->state, TCP_ESTABLISHED);
    /* Exact: the connection is reset. */
    peer(t, PEER_ISN + 1, 0, TCP_RST, 0, NULL, 0, 4);
    expect_silence();
    cr_expect_eq(t->state, TCP_CLOSED);
    cr_expect_eq(t->error, ECONNRESET);
    cr_expect(tcp_poll(t) & TCP_EV_ERROR);
    cr_expect_eq(tcp_recv(t, (char[4]){0}, 4, 5), -ECONNRESET);
    cr_expect_eq(tcp_send(t, "x", 1, 5), -ECONNRESET);
    tcp_timer_tick(100000);
    expect_silence();           /* the pending data is not retransmitted */
    tcp_close(t, 6);
    cr_expect(slot_free(t));
}

Test(tcp_close, syn_in_established_gets_a_challenge_ack)
{
    struct tcb *t = passive_open(8000, 0);
    peer(t, PEER_ISN + 3, 0, TCP_SYN, 8000, NULL, 0, 1);
    expect_seg(next_out(), TCP_ACK, US_ISN + 1, PEER_ISN + 1, 0);
    cr_expect_eq(t->state, TCP_ESTABLISHED);
}

/* RST at RCV.NXT in each state after ESTABLISHED. */
static void rst_in(enum tcp_state want, int how)
{
    struct tcb *t = active_open(8000, 0);
    uint32_t rseq = PEER_ISN + 1;
    if (how == 1 || how == 2 || how == 3 || how == 6)
        tcp_close(t, 1);                            /* FIN_WAIT_1 */
    if (how == 2)
        peer(t, PEER_ISN + 1, US_ISN + 2, TCP_ACK, 8000, NULL, 0, 2);  /* FIN_WAIT_2 */
    if (how == 3) {
        peer(t, PEER_ISN + 1, US_ISN + 1, TCP_FIN | TCP_ACK, 8000, NULL, 0, 2); /* CLOSING */
        rseq++;
    }
    if (how == 4) {                                 /* CLOSE_WAIT */
        peer(t, PEER_ISN + 1, US_ISN + 1, TCP_FIN | TCP_ACK, 8000, NULL, 0, 2);
        rseq++;
    }
    if (how == 5) {                                 /* LAST_ACK */
        peer(t, PEER_ISN + 1, US_ISN + 1, TCP_FIN | TCP_ACK, 8000, NULL, 0, 2);
        tcp_close(t, 3);
        rseq++;
    }
    if (how == 6) {                                 /* TIME_WAIT */
        peer(t, PEER_ISN + 1, US_ISN + 2, TCP_FIN | TCP_ACK, 8000, NULL, 0, 2);
        rseq++;
    }
    cr_assert_eq(t->state, want, "setting up %s: in %s", tcp_state_name(want),
                 tcp_state_name(t->state));
    bool released = how != 4;
    seen = nout;
    peer(t, rseq, 0, TCP_RST, 0, NULL, 0, 10);
    expect_silence();
    if (released) {
        cr_expect(slot_free(t), "RST in %s: the closed TCB was not freed", tcp_state_name(want));
    } else {
        cr_expect_eq(t->state, TCP_CLOSED);
        cr_expect_eq(t->error, ECONNRESET);
    }
    tcp_timer_tick(1000000);
    expect_silence();
}

Test(tcp_close, rst_in_fin_wait_1) { rst_in(TCP_FIN_WAIT_1, 1); }
Test(tcp_close, rst_in_fin_wait_2) { rst_in(TCP_FIN_WAIT_2, 2); }
Test(tcp_close, rst_in_closing)    { rst_in(TCP_CLOSING, 3); }
Test(tcp_close, rst_in_close_wait) { rst_in(TCP_CLOSE_WAIT, 4); }
Test(tcp_close, rst_in_last_ack)   { rst_in(TCP_LAST_ACK, 5); }
Test(tcp_close, rst_in_time_wait)  { rst_in(TCP_TIME_WAIT, 6); }

Test(tcp_close, unaccepted_child_reset_by_peer_is_freed)
{
    struct tcb *l = tcp_listen(0, 80, 4, NULL);
    peer_send_full(PEER_PORT, 80, PEER_ISN, 0, TCP_SYN, 8000, NULL, 0, 0);
    peer_send_full(PEER_PORT, 80, PEER_ISN + 1, US_ISN + 1, TCP_ACK, 8000, NULL, 0, 1);
    cr_expect_eq(tcb_children(l), 1u);
    peer_send_full(PEER_PORT, 80, PEER_ISN + 1, 0, TCP_RST, 0, NULL, 0, 2);
    cr_expect_eq(tcb_children(l), 0u);
    cr_expect_null(tcp_accept(l));
}

Test(tcp_close, data_and_fin_before_accept_are_kept)
{
    struct tcb *l = tcp_listen(0, 80, 4, NULL);
    peer_send_full(PEER_PORT, 80, PEER_ISN, 0, TCP_SYN, 8000, NULL, 0, 0);
    peer_send_full(PEER_PORT, 80, PEER_ISN + 1, US_ISN + 1, TCP_ACK | TCP_FIN, 8000, "GET /", 5,
                   1);
    struct tcb *t = tcp_accept(l);
    cr_assert_not_null(t);
    cr_expect_eq(t->state, TCP_CLOSE_WAIT);
    char buf[8] = { 0 };
    cr_expect_eq(tcp_recv(t, buf, sizeof buf, 2), 5);
    cr_expect_arr_eq(buf, "GET /", 5);
    cr_expect_eq(tcp_recv(t, buf, sizeof buf, 2), 0);
}
#endif /* LAB >= 6 */

#if LAB >= 6
Test(tcp_close, lost_data_and_fin_are_both_sent_again)
{
    struct tcb *t = active_open(8000, 0);
    tcp_send(t, "tail", 4, 0);
    tcp_close(t, 0);
    expect_seg(next_out(), TCP_ACK | TCP_PSH, US_ISN + 1, PEER_ISN + 1, 4);
    expect_seg(next_out(), TCP_FIN | TCP_ACK, US_ISN + 5, PEER_ISN + 1, 0);
    tcp_timer_tick(TCP_RTO_INITIAL_MS);
    expect_seg(next_out(), TCP_ACK | TCP_PSH, US_ISN + 1, PEER_ISN + 1, 4);
    expect_seg(next_out(), TCP_FIN | TCP_ACK, US_ISN + 5, PEER_ISN + 1, 0);
    /* The data arrived the first time: an ACK of data and FIN ends FIN_WAIT_1. */
    peer(t, PEER_ISN + 1, US_ISN + 6, TCP_ACK, 8000, NULL, 0, 1100);
    cr_expect_eq(t->state, TCP_FIN_WAIT_2);
    cr_expect(!t->rexmt_armed);
}
#endif /* LAB >= 6 */
