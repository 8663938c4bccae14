/* socket.c -- the socket table, its lock, waiting, names and options
 * (socket.h). The protocols' halves are socket_udp.c and socket_tcp.c. */
#if LAB >= 6
#include "net/socket.h"
#include "net/dgram_queue.h"
#include "net/loopback.h"
#include "net/net.h"
#include "net/stack.h"
#include "net/tcp.h"
#include "fs/poll.h"
#include "mm/kmalloc.h"
#include "abi/errno.h"
#include "abi/netstat.h"
#include "abi/poll.h"
#include "abi/socket.h"
#include <string.h>

/* Every open socket, for netstat and for finding a ping socket by its
 * echo identifier. Protected by net_lock. */
static struct socket *table[SOCK_MAX];

uint32_t sock_lock(void)
{
    return spin_lock_irqsave(&net_lock);
}

void sock_unlock(uint32_t irq)
{
    struct netif *nif = net_iface();
    if (nif != NULL && loopback_pending())
        loopback_drain(nif, net_now_ms());
    spin_unlock_irqrestore(&net_lock, irq);
}

void sock_notify(void)
{
    poll_notify();
}

/* The generation is read before ready() looks (fs/poll.h): an event
 * after the look bumps it, and poll_wait() then returns at once. */
int sock_wait(struct socket *s, uint32_t *irq, bool (*ready)(struct socket *), bool timed)
{
    uint32_t deadline = timed && s->rcvtimeo_ms ? poll_deadline_ms(s->rcvtimeo_ms)
                                                : POLL_NO_DEADLINE;
    for (;;) {
        uint32_t gen = poll_generation();
        if (ready(s))
            return 0;
        if (s->nonblock)
            return -EAGAIN;
        sock_unlock(*irq);
        int err = poll_wait(gen, deadline);
        *irq = sock_lock();
        if (err == -ETIMEDOUT)
            return ready(s) ? 0 : -EAGAIN;
        if (err != 0)
            return err;
    }
}

struct netif *sock_iface(int *err)
{
    struct netif *nif = net_iface();
    if (nif == NULL || nif->ip == 0) {
        *err = -ENETUNREACH;
        return NULL;
    }
    *err = 0;
    return nif;
}

bool sock_is_loopback_addr(uint32_t ip)
{
    return (ip >> 24) == 127;
}

uint32_t sock_route_addr(const struct netif *nif, uint32_t ip)
{
    return sock_is_loopback_addr(ip) ? nif->ip : ip;
}

struct socket *sock_at(int i)
{
    return table[i];
}

struct socket *sock_alloc(int type, int proto)
{
    int slot = -1;
    for (int i = 0; i < SOCK_MAX && slot < 0; i++)
        if (table[i] == NULL)
            slot = i;
    if (slot < 0)
        return NULL;
    struct socket *s = kcalloc(1, sizeof *s);
    if (s == NULL)
        return NULL;
    s->type = type;
    s->proto = proto;
    if (type == SOCK_DGRAM) {
        s->rxq = kmalloc(sizeof *s->rxq);
        if (s->rxq == NULL) {
            kfree(s);
            return NULL;
        }
        dgq_init(s->rxq);
    }
    table[slot] = s;
    return s;
}

void sock_free(struct socket *s)
{
    for (int i = 0; i < SOCK_MAX; i++)
        if (table[i] == s)
            table[i] = NULL;
    kfree(s->rxq);
    kfree(s);
}

int sock_create(int type, int proto, struct socket **out)
{
    if (type == SOCK_STREAM && proto != 0 && proto != IPPROTO_TCP)
        return -EPROTONOSUPPORT;
    if (type == SOCK_DGRAM && proto != 0 && proto != IPPROTO_UDP && proto != IPPROTO_ICMP)
        return -EPROTONOSUPPORT;
    if (type != SOCK_STREAM && type != SOCK_DGRAM)
        return -EPROTOTYPE;
    if (proto == 0)
        proto = type == SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP;
    net_need_netd();
    uint32_t irq = sock_lock();
    struct socket *s = sock_alloc(type, proto);
    int err = s == NULL ? -ENOBUFS : 0;
    if (s != NULL && proto == IPPROTO_ICMP)
        err = sock_dgram_bind(s, 0);        /* its echo identifier */
    if (err != 0 && s != NULL)
        sock_free(s);
    sock_unlock(irq);
    *out = err == 0 ? s : NULL;
    return err;
}

void sock_release(struct socket *s)
{
    uint32_t irq = sock_lock();
    if (s->type == SOCK_STREAM)
        sock_tcp_release(s);
    else
        sock_dgram_release(s);
    sock_free(s);
    sock_unlock(irq);
    sock_notify();              /* a peer may see EOF or a reset */
}

/* Only our own address, a loopback one, or any. */
static int check_local_addr(uint32_t ip)
{
    struct netif *nif = net_iface();
    if (ip == 0 || sock_is_loopback_addr(ip))
        return 0;
    return nif != NULL && ip == nif->ip ? 0 : -EADDRNOTAVAIL;
}

int sock_bind(struct socket *s, uint32_t ip, uint16_t port)
{
    uint32_t irq = sock_lock();
    int err = check_local_addr(ip);
    if (err == 0 && (s->local_port != 0 || s->tcb != NULL))
        err = -EINVAL;          /* bound already */
    if (err == 0) {
        s->alias_ip = sock_is_loopback_addr(ip) ? ip : 0;
        s->local_ip = ip;
        err = s->type == SOCK_STREAM ? sock_tcp_bind(s, port) : sock_dgram_bind(s, port);
        if (err != 0)
            s->local_ip = s->alias_ip = 0;
    }
    sock_unlock(irq);
    return err;
}

int sock_listen(struct socket *s, int backlog)
{
    if (s->type != SOCK_STREAM)
        return -EOPNOTSUPP;
    uint32_t irq = sock_lock();
    int err = sock_tcp_listen(s, backlog);
    sock_unlock(irq);
    return err;
}

int sock_accept(struct socket *s, struct socket **child)
{
    if (s->type != SOCK_STREAM)
        return -EOPNOTSUPP;
    uint32_t irq = sock_lock();
    int err = sock_tcp_accept(s, &irq, child);
    sock_unlock(irq);
    return err;
}

int sock_connect(struct socket *s, uint32_t ip, uint16_t port)
{
    uint32_t irq = sock_lock();
    int err = s->type == SOCK_STREAM ? sock_tcp_connect(s, &irq, ip, port)
                                     : sock_dgram_connect(s, ip, port);
    sock_unlock(irq);
    return err;
}

int sock_sendto(struct socket *s, const void *buf, size_t n, int flags, bool has_to,
                uint32_t to_ip, uint16_t to_port)
{
    bool was_nonblock = s->nonblock;
    uint32_t irq = sock_lock();
    if (flags & MSG_DONTWAIT)
        s->nonblock = true;
    int r = s->type == SOCK_STREAM ? sock_tcp_send(s, &irq, buf, n)
                                   : sock_dgram_send(s, &irq, buf, n, has_to, to_ip, to_port);
    s->nonblock = was_nonblock;
    sock_unlock(irq);
    return r;
}

int sock_recvfrom(struct socket *s, void *buf, size_t n, int flags, uint32_t *from_ip,
                  uint16_t *from_port)
{
    bool was_nonblock = s->nonblock;
    uint32_t irq = sock_lock();
    if (flags & MSG_DONTWAIT)
        s->nonblock = true;
    int r;
    if (s->type == SOCK_STREAM) {
        r = sock_tcp_recv(s, &irq, buf, n, flags);
        if (r >= 0 && s->tcb != NULL) {
            *from_ip = s->tcb->remote_ip;
            *from_port = s->tcb->remote_port;
        }
    } else {
        r = sock_dgram_recv(s, &irq, buf, n, flags, from_ip, from_port);
    }
    s->nonblock = was_nonblock;
    sock_unlock(irq);
    return r;
}

int sock_shutdown(struct socket *s, int how)
{
    if (how != SHUT_RD && how != SHUT_WR && how != SHUT_RDWR)
        return -EINVAL;
    uint32_t irq = sock_lock();
    int err;
    if (s->type == SOCK_STREAM) {
        err = sock_tcp_shutdown(s, how);
    } else {
        err = s->connected ? 0 : -ENOTCONN;
        if (err == 0) {
            s->shut_rd |= how != SHUT_WR;
            s->shut_wr |= how != SHUT_RD;
        }
    }
    sock_unlock(irq);
    sock_notify();              /* pollers of this socket: EOF now */
    return err;
}

int sock_setsockopt(struct socket *s, int level, int name, const void *val, uint32_t len)
{
    if (level == IPPROTO_TCP)
        return 0;               /* TCP_NODELAY and friends: we never delay anyway */
    if (level != SOL_SOCKET)
        return -ENOPROTOOPT;
    /* val is a byte buffer (sys_setsockopt's copy): memcpy, no cast. */
    if (name == SO_REUSEADDR) {
        int on;
        if (len < sizeof on)
            return -EINVAL;
        memcpy(&on, val, sizeof on);
        s->reuseaddr = on != 0;
        return 0;
    }
    if (name == SO_RCVTIMEO) {
        struct timeval tv;
        if (len < sizeof tv)
            return -EINVAL;
        memcpy(&tv, val, sizeof tv);
        if (tv.tv_sec < 0 || tv.tv_usec < 0 || tv.tv_usec >= 1000000)
            return -EINVAL;
        uint64_t ms = (uint64_t)tv.tv_sec * 1000 + (uint64_t)(tv.tv_usec + 999) / 1000;
        s->rcvtimeo_ms = ms > 0x7fffffff ? 0x7fffffff : (uint32_t)ms;
        return 0;
    }
    return -ENOPROTOOPT;
}

int sock_getsockopt(struct socket *s, int level, int name, void *val, uint32_t *len)
{
    if (level != SOL_SOCKET)
        return -ENOPROTOOPT;
    int v;
    if (name == SO_RCVTIMEO) {
        struct timeval tv = {(long)(s->rcvtimeo_ms / 1000), (long)(s->rcvtimeo_ms % 1000) * 1000};
        if (*len < sizeof tv)
            return -EINVAL;
        memcpy(val, &tv, sizeof tv);
        *len = sizeof tv;
        return 0;
    }
    uint32_t irq = sock_lock();
    if (name == SO_ERROR) {
        if (s->type == SOCK_STREAM && s->connecting)
            sock_tcp_poll(s);   /* a non-blocking connect may have ended: its error */
        v = s->error;
        if (v == 0 && s->tcb != NULL && !s->connecting)
            v = s->tcb->error;
        s->error = 0;
    } else if (name == SO_REUSEADDR) {
        v = s->reuseaddr;
    } else if (name == 3) {     /* SO_TYPE */
        v = s->type;
    } else {
        sock_unlock(irq);
        return -ENOPROTOOPT;
    }
    sock_unlock(irq);
    if (*len < sizeof v)
        return -EINVAL;
    memcpy(val, &v, sizeof v);
    *len = sizeof v;
    return 0;
}

/* Our address as the user should see it: the loopback alias it used. */
static uint32_t shown_addr(const struct socket *s, uint32_t ip)
{
    struct netif *nif = net_iface();
    if (s->alias_ip != 0 && nif != NULL && ip == nif->ip)
        return s->alias_ip;
    return ip;
}

int sock_getname(struct socket *s, bool peer, uint32_t *ip, uint16_t *port)
{
    uint32_t irq = sock_lock();
    int err = 0;
    if (s->tcb != NULL && s->tcb->state != TCP_LISTEN) {
        *ip = shown_addr(s, peer ? s->tcb->remote_ip : s->tcb->local_ip);
        *port = peer ? s->tcb->remote_port : s->tcb->local_port;
    } else if (peer) {
        err = s->connected ? 0 : -ENOTCONN;
        *ip = shown_addr(s, s->remote_ip);
        *port = s->remote_port;
    } else {
        *ip = s->alias_ip ? s->alias_ip : s->local_ip;
        *port = s->local_port;
    }
    sock_unlock(irq);
    return err;
}

unsigned sock_poll(struct socket *s)
{
    uint32_t irq = sock_lock();
    unsigned ev = s->type == SOCK_STREAM ? sock_tcp_poll(s) : sock_dgram_poll(s);
    if (s->shut_rd)
        ev |= POLLIN;           /* recv returns 0 at once */
    sock_unlock(irq);
    return ev;
}

static const char *proto_state(const struct socket *s)
{
    if (s->tcb != NULL)
        return tcp_state_name(s->tcb->state);
    if (s->type == SOCK_STREAM)
        return s->local_port ? "BOUND" : "CLOSED";
    return "-";
}

void sock_netstat(struct netstat_info *ni)
{
    uint32_t irq = sock_lock();
    ni->nsockets = 0;
    for (int i = 0; i < SOCK_MAX && ni->nsockets < NETSTAT_SOCKETS_MAX; i++) {
        struct socket *s = table[i];
        if (s == NULL)
            continue;
        struct netstat_socket *o = &ni->sockets[ni->nsockets++];
        o->proto = (uint32_t)s->proto;
        o->local_ip = s->local_ip;
        o->local_port = s->local_port;
        o->remote_ip = s->remote_ip;
        o->remote_port = s->remote_port;
        if (s->tcb != NULL) {
            o->local_ip = s->tcb->local_ip;
            o->local_port = s->tcb->local_port;
            o->remote_ip = s->tcb->remote_ip;
            o->remote_port = s->tcb->remote_port;
            o->rx_queued = s->tcb->rcvbuf.len;
            o->tx_queued = s->tcb->sndbuf.len;
        } else if (s->rxq != NULL) {
            o->rx_queued = dgq_bytes(s->rxq);
        }
        strncpy(o->state, proto_state(s), sizeof o->state - 1);
    }
    sock_unlock(irq);
}

/* netd's hook (stack.h): frames the stack queued to ourselves from its
 * timers (a retransmission, an ACK of a FIN) are delivered even when no
 * socket call comes along. net_lock is held. */
void net_loopback_poll(struct netif *nif, uint32_t now_ms)
{
    loopback_drain(nif, now_ms);
}
#endif /* LAB >= 6 */
