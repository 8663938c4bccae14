/* tcp_output.c -- building and sending segments from a TCB (RFC 9293
 * 3.8.6 "Managing the Window", 3.10.4 "SEND").
 *
 * The send ring holds the data from SND.UNA on; a segment's data is
 * copied out of it at (its sequence number - snd_buf_seq). Retransmitting
 * is "go back to SND.UNA and send again" (tcp_timer.c), so the same code
 * sends new data and old. Not re-entrant: one static segment buffer,
 * like the rest of the stack under its one lock. */
#if LAB >= 6
#include "net/tcp_int.h"

static uint8_t segbuf[TCP_HLEN + 4 + TCP_MSS];

uint16_t tcp_rcv_window(const struct tcb *t)
{
    uint32_t w = ring_free(&t->rcvbuf);
    return (uint16_t)(w > 0xffff ? 0xffff : w);
}

static void note_sent(struct tcb *t, uint32_t end)
{
    t->snd_nxt = end;
    if (SEQ_GT(end, t->snd_max))
        t->snd_max = end;
}

/* Send one segment of this connection: flags, seq, and len bytes of the
 * send ring from offset off. Every segment but the first SYN carries an
 * ACK of everything received so far and our current window. */
static void send_segment(struct tcb *t, uint8_t flags, uint32_t seq, uint32_t off,
                         uint32_t len, uint32_t now_ms)
{
    bool with_mss = flags & TCP_SYN;
    struct tcp_seg s = {
        .src_ip = t->local_ip, .dst_ip = t->remote_ip,
        .sport = t->local_port, .dport = t->remote_port,
        .seq = seq, .ack = (flags & TCP_ACK) ? t->rcv_nxt : 0,
        .flags = flags, .wnd = tcp_rcv_window(t), .mss = TCP_MSS, .len = len,
    };
    ring_peek(&t->sndbuf, off, segbuf + tcp_header_len(with_mss), len);
    size_t n = tcp_build(segbuf, &s, with_mss);
    if (flags & TCP_ACK)
        t->rcv_adv = s.wnd;
    tcp_emit(t->local_ip, t->remote_ip, segbuf, n, now_ms);
}

void tcp_send_syn(struct tcb *t, uint32_t now_ms)
{
    uint8_t flags = TCP_SYN | (t->state == TCP_SYN_RECEIVED ? TCP_ACK : 0);
    send_segment(t, flags, t->iss, 0, 0, now_ms);
    note_sent(t, t->iss + 1);
    tcp_rexmt_start(t, now_ms);
}

void tcp_send_ack(struct tcb *t, uint32_t now_ms)
{
    send_segment(t, TCP_ACK, t->snd_nxt, 0, 0, now_ms);
}

void tcp_send_rst(struct tcb *t, uint32_t now_ms)
{
    tcp_stats.resets_sent++;
    send_segment(t, TCP_RST | TCP_ACK, t->snd_nxt, 0, 0, now_ms);
}

/* RFC 9293 3.10.7.1: the reset for a segment that belongs to no
 * connection. Its sequence number comes from the offending ACK so that
 * the peer accepts it; without an ACK, we ACK the segment instead. */
void tcp_send_rst_for(const struct tcp_seg *in, uint32_t now_ms)
{
    if (in->flags & TCP_RST)
        return;                 /* never answer a reset with a reset */
    struct tcp_seg s = {
        .src_ip = in->dst_ip, .dst_ip = in->src_ip,
        .sport = in->dport, .dport = in->sport,
    };
    if (in->flags & TCP_ACK) {
        s.seq = in->ack;
        s.flags = TCP_RST;
    } else {
        s.ack = in->seq + tcp_seg_seqlen(in);
        s.flags = TCP_RST | TCP_ACK;
    }
    tcp_stats.resets_sent++;
    size_t n = tcp_build(segbuf, &s, false);
    tcp_emit(s.src_ip, s.dst_ip, segbuf, n, now_ms);
}

static bool can_send_data(enum tcp_state s)
{
    return s == TCP_ESTABLISHED || s == TCP_CLOSE_WAIT || s == TCP_FIN_WAIT_1 ||
           s == TCP_CLOSING || s == TCP_LAST_ACK;
}

/* Bytes of the send ring not yet sent (from SND.NXT on). */
static uint32_t unsent(const struct tcb *t)
{
    uint32_t off = t->snd_nxt - t->snd_buf_seq;
    return off < t->sndbuf.len ? t->sndbuf.len - off : 0;
}

/* Send what the peer's window allows, then the FIN once all data is out
 * (RFC 9293 3.10.4: "queue this until all preceding SENDs have been
 * segmentized, then form a FIN segment"). */
void tcp_output(struct tcb *t, uint32_t now_ms)
{
    if ((t->state == TCP_SYN_SENT || t->state == TCP_SYN_RECEIVED) && t->snd_nxt == t->iss) {
        tcp_send_syn(t, now_ms);        /* a timeout sent us back before the SYN */
        return;
    }
    if (!can_send_data(t->state))
        return;
    for (;;) {
        uint32_t wnd_end = t->snd_una + t->snd_wnd;
        uint32_t usable = SEQ_LT(t->snd_nxt, wnd_end) ? wnd_end - t->snd_nxt : 0;
        uint32_t n = unsent(t);
        if (n > usable)
            n = usable;
        if (n > t->snd_mss)
            n = t->snd_mss;
        if (n == 0)
            break;
        uint32_t off = t->snd_nxt - t->snd_buf_seq;
        uint8_t flags = TCP_ACK | (n == unsent(t) ? TCP_PSH : 0);
        send_segment(t, flags, t->snd_nxt, off, n, now_ms);
        note_sent(t, t->snd_nxt + n);
        tcp_rexmt_start(t, now_ms);
    }
    if (unsent(t) > 0) {
        /* Window closed with data waiting: the timer probes it (3.8.6.1). */
        tcp_rexmt_start(t, now_ms);
        return;
    }
    bool fin_due = t->fin_queued && t->snd_nxt == t->snd_buf_seq + t->sndbuf.len &&
                   (t->state == TCP_FIN_WAIT_1 || t->state == TCP_CLOSING ||
                    t->state == TCP_LAST_ACK);
    if (fin_due) {
        send_segment(t, TCP_FIN | TCP_ACK, t->snd_nxt, 0, 0, now_ms);
        note_sent(t, t->snd_nxt + 1);
        tcp_rexmt_start(t, now_ms);
    }
}

/* The zero-window probe (RFC 9293 3.8.6.1): one byte past the closed
 * window. The peer drops it and answers with its window, or takes it. */
void tcp_send_probe(struct tcb *t, uint32_t now_ms)
{
    uint32_t off = t->snd_nxt - t->snd_buf_seq;
    if (off >= t->sndbuf.len)
        return;
    send_segment(t, TCP_ACK, t->snd_nxt, off, 1, now_ms);
    note_sent(t, t->snd_nxt + 1);
}
#endif /* LAB >= 6 */
