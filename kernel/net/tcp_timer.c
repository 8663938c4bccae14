/* tcp_timer.c -- the retransmission timer with exponential back-off
 * (RFC 6298), the zero-window probe (RFC 9293 3.8.6.1) and TIME_WAIT's
 * 2*MSL (RFC 9293 3.6), all driven by tcp_timer_tick(now). */
#if LAB >= 6
#include "net/tcp_int.h"
#include "abi/errno.h"

/* "a is not before b", across the wrap of the millisecond clock. */
static bool time_reached(uint32_t now, uint32_t due)
{
    return (int32_t)(now - due) >= 0;
}

void tcp_rexmt_start(struct tcb *t, uint32_t now_ms)
{
    if (t->rexmt_armed)
        return;                 /* RFC 6298 5.1: start it only if not running */
    t->rexmt_armed = true;
    t->rexmt_due = now_ms + t->rto;
}

void tcp_rexmt_stop(struct tcb *t)
{
    t->rexmt_armed = false;
}

/* RFC 6298 5.2/5.3 and 5.7: an ACK of new data ends the back-off; the
 * timer restarts for what is still outstanding, or stops. */
void tcp_rexmt_progress(struct tcb *t, uint32_t now_ms)
{
    t->rto = TCP_RTO_INITIAL_MS;
    t->retries = 0;
    t->rexmt_armed = false;
    bool fin_pending = t->fin_queued && SEQ_LT(t->snd_una, t->snd_max);
    if (SEQ_LT(t->snd_una, t->snd_max) || t->sndbuf.len > 0 || fin_pending)
        tcp_rexmt_start(t, now_ms);
}

static void back_off(struct tcb *t)
{
    t->rto = t->rto * 2 > TCP_RTO_MAX_MS ? TCP_RTO_MAX_MS : t->rto * 2;   /* 5.5 */
}

static bool window_closed(const struct tcb *t)
{
    return t->snd_wnd == 0 && t->snd_una == t->snd_buf_seq && t->sndbuf.len > 0 &&
           t->state != TCP_SYN_SENT && t->state != TCP_SYN_RECEIVED;
}

/* RFC 6298 5.4-5.6: send again from SND.UNA (go back N), double the RTO.
 * With the peer's window closed this is a probe, which never gives up
 * while the peer keeps answering (3.8.6.1), so it does not count. */
static void rexmt_expired(struct tcb *t, uint32_t now_ms)
{
    t->rexmt_armed = false;
    back_off(t);
    t->snd_nxt = t->snd_una;
    if (window_closed(t)) {
        tcp_send_probe(t, now_ms);
        tcp_rexmt_start(t, now_ms);
        return;
    }
    if (++t->retries > TCP_MAX_RETRIES) {
        tcp_stats.timeouts++;
        tcb_closed(t, ETIMEDOUT);
        return;
    }
    tcp_stats.retransmits++;
    tcp_output(t, now_ms);
}

void tcp_timer_tick(uint32_t now_ms)
{
    for (int i = 0; i < TCP_MAX_TCB; i++) {
        struct tcb *t = tcb_slot(i);
        if (!t->in_use)
            continue;
        if (t->state == TCP_TIME_WAIT) {
            if (time_reached(now_ms, t->timewait_due))
                tcb_closed(t, 0);
            continue;
        }
        if (t->rexmt_armed && time_reached(now_ms, t->rexmt_due))
            rexmt_expired(t, now_ms);
    }
}
#endif /* LAB >= 6 */
