/* tcp_handshake_test.c -- host tests for opening connections
 * (RFC 9293 3.5): passive and active three-way handshakes, simultaneous
 * open, a lost SYN-ACK, RST in SYN_SENT and SYN_RECEIVED, the listen
 * backlog, and accept order. */
#if LAB >= 6
#include "tcp_test_util.h"

TestSuite(tcp_handshake, .init = tcp_setup, .timeout = 120);

static int notified;
static void count_notify(void *ctx, struct tcb *t)
{
    (void)ctx;
    (void)t;
    notified++;
}

Test(tcp_handshake, passive_open)
{
    struct tcb *l = tcp_listen(0, 80, 4, NULL);
    cr_assert_not_null(l);
    tcp_set_notify(l, count_notify, NULL);
    peer_send_full(PEER_PORT, 80, PEER_ISN, 0, TCP_SYN, 8000, NULL, 0, 0);
    struct tcp_seg *synack = next_out();
    expect_seg(synack, TCP_SYN | TCP_ACK, US_ISN, PEER_ISN + 1, 0);
    cr_expect_eq(synack->mss, TCP_MSS, "our SYN-ACK announces our MSS");
    cr_expect_eq(synack->wnd, TCP_BUF_SIZE);
    cr_expect_null(tcp_accept(l), "nothing to accept before the handshake ends");
    cr_expect_eq(tcp_poll(l), 0u);

    peer_send_full(PEER_PORT, 80, PEER_ISN + 1, US_ISN + 1, TCP_ACK, 8000, NULL, 0, 5);
    expect_silence();
    cr_expect_eq(tcp_poll(l), TCP_EV_ACCEPT);
    cr_expect_geq(notified, 1, "the listener's waiters were not woken");
    struct tcb *t = tcp_accept(l);
    cr_assert_not_null(t);
    cr_expect_eq(t->state, TCP_ESTABLISHED);
    cr_expect_eq(t->snd_mss, 1000, "the peer's MSS option is used");
    cr_expect_eq(t->snd_wnd, 8000u);
    cr_expect(tcp_poll(t) & TCP_EV_CONNECTED);
    cr_expect(tcp_poll(t) & TCP_EV_WRITABLE);
    cr_expect_null(tcp_accept(l), "accepted twice");
}

Test(tcp_handshake, active_open)
{
    struct tcb *t = tcp_connect(US_IP, PEER_IP, 80, 0, NULL);
    cr_assert_not_null(t);
    tcp_set_notify(t, count_notify, NULL);
    cr_expect_geq(t->local_port, TCP_EPHEMERAL_MIN);
    struct tcp_seg *syn = next_out();
    expect_seg(syn, TCP_SYN, US_ISN, 0, 0);
    cr_expect_eq(syn->mss, TCP_MSS);
    cr_expect_eq(syn->dport, 80);
    cr_expect_eq(tcp_poll(t) & TCP_EV_CONNECTED, 0u);
    cr_expect_eq(tcp_recv(t, (char[4]){0}, 4, 0), -EAGAIN);

    peer(t, PEER_ISN, US_ISN + 1, TCP_SYN | TCP_ACK, 3000, NULL, 0, 10);
    expect_seg(next_out(), TCP_ACK, US_ISN + 1, PEER_ISN + 1, 0);
    cr_expect_eq(t->state, TCP_ESTABLISHED);
    cr_expect(tcp_poll(t) & TCP_EV_CONNECTED);
    cr_expect_geq(notified, 1);
    cr_expect_eq(t->rexmt_armed, false, "the SYN is acknowledged: no timer");
    expect_silence();
}

Test(tcp_handshake, data_written_during_the_handshake_waits_for_it)
{
    struct tcb *t = tcp_connect(US_IP, PEER_IP, 80, 0, NULL);
    next_out();
    cr_expect_eq(tcp_send(t, "early", 5, 0), 5);
    expect_silence();
    peer(t, PEER_ISN, US_ISN + 1, TCP_SYN | TCP_ACK, 3000, NULL, 0, 10);
    expect_seg(next_out(), TCP_ACK, US_ISN + 1, PEER_ISN + 1, 0);
    struct tcp_seg *d = next_out();
    expect_seg(d, TCP_ACK | TCP_PSH, US_ISN + 1, PEER_ISN + 1, 5);
    cr_expect_arr_eq(d->data, "early", 5);
}

Test(tcp_handshake, lost_syn_is_sent_again_then_connect_times_out)
{
    struct tcb *t = tcp_connect(US_IP, PEER_IP, 80, 0, NULL);
    next_out();
    uint32_t now = 0, rto = TCP_RTO_INITIAL_MS;
    for (int i = 0; i < TCP_MAX_RETRIES; i++) {
        tcp_timer_tick(now + rto - 1);
        expect_silence();
        now += rto;
        tcp_timer_tick(now);
        expect_seg(next_out(), TCP_SYN, US_ISN, 0, 0);
        rto = rto * 2 > TCP_RTO_MAX_MS ? TCP_RTO_MAX_MS : rto * 2;
    }
    tcp_timer_tick(now + rto);
    expect_silence();
    cr_expect_eq(t->state, TCP_CLOSED);
    cr_expect_eq(t->error, ETIMEDOUT);
    cr_expect(tcp_poll(t) & TCP_EV_ERROR);
    tcp_close(t, now);
    cr_expect_null(tcp_tcb_at(0), "the TCB was not given back");
}

Test(tcp_handshake, lost_synack_is_sent_again)
{
    struct tcb *l = tcp_listen(0, 80, 4, NULL);
    peer_send_full(PEER_PORT, 80, PEER_ISN, 0, TCP_SYN, 8000, NULL, 0, 0);
    next_out();
    tcp_timer_tick(TCP_RTO_INITIAL_MS);
    expect_seg(next_out(), TCP_SYN | TCP_ACK, US_ISN, PEER_ISN + 1, 0);
    /* The peer's own SYN, sent again, gets a (challenge) ACK, not a second child. */
    peer_send_full(PEER_PORT, 80, PEER_ISN, 0, TCP_SYN, 8000, NULL, 0, 1100);
    struct tcp_seg *a = next_out();
    cr_expect(a->flags & TCP_ACK);
    cr_expect_eq(a->ack, PEER_ISN + 1);
    cr_expect_eq(tcb_children(l), 1u);
    peer_send_full(PEER_PORT, 80, PEER_ISN + 1, US_ISN + 1, TCP_ACK, 8000, NULL, 0, 1200);
    cr_expect_not_null(tcp_accept(l));
}

Test(tcp_handshake, simultaneous_open)
{
    struct tcb *t = tcp_connect(US_IP, PEER_IP, 80, 0, NULL);
    next_out();
    /* The peer's SYN crosses ours (RFC 9293 figure 8). */
    peer(t, PEER_ISN, 0, TCP_SYN, 3000, NULL, 0, 1);
    expect_seg(next_out(), TCP_SYN | TCP_ACK, US_ISN, PEER_ISN + 1, 0);
    cr_expect_eq(t->state, TCP_SYN_RECEIVED);
    peer(t, PEER_ISN + 1, US_ISN + 1, TCP_ACK, 3000, NULL, 0, 2);
    cr_expect_eq(t->state, TCP_ESTABLISHED);
    cr_expect(tcp_poll(t) & TCP_EV_CONNECTED);
}

Test(tcp_handshake, rst_in_syn_sent_is_connection_refused)
{
    struct tcb *t = tcp_connect(US_IP, PEER_IP, 80, 0, NULL);
    next_out();
    /* A RST without an ACK of our SYN could be anybody's: ignored. */
    peer(t, 0, 0, TCP_RST, 0, NULL, 0, 1);
    cr_expect_eq(t->state, TCP_SYN_SENT);
    /* An ACK of something else: answered with a RST, connection unharmed. */
    peer(t, 0, US_ISN + 7, TCP_ACK, 0, NULL, 0, 1);
    expect_seg(next_out(), TCP_RST, US_ISN + 7, 0, 0);
    cr_expect_eq(t->state, TCP_SYN_SENT);
    peer(t, 0, US_ISN + 1, TCP_RST | TCP_ACK, 0, NULL, 0, 2);
    expect_silence();
    cr_expect_eq(t->state, TCP_CLOSED);
    cr_expect_eq(t->error, ECONNREFUSED);
    cr_expect_eq(tcp_recv(t, (char[4]){0}, 4, 3), -ECONNREFUSED);
    cr_expect_eq(tcp_send(t, "x", 1, 3), -ECONNREFUSED);
}

Test(tcp_handshake, rst_in_syn_received_drops_the_child_keeps_the_listener)
{
    struct tcb *l = tcp_listen(0, 80, 4, NULL);
    peer_send_full(PEER_PORT, 80, PEER_ISN, 0, TCP_SYN, 8000, NULL, 0, 0);
    next_out();
    cr_assert_eq(tcb_children(l), 1u);
    /* In the window but not at RCV.NXT: a challenge ACK (RFC 5961 3.2). */
    peer_send_full(PEER_PORT, 80, PEER_ISN + 10, 0, TCP_RST, 0, NULL, 0, 1);
    expect_seg(next_out(), TCP_ACK | 0, US_ISN + 1, PEER_ISN + 1, 0);
    cr_expect_eq(tcb_children(l), 1u);
    /* Exactly at RCV.NXT: the child goes. */
    peer_send_full(PEER_PORT, 80, PEER_ISN + 1, 0, TCP_RST, 0, NULL, 0, 2);
    expect_silence();
    cr_expect_eq(tcb_children(l), 0u);
    cr_expect_eq(l->state, TCP_LISTEN);
    cr_expect_null(tcp_accept(l));
    /* No timer left behind: nothing more is ever sent. */
    tcp_timer_tick(100000);
    expect_silence();
    /* And the listener still works. */
    peer_send_full(PEER_PORT + 1, 80, PEER_ISN, 0, TCP_SYN, 8000, NULL, 0, 3);
    expect_seg(next_out(), TCP_SYN | TCP_ACK, US_ISN, PEER_ISN + 1, 0);
}

Test(tcp_handshake, bad_ack_in_syn_received_gets_a_reset)
{
    struct tcb *l = tcp_listen(0, 80, 4, NULL);
    peer_send_full(PEER_PORT, 80, PEER_ISN, 0, TCP_SYN, 8000, NULL, 0, 0);
    next_out();
    peer_send_full(PEER_PORT, 80, PEER_ISN + 1, US_ISN + 99, TCP_ACK, 8000, NULL, 0, 1);
    expect_seg(next_out(), TCP_RST, US_ISN + 99, 0, 0);
    cr_expect_null(tcp_accept(l));
}

Test(tcp_handshake, listen_backlog_full_drops_syns)
{
    struct tcb *l = tcp_listen(0, 80, 2, NULL);
    for (uint16_t i = 0; i < 3; i++)
        peer_send_full(PEER_PORT + i, 80, PEER_ISN, 0, TCP_SYN, 8000, NULL, 0, 0);
    expect_seg(next_out(), TCP_SYN | TCP_ACK, US_ISN, PEER_ISN + 1, 0);
    expect_seg(next_out(), TCP_SYN | TCP_ACK, US_ISN, PEER_ISN + 1, 0);
    expect_silence();
    cr_expect_eq(tcp_stats.backlog_full, 1u);
    cr_expect_eq(netstat.drops[NET_DROP_NO_MEMORY], 1u);
    cr_expect_eq(tcb_children(l), 2u);

    /* One handshake completes and is accepted: room for the third. */
    peer_send_full(PEER_PORT, 80, PEER_ISN + 1, US_ISN + 1, TCP_ACK, 8000, NULL, 0, 1);
    cr_assert_not_null(tcp_accept(l));
    peer_send_full(PEER_PORT + 2, 80, PEER_ISN, 0, TCP_SYN, 8000, NULL, 0, 2);
    struct tcp_seg *s = next_out();
    expect_seg(s, TCP_SYN | TCP_ACK, US_ISN, PEER_ISN + 1, 0);
    cr_expect_eq(s->dport, PEER_PORT + 2);
}

Test(tcp_handshake, syn_flood_never_exhausts_the_pool)
{
    struct tcb *l = tcp_listen(0, 80, 4, NULL);
    for (uint16_t i = 0; i < 100; i++)
        peer_send_full((uint16_t)(1000 + i), 80, PEER_ISN, 0, TCP_SYN, 8000, NULL, 0, 0);
    cr_expect_eq(tcb_children(l), 4u);
    cr_expect_eq(tcp_stats.backlog_full, 96u);
    int err = 1;
    cr_expect_not_null(tcp_connect(US_IP, PEER_IP, 80, 0, &err), "a flood took every TCB");
    cr_expect_eq(err, 0);
}

Test(tcp_handshake, accept_returns_connections_in_order)
{
    struct tcb *l = tcp_listen(0, 80, 4, NULL);
    peer_send_full(PEER_PORT, 80, PEER_ISN, 0, TCP_SYN, 8000, NULL, 0, 0);
    peer_send_full(PEER_PORT + 1, 80, PEER_ISN, 0, TCP_SYN, 8000, NULL, 0, 0);
    /* The second finishes first. */
    peer_send_full(PEER_PORT + 1, 80, PEER_ISN + 1, US_ISN + 1, TCP_ACK, 8000, NULL, 0, 1);
    peer_send_full(PEER_PORT, 80, PEER_ISN + 1, US_ISN + 1, TCP_ACK, 8000, NULL, 0, 2);
    struct tcb *a = tcp_accept(l), *b = tcp_accept(l);
    cr_assert(a && b);
    cr_expect_eq(a->remote_port, PEER_PORT + 1);
    cr_expect_eq(b->remote_port, PEER_PORT);
}

Test(tcp_handshake, second_listener_on_a_port_is_refused)
{
    int err = 0;
    cr_assert_not_null(tcp_listen(0, 80, 4, &err));
    cr_expect_null(tcp_listen(0, 80, 4, &err));
    cr_expect_eq(err, -EADDRINUSE);
}

Test(tcp_handshake, closing_a_listener_resets_its_unaccepted_children)
{
    struct tcb *t = passive_open(8000, 0);      /* accepted: survives */
    peer_send_full(PEER_PORT + 1, 80, PEER_ISN, 0, TCP_SYN, 8000, NULL, 0, 0);
    next_out();
    struct tcb *l = tcb_find_listener(US_IP, 80);
    cr_assert_not_null(l);
    tcp_close(l, 1);
    struct tcp_seg *r = next_out();
    cr_expect(r->flags & TCP_RST);
    cr_expect_eq(r->dport, PEER_PORT + 1);
    cr_expect_eq(t->state, TCP_ESTABLISHED);
    int err;
    cr_expect_not_null(tcp_listen(0, 80, 4, &err), "the port is free for a new listener");
}
#endif /* LAB >= 6 */
