/* socket_tcp.c -- stream sockets over tcp.h (socket.h). Runs under
 * net_lock (sock_lock); blocks through sock_wait() on TCP's events. */
#if LAB >= 6
#include "net/socket.h"
#include "net/net.h"
#include "net/stack.h"
#include "net/tcp.h"
#include "abi/errno.h"
#include "abi/poll.h"
#include "abi/socket.h"

#define TCP_EPHEMERAL_MAX 65535

/* tcp.h's notify: one of the TCP_EV_* may have become true. */
static void tcp_event(void *ctx, struct tcb *t)
{
    (void)ctx;
    (void)t;
    sock_notify();
}

static void attach(struct socket *s, struct tcb *t)
{
    s->tcb = t;
    tcp_set_notify(t, tcp_event, s);
}

/* Is port taken for s? Another socket bound to it, or a connection on
 * it. SO_REUSEADDR lets a port whose connections are all closing (or
 * in TIME_WAIT: RFC 9293 3.4.2 keeps it 2 MSL) be bound again, never a
 * second listener's (tcp_listen refuses that). */
static bool port_taken(const struct socket *s, uint16_t port)
{
    for (int i = 0; i < SOCK_MAX; i++) {
        const struct socket *o = sock_at(i);
        if (o != NULL && o != s && o->type == SOCK_STREAM && o->local_port == port)
            return true;
    }
    for (int i = 0; i < TCP_MAX_TCB; i++) {
        const struct tcb *t = tcp_tcb_at(i);
        if (t == NULL || t->local_port != port)
            continue;
        if (t->state == TCP_LISTEN || !s->reuseaddr)
            return true;
    }
    return false;
}

static uint16_t ephemeral_port(const struct socket *s)
{
    static uint16_t next = 49152;
    for (int tries = 0; tries <= TCP_EPHEMERAL_MAX - 49152; tries++) {
        uint16_t port = next;
        next = next == TCP_EPHEMERAL_MAX ? 49152 : (uint16_t)(next + 1);
        if (!port_taken(s, port))
            return port;
    }
    return 0;
}

int sock_tcp_bind(struct socket *s, uint16_t port)
{
    if (port == 0)
        port = ephemeral_port(s);
    if (port == 0 || port_taken(s, port))
        return -EADDRINUSE;
    s->local_port = port;
    return 0;
}

int sock_tcp_listen(struct socket *s, int backlog)
{
    if (s->tcb != NULL)
        return s->tcb->state == TCP_LISTEN ? 0 : -EINVAL;
    if (s->local_port == 0) {
        int err = sock_tcp_bind(s, 0);
        if (err != 0)
            return err;
    }
    if (backlog < 1)
        backlog = 1;
    if (backlog > SOMAXCONN)
        backlog = SOMAXCONN;
    /* Bound to a loopback address: listen on every address (the
     * interface's own is what 127.0.0.1 reaches, loopback.h). */
    uint32_t ip = sock_is_loopback_addr(s->local_ip) ? 0 : s->local_ip;
    int err;
    struct tcb *l = tcp_listen(ip, s->local_port, (uint16_t)backlog, &err);
    if (l == NULL)
        return err;
    attach(s, l);
    return 0;
}

static bool listening(const struct socket *s)
{
    return s->tcb != NULL && s->tcb->state == TCP_LISTEN;
}

static bool can_accept(struct socket *s)
{
    return (tcp_poll(s->tcb) & TCP_EV_ACCEPT) != 0;
}

int sock_tcp_accept(struct socket *s, uint32_t *irq, struct socket **child)
{
    if (!listening(s))
        return -EINVAL;
    int err = sock_wait(s, irq, can_accept, true);
    if (err != 0)
        return err;
    struct socket *c = sock_alloc(SOCK_STREAM, IPPROTO_TCP);
    if (c == NULL)
        return -ENOBUFS;        /* the connection waits for a later accept */
    struct tcb *t = tcp_accept(s->tcb);
    if (t == NULL) {
        sock_free(c);
        return -EAGAIN;         /* cannot happen: can_accept() held the lock */
    }
    attach(c, t);
    c->alias_ip = s->alias_ip;
    *child = c;
    return 0;
}

static bool connect_done(struct socket *s)
{
    return (tcp_poll(s->tcb) & (TCP_EV_CONNECTED | TCP_EV_ERROR)) != 0;
}

int sock_tcp_connect(struct socket *s, uint32_t *irq, uint32_t ip, uint16_t port)
{
    if (s->tcb != NULL)
        return s->connecting ? -EALREADY : listening(s) ? -EINVAL : -EISCONN;
    int err;
    struct netif *nif = sock_iface(&err);
    if (nif == NULL)
        return err;
    if (sock_is_loopback_addr(ip))
        s->alias_ip = ip;
    /* The bound port, if any, is not used: tcp_connect() picks its own. */
    struct tcb *t = tcp_connect(nif->ip, sock_route_addr(nif, ip), port, net_now_ms(), &err);
    if (t == NULL)
        return err;
    attach(s, t);
    if (s->nonblock) {
        s->connecting = true;
        return -EINPROGRESS;
    }
    /* SO_RCVTIMEO bounds the handshake too (Linux would use SO_SNDTIMEO;
     * one timeout is what our programs set): else TCP's own retries
     * decide, about two minutes (tcp.h). */
    err = sock_wait(s, irq, connect_done, true);
    if (err == -EAGAIN)
        err = -ETIMEDOUT;
    if (err == 0 && t->error != 0)
        err = -t->error;        /* ECONNREFUSED (a RST), ETIMEDOUT */
    if (err != 0) {
        tcp_set_notify(t, NULL, NULL);
        tcp_abort(t, net_now_ms());
        s->tcb = NULL;
    }
    return err;
}

static bool writable(struct socket *s)
{
    return (tcp_poll(s->tcb) & (TCP_EV_WRITABLE | TCP_EV_ERROR)) != 0 || s->tcb->fin_queued;
}

int sock_tcp_send(struct socket *s, uint32_t *irq, const void *buf, size_t n)
{
    if (s->tcb == NULL || listening(s))
        return -ENOTCONN;
    if (s->shut_wr)
        return -EPIPE;
    const uint8_t *p = buf;
    size_t done = 0;
    while (done < n) {
        int r = tcp_send(s->tcb, p + done, n - done, net_now_ms());
        if (r > 0) {
            done += (size_t)r;
            continue;
        }
        if (r == -EAGAIN)
            r = sock_wait(s, irq, writable, false);
        if (r != 0)
            return done > 0 ? (int)done : r;
    }
    return (int)done;
}

static bool readable(struct socket *s)
{
    return (tcp_poll(s->tcb) & (TCP_EV_READABLE | TCP_EV_ERROR)) != 0 || s->shut_rd ||
           s->tcb->state == TCP_CLOSED;
}

int sock_tcp_recv(struct socket *s, uint32_t *irq, void *buf, size_t n, int flags)
{
    if (s->tcb == NULL || listening(s))
        return -ENOTCONN;
    if (flags & MSG_PEEK)
        return -EOPNOTSUPP;     /* tcp.h has no peek; nobody here needs it */
    int err = sock_wait(s, irq, readable, true);
    if (err != 0)
        return err;
    if (s->shut_rd)
        return 0;
    int r = tcp_recv(s->tcb, buf, n, net_now_ms());
    return r == -ENOTCONN && s->tcb->state == TCP_CLOSED ? 0 : r;
}

int sock_tcp_shutdown(struct socket *s, int how)
{
    if (s->tcb == NULL || listening(s) || s->connecting)
        return -ENOTCONN;
    if (how != SHUT_WR)
        s->shut_rd = true;
    if (how != SHUT_RD && !s->shut_wr) {
        s->shut_wr = true;
        int err = tcp_shutdown(s->tcb, net_now_ms());
        if (err != 0 && err != -ENOTCONN)
            return err;
    }
    return 0;
}

void sock_tcp_release(struct socket *s)
{
    if (s->tcb == NULL)
        return;
    /* The TCB outlives the socket (FIN exchange, TIME_WAIT): no more
     * notifications to a freed socket. */
    tcp_set_notify(s->tcb, NULL, NULL);
    tcp_close(s->tcb, net_now_ms());
    s->tcb = NULL;
}

unsigned sock_tcp_poll(struct socket *s)
{
    if (s->tcb == NULL)
        return POLLOUT | POLLHUP;       /* as Linux: not connected */
    unsigned tev = tcp_poll(s->tcb);
    if (listening(s))
        return tev & TCP_EV_ACCEPT ? POLLIN : 0;
    if (s->connecting && (tev & (TCP_EV_CONNECTED | TCP_EV_ERROR))) {
        s->connecting = false;          /* a non-blocking connect finished */
        s->error = s->tcb->error;
    }
    unsigned ev = 0;
    if (tev & TCP_EV_READABLE)
        ev |= POLLIN;
    if (tev & TCP_EV_WRITABLE)
        ev |= POLLOUT;
    if (tev & TCP_EV_ERROR)
        ev |= POLLERR;
    if ((tev & TCP_EV_ERROR) || (s->tcb->fin_received && s->tcb->fin_queued))
        ev |= POLLHUP;
    return ev;
}
#endif /* LAB >= 6 */
