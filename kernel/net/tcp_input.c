/* tcp_input.c -- a segment arrives (RFC 9293 3.10.7, "SEGMENT ARRIVES").
 *
 * The order of the checks is the RFC's: which connection, then for a
 * synchronized connection: sequence number (acceptability, 3.10.7.4),
 * RST, SYN, ACK, data, FIN. RST and SYN inside the window but not exactly
 * where expected get a challenge ACK instead of acting (RFC 5961 3, 4),
 * so that a blind attacker must guess the exact sequence number.
 * Out-of-order data is dropped and re-ACKed: the peer retransmits it. */
#if LAB >= 6
#include "net/tcp_int.h"
#include "abi/errno.h"
#include "lab.h"
#include "net/ipv4.h"
#include "net/netstat.h"

static uint16_t peer_mss(const struct tcp_seg *s)
{
    if (s->mss == 0)
        return TCP_DEFAULT_MSS;
    return s->mss < TCP_MSS ? s->mss : TCP_MSS;
}

/* 3.10.7.1: nobody is listening. The segment is counted and answered
 * with a reset, so that the peer's connect fails at once. */
static void closed_input(const struct tcp_seg *s, uint32_t now_ms)
{
    net_drop(NET_DROP_NO_PORT);
    tcp_send_rst_for(s, now_ms);
}

/* 3.10.7.2: a SYN for a listener makes a child in SYN_RECEIVED, unless
 * the backlog is full: then the SYN is dropped (counted), and the peer's
 * retransmission tries again later, as in BSD and Linux. */
static void listen_input(struct tcb *l, const struct tcp_seg *s, uint32_t now_ms)
{
    if (s->flags & TCP_RST)
        return;
    if (s->flags & TCP_ACK) {
        tcp_send_rst_for(s, now_ms);
        return;
    }
    if (!(s->flags & TCP_SYN))
        return;
    struct tcb *c = tcb_children(l) < l->backlog ? tcb_alloc() : NULL;
    if (c == NULL) {
        tcp_stats.backlog_full++;
        net_drop(NET_DROP_NO_MEMORY);
        return;
    }
    c->parent = l;
    c->local_ip = s->dst_ip;
    c->local_port = s->dport;
    c->remote_ip = s->src_ip;
    c->remote_port = s->sport;
    c->irs = s->seq;
    c->rcv_nxt = s->seq + 1;
    c->iss = tcb_new_isn(now_ms);
    c->snd_una = c->snd_nxt = c->snd_max = c->iss;
    c->snd_buf_seq = c->iss + 1;
    c->snd_wnd = s->wnd;
    c->snd_wl1 = s->seq;
    c->snd_mss = peer_mss(s);
    c->state = TCP_SYN_RECEIVED;
    tcp_send_syn(c, now_ms);            /* SYN-ACK (data on the SYN is not taken) */
}

static void established(struct tcb *t, const struct tcp_seg *s)
{
    t->state = TCP_ESTABLISHED;
    t->snd_wnd = s->wnd;
    t->snd_wl1 = s->seq;
    t->snd_wl2 = s->ack;
    if (t->parent) {
        t->ready_order = tcb_next_ready_order();
        tcb_notify(t->parent);          /* one more to accept */
    }
    tcb_notify(t);
}

/* 3.10.7.3: our SYN is out; the answer should be a SYN-ACK for it. */
static void syn_sent_input(struct tcb *t, const struct tcp_seg *s, uint32_t now_ms)
{
    bool has_ack = s->flags & TCP_ACK;
    if (has_ack && (SEQ_LEQ(s->ack, t->iss) || SEQ_GT(s->ack, t->snd_max))) {
        tcp_send_rst_for(s, now_ms);    /* an old connection's segment */
        return;
    }
    if (s->flags & TCP_RST) {
        if (has_ack)
            tcb_closed(t, ECONNREFUSED);
        return;
    }
    if (!(s->flags & TCP_SYN))
        return;
    t->irs = s->seq;
    t->rcv_nxt = s->seq + 1;
    t->snd_mss = peer_mss(s);
    if (has_ack) {
        t->snd_una = s->ack;
        tcp_rexmt_progress(t, now_ms);
        established(t, s);
        tcp_send_ack(t, now_ms);
        tcp_output(t, now_ms);          /* data written before the handshake ended */
        return;
    }
    /* Simultaneous open (3.5, figure 8): both sent a SYN. */
    t->state = TCP_SYN_RECEIVED;
    t->snd_wnd = s->wnd;
    t->snd_wl1 = s->seq;
    t->snd_nxt = t->iss;
    tcp_send_syn(t, now_ms);
}

/* 3.10.7.4, first check: does any of the segment fall in our window? */
static bool acceptable(const struct tcb *t, const struct tcp_seg *s)
{
    uint32_t wnd = tcp_rcv_window(t);
    uint32_t seqlen = tcp_seg_seqlen(s);
    uint32_t end = t->rcv_nxt + wnd;
    if (seqlen == 0)
        return wnd == 0 ? s->seq == t->rcv_nxt : seq_in_window(s->seq, t->rcv_nxt, end);
    if (wnd == 0)
        return false;
    return seq_in_window(s->seq, t->rcv_nxt, end) ||
           seq_in_window(s->seq + seqlen - 1, t->rcv_nxt, end);
}

/* Cut what lies before RCV.NXT (already received) and past the window
 * (no room for it: never acknowledge bytes that were not kept). */
static void trim_to_window(const struct tcb *t, struct tcp_seg *s)
{
    if (SEQ_LT(s->seq, t->rcv_nxt)) {
        uint32_t dup = t->rcv_nxt - s->seq;
        if (s->flags & TCP_SYN) {
            s->flags &= (uint8_t)~TCP_SYN;
            dup--;
        }
        if (dup > s->len) {
            s->len = 0;
            s->flags &= (uint8_t)~TCP_FIN;
        } else {
            s->data += dup;
            s->len -= dup;
        }
        s->seq = t->rcv_nxt;
    }
    uint32_t wnd = tcp_rcv_window(t);
    uint32_t off = s->seq - t->rcv_nxt;
    if (off + s->len > wnd) {
        s->len = wnd > off ? wnd - off : 0;
        s->flags &= (uint8_t)~TCP_FIN;  /* the FIN came after the cut bytes */
    }
}

/* A valid reset (3.10.7.4, second check). */
static void reset_arrives(struct tcb *t)
{
    ring_reset(&t->sndbuf);
    switch (t->state) {
    case TCP_SYN_RECEIVED:
        /* Passive: the child just goes (the listener stays). Active
         * (simultaneous open): the connection was refused. */
        tcb_closed(t, t->parent ? 0 : ECONNREFUSED);
        break;
    case TCP_ESTABLISHED:
    case TCP_FIN_WAIT_1:
    case TCP_FIN_WAIT_2:
    case TCP_CLOSE_WAIT:
        ring_reset(&t->rcvbuf);
        tcb_closed(t, ECONNRESET);
        break;
    default:                            /* CLOSING, LAST_ACK, TIME_WAIT */
        tcb_closed(t, 0);
        break;
    }
}

static bool our_fin_acked(const struct tcb *t)
{
    return t->fin_queued && t->sndbuf.len == 0 && t->snd_una == t->snd_buf_seq + 1;
}

/* RFC 9293 3.10.7.4, fifth check, for SND.UNA < SEG.ACK =< SND.MAX:
 * drop the acknowledged bytes from the send ring (the retransmission
 * queue), and take the peer's window if this segment is newer than the
 * one it last came from (SND.WL1/WL2). */
static void ack_arrives(struct tcb *t, const struct tcp_seg *s, uint32_t now_ms)
{
    if (SEQ_LT(t->snd_una, s->ack)) {
        uint32_t data = SEQ_GT(s->ack, t->snd_buf_seq) ? s->ack - t->snd_buf_seq : 0;
        if (data > t->sndbuf.len)
            data = t->sndbuf.len;   /* the rest acknowledges our SYN or FIN */
        ring_drop(&t->sndbuf, data);
        t->snd_buf_seq += data;
        t->snd_una = s->ack;
        if (SEQ_LT(t->snd_nxt, t->snd_una))
            t->snd_nxt = t->snd_una;    /* acked what a timeout was about to resend */
        tcp_rexmt_progress(t, now_ms);
        if (data)
            tcb_notify(t);              /* room in the send buffer */
    }
    if (SEQ_LT(t->snd_wl1, s->seq) || (t->snd_wl1 == s->seq && SEQ_LEQ(t->snd_wl2, s->ack))) {
        if (t->snd_wnd == 0 && s->wnd > 0) {
            /* The window opened: the probe byte was refused, and the
             * probes' back-off says nothing about the path. */
            t->snd_nxt = t->snd_una;
            t->rto = TCP_RTO_INITIAL_MS;
            t->rexmt_armed = false;
        }
        t->snd_wnd = s->wnd;
        t->snd_wl1 = s->seq;
        t->snd_wl2 = s->ack;
    }
}

/* The ACK's effect on the closing states. false: the TCB is gone. */
static bool ack_closing_states(struct tcb *t, uint32_t now_ms)
{
    if (!our_fin_acked(t))
        return true;
    switch (t->state) {
    case TCP_FIN_WAIT_1:
        t->state = TCP_FIN_WAIT_2;
        tcp_rexmt_stop(t);
        tcb_notify(t);
        return true;
    case TCP_CLOSING:
        tcb_enter_time_wait(t, now_ms);
        return true;
    case TCP_LAST_ACK:
        tcb_closed(t, 0);
        return false;
    default:
        return true;
    }
}

/* Data in order goes into the receive ring; data ahead of RCV.NXT is
 * dropped and re-ACKed. Returns whether an ACK is due. */
static bool text_arrives(struct tcb *t, const struct tcp_seg *s)
{
    if (t->state != TCP_ESTABLISHED && t->state != TCP_FIN_WAIT_1 &&
        t->state != TCP_FIN_WAIT_2)
        return false;                   /* after the peer's FIN: nothing more comes */
#if SOLVED >= 6
    if (s->seq != t->rcv_nxt) {
        tcp_stats.out_of_order++;
        return true;
    }
    /* trim_to_window made it fit; after tcp_close nobody reads it, but
     * it is still acknowledged (the user chose to stop reading). */
    uint32_t n = t->user_released ? s->len : ring_write(&t->rcvbuf, s->data, s->len);
    t->rcv_nxt += n;
    tcb_notify(t);
    return true;
#else
    /* LAB 6 exercise 6: a segment that does not start at t->rcv_nxt is
     * out of order: count it (tcp_stats.out_of_order), keep nothing, and
     * return true (the ACK we send repeats rcv_nxt; the peer resends).
     * In order: ring_write() the s->len bytes at s->data into t->rcvbuf
     * (after tcp_close, t->user_released: nobody reads, take them all
     * without writing), advance rcv_nxt by what was kept -- rcv_nxt is
     * what we acknowledge -- tcb_notify(t) the reader, return true. */
    (void)s;
    LAB_TODO_ONCE(6, 6, "text_arrives() (kernel/net/tcp_input.c)");
    return false;
#endif
}

/* 3.10.7.4, eighth check: the peer has no more data. */
static void fin_arrives(struct tcb *t, uint32_t now_ms)
{
    t->rcv_nxt++;
    t->fin_received = true;
    switch (t->state) {
    case TCP_SYN_RECEIVED:
    case TCP_ESTABLISHED:
        t->state = TCP_CLOSE_WAIT;
        break;
    case TCP_FIN_WAIT_1:
        if (our_fin_acked(t))
            tcb_enter_time_wait(t, now_ms);
        else
            t->state = TCP_CLOSING;     /* simultaneous close (3.6, figure 13) */
        break;
    case TCP_FIN_WAIT_2:
        tcb_enter_time_wait(t, now_ms);
        break;
    default:
        break;
    }
    tcb_notify(t);
}

static void reject(struct tcb *t, const struct tcp_seg *s, uint32_t now_ms)
{
    net_drop(NET_DROP_OUT_OF_WINDOW);
    if (s->flags & TCP_RST)
        return;
    if (t->state == TCP_TIME_WAIT && (s->flags & TCP_FIN))
        t->timewait_due = now_ms + 2 * TCP_MSL_MS;  /* the peer lost our last ACK */
    tcp_send_ack(t, now_ms);
}

static void synchronized_input(struct tcb *t, struct tcp_seg *s, uint32_t now_ms)
{
    bool need_ack = false;
    if (!acceptable(t, s)) {
        /* A closed window still takes ACKs and RSTs (3.10.7.4): a
         * segment at RCV.NXT (a zero-window probe) is kept without its
         * data, and answered so that the peer learns the window. */
        if (!(tcp_rcv_window(t) == 0 && s->seq == t->rcv_nxt)) {
            reject(t, s, now_ms);
            return;
        }
        need_ack = tcp_seg_seqlen(s) > 0;
        s->len = 0;
        s->flags &= (uint8_t)~TCP_FIN;
    }
    uint32_t seq0 = s->seq;
    trim_to_window(t, s);
    if (s->flags & TCP_RST) {
        if (seq0 == t->rcv_nxt)
            reset_arrives(t);
        else
            tcp_send_ack(t, now_ms);    /* challenge ACK (RFC 5961 3.2) */
        return;
    }
    if (s->flags & TCP_SYN) {
        tcp_send_ack(t, now_ms);        /* challenge ACK (RFC 5961 4.2) */
        return;
    }
    if (!(s->flags & TCP_ACK))
        return;
    if (t->state == TCP_SYN_RECEIVED) {
        if (SEQ_LEQ(s->ack, t->snd_una) || SEQ_GT(s->ack, t->snd_max)) {
            tcp_send_rst_for(s, now_ms);
            return;
        }
        established(t, s);
    }
    if (SEQ_GT(s->ack, t->snd_max)) {
        tcp_send_ack(t, now_ms);        /* acknowledges what we never sent */
        return;
    }
    ack_arrives(t, s, now_ms);
    if (!ack_closing_states(t, now_ms))
        return;
    if (s->len > 0 && text_arrives(t, s))
        need_ack = true;
    if (s->flags & TCP_FIN) {
        if (s->seq + s->len == t->rcv_nxt)
            fin_arrives(t, now_ms);
        need_ack = true;                /* in order or not: say where we are */
    }
    uint32_t sent = tcp_stats.segs_out;
    tcp_output(t, now_ms);              /* the window may have opened */
    if (need_ack && tcp_stats.segs_out == sent)
        tcp_send_ack(t, now_ms);
}

void tcp_input(const struct ip_hdr_info *ip, const uint8_t *seg, size_t len, uint32_t now_ms)
{
    struct tcp_seg s;
    if (tcp_parse(&s, ip->src, ip->dst, seg, len) < 0)
        return;
    tcp_stats.segs_in++;
    struct tcb *t = tcb_lookup(ip->dst, s.dport, ip->src, s.sport);
    if (t == NULL) {
        struct tcb *l = tcb_find_listener(ip->dst, s.dport);
        if (l)
            listen_input(l, &s, now_ms);
        else
            closed_input(&s, now_ms);
        return;
    }
    if (t->state == TCP_SYN_SENT)
        syn_sent_input(t, &s, now_ms);
    else
        synchronized_input(t, &s, now_ms);
}
#endif /* LAB >= 6 */
