/* tcp_user.c -- the calls the socket layer makes (RFC 9293 3.10.1-3.10.6:
 * OPEN, SEND, RECEIVE, CLOSE, ABORT, STATUS), never blocking: when a call
 * cannot proceed it returns -EAGAIN, and the socket layer waits for the
 * matching TCP_EV_* event (tcp_poll, and the notify callback). */
#if LAB >= 6
#include "net/tcp_int.h"
#include "abi/errno.h"

static void set_err(int *err, int e)
{
    if (err)
        *err = e;
}

struct tcb *tcp_listen(uint32_t local_ip, uint16_t port, uint16_t backlog, int *err)
{
    if (port == 0) {
        set_err(err, -EINVAL);
        return NULL;
    }
    /* Children of an earlier listener may still use the port: only a
     * second listener is refused (what SO_REUSEADDR gives on Unix). */
    if (tcb_find_listener(local_ip, port) != NULL) {
        set_err(err, -EADDRINUSE);
        return NULL;
    }
    struct tcb *l = tcb_alloc();
    if (l == NULL) {
        set_err(err, -ENOBUFS);
        return NULL;
    }
    l->local_ip = local_ip;
    l->local_port = port;
    l->backlog = backlog ? backlog : 1;
    l->state = TCP_LISTEN;
    set_err(err, 0);
    return l;
}

static bool ready_to_accept(const struct tcb *c, const struct tcb *l)
{
    return c != NULL && c->in_use && c->parent == l && !c->accepted &&
           c->state != TCP_SYN_RECEIVED && c->state != TCP_CLOSED;
}

/* The oldest connection that finished its handshake. */
static struct tcb *oldest_ready(const struct tcb *l)
{
    struct tcb *best = NULL;
    for (int i = 0; i < TCP_MAX_TCB; i++) {
        struct tcb *c = tcb_slot(i);
        if (ready_to_accept(c, l) && (best == NULL || c->ready_order < best->ready_order))
            best = c;
    }
    return best;
}

struct tcb *tcp_accept(struct tcb *l)
{
    if (l->state != TCP_LISTEN)
        return NULL;
    struct tcb *c = oldest_ready(l);
    if (c) {
        c->accepted = true;
        c->parent = NULL;       /* the listener may close before this one */
    }
    return c;
}

/* RFC 9293 3.10.1 OPEN, active: send a SYN from an ephemeral port. */
struct tcb *tcp_connect(uint32_t local_ip, uint32_t remote_ip, uint16_t remote_port,
                        uint32_t now_ms, int *err)
{
    uint16_t port = tcb_ephemeral_port();
    struct tcb *t = port ? tcb_alloc() : NULL;
    if (t == NULL) {
        set_err(err, -ENOBUFS);
        return NULL;
    }
    t->local_ip = local_ip;
    t->local_port = port;
    t->remote_ip = remote_ip;
    t->remote_port = remote_port;
    t->iss = tcb_new_isn(now_ms);
    t->snd_una = t->snd_nxt = t->snd_max = t->iss;
    t->snd_buf_seq = t->iss + 1;
    t->state = TCP_SYN_SENT;
    tcp_send_syn(t, now_ms);
    set_err(err, 0);
    return t;
}

/* RFC 9293 3.10.2 SEND: copy into the send ring (data written before the
 * handshake ends waits there). Returns the bytes taken, or -EAGAIN when
 * the ring is full. */
int tcp_send(struct tcb *t, const void *data, size_t len, uint32_t now_ms)
{
    if (t->error)
        return -t->error;
    if (t->fin_queued)
        return -EPIPE;
    if (t->state != TCP_ESTABLISHED && t->state != TCP_CLOSE_WAIT &&
        t->state != TCP_SYN_SENT && t->state != TCP_SYN_RECEIVED)
        return -ENOTCONN;
    if (len == 0)
        return 0;
    uint32_t want = len > TCP_BUF_SIZE ? TCP_BUF_SIZE : (uint32_t)len;
    uint32_t n = ring_write(&t->sndbuf, data, want);
    if (n == 0)
        return -EAGAIN;
    tcp_output(t, now_ms);
    return (int)n;
}

/* Receiver-side silly window avoidance (RFC 9293 3.8.6.2.2): after a
 * read, tell the peer about the larger window only once it has grown by
 * min(half the buffer, one MSS), not byte by byte. */
static void window_update(struct tcb *t, uint32_t now_ms)
{
    if (t->state != TCP_ESTABLISHED && t->state != TCP_FIN_WAIT_1 &&
        t->state != TCP_FIN_WAIT_2)
        return;
    uint32_t step = TCP_BUF_SIZE / 2 < t->snd_mss ? TCP_BUF_SIZE / 2 : t->snd_mss;
    if (tcp_rcv_window(t) >= t->rcv_adv + step)
        tcp_send_ack(t, now_ms);
}

/* RFC 9293 3.10.3 RECEIVE: bytes read, 0 at the end of the peer's data,
 * -EAGAIN when nothing is there yet, or the connection's error. */
int tcp_recv(struct tcb *t, void *buf, size_t len, uint32_t now_ms)
{
    if (t->rcvbuf.len > 0) {
        uint32_t n = len < t->rcvbuf.len ? (uint32_t)len : t->rcvbuf.len;
        ring_peek(&t->rcvbuf, 0, buf, n);
        ring_drop(&t->rcvbuf, n);
        window_update(t, now_ms);
        return (int)n;
    }
    if (t->error)
        return -t->error;
    if (t->fin_received)
        return 0;
    if (t->state == TCP_CLOSED || t->state == TCP_LISTEN)
        return -ENOTCONN;
    return -EAGAIN;
}

/* Half close: send a FIN after the queued data (3.10.4). */
int tcp_shutdown(struct tcb *t, uint32_t now_ms)
{
    if (t->fin_queued)
        return 0;
    if (t->state == TCP_ESTABLISHED)
        t->state = TCP_FIN_WAIT_1;
    else if (t->state == TCP_CLOSE_WAIT)
        t->state = TCP_LAST_ACK;
    else
        return t->error ? -t->error : -ENOTCONN;
    t->fin_queued = true;
    tcp_output(t, now_ms);
    return 0;
}

/* Reset every child a listener has not handed out, then the listener goes. */
static void close_listener(struct tcb *l, uint32_t now_ms)
{
    for (int i = 0; i < TCP_MAX_TCB; i++) {
        struct tcb *c = tcb_slot(i);
        if (c->in_use && c->parent == l && !c->accepted) {
            tcp_send_rst(c, now_ms);
            tcb_free(c);
        }
    }
    tcb_free(l);
}

/* RFC 9293 3.10.4 CLOSE: the user is done with the TCB; the protocol
 * keeps it until the FIN exchange (and TIME_WAIT) is over. Unread data
 * makes it a reset instead (RFC 2525 2.17: the peer must learn that its
 * data was not read). */
void tcp_close(struct tcb *t, uint32_t now_ms)
{
    t->user_released = true;
    switch (t->state) {
    case TCP_LISTEN:
        close_listener(t, now_ms);
        return;
    case TCP_CLOSED:
    case TCP_SYN_SENT:
        tcb_free(t);
        return;
    case TCP_SYN_RECEIVED:
    case TCP_ESTABLISHED:
    case TCP_CLOSE_WAIT:
        if (t->rcvbuf.len > 0 || t->state == TCP_SYN_RECEIVED) {
            tcp_abort(t, now_ms);
            return;
        }
        tcp_shutdown(t, now_ms);
        return;
    default:                    /* FIN_WAIT_*, CLOSING, LAST_ACK, TIME_WAIT: under way */
        return;
    }
}

/* RFC 9293 3.10.5 ABORT: a reset to the peer if it has a connection. */
void tcp_abort(struct tcb *t, uint32_t now_ms)
{
    switch (t->state) {
    case TCP_LISTEN:
        close_listener(t, now_ms);
        return;
    case TCP_SYN_RECEIVED:
    case TCP_ESTABLISHED:
    case TCP_FIN_WAIT_1:
    case TCP_FIN_WAIT_2:
    case TCP_CLOSE_WAIT:
        tcp_send_rst(t, now_ms);
        break;
    default:
        break;
    }
    tcb_free(t);
}

unsigned tcp_poll(const struct tcb *t)
{
    unsigned ev = 0;
    if (t->state == TCP_LISTEN)
        return oldest_ready(t) ? TCP_EV_ACCEPT : 0;
    if (t->rcvbuf.len > 0 || t->fin_received || t->error)
        ev |= TCP_EV_READABLE;
    bool can_send = t->state == TCP_ESTABLISHED || t->state == TCP_CLOSE_WAIT;
    if ((can_send && !t->fin_queued && ring_free(&t->sndbuf) > 0) || t->error)
        ev |= TCP_EV_WRITABLE;
    if (t->state != TCP_CLOSED && t->state != TCP_SYN_SENT && t->state != TCP_SYN_RECEIVED)
        ev |= TCP_EV_CONNECTED;
    if (t->error)
        ev |= TCP_EV_ERROR;
    return ev;
}
#endif /* LAB >= 6 */
