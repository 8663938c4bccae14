/* socket_udp.c -- datagram sockets: UDP (RFC 768) and ICMP echo, Linux's
 * "ping socket" (socket.h). Runs under net_lock (sock_lock). */
#if LAB >= 6
#include "net/socket.h"
#include "net/bytes.h"
#include "net/checksum.h"
#include "net/dgram_queue.h"
#include "net/icmp.h"
#include "net/net.h"
#include "net/netstat.h"
#include "net/stack.h"
#include "net/udp.h"
#include "abi/errno.h"
#include "abi/netstat.h"
#include "abi/poll.h"
#include "abi/socket.h"
#include <string.h>

#define UDP_MAX_PAYLOAD (DGRAM_MAX - UDP_HLEN)     /* 1472: no fragmentation */

/* Datagram counters for netstat (drops are counted by net_drop too). */
static struct {
    uint32_t udp_in, udp_out, udp_queue_full, icmp_echo_out, icmp_echo_in;
} counters;

static uint16_t next_ephemeral = 49152;     /* RFC 6335's dynamic ports */
static uint16_t next_echo_id = 0x5450;      /* "TP": any start will do */

static void queue_datagram(struct socket *s, uint32_t ip, uint16_t port, const void *data,
                           size_t len)
{
    if (s->shut_rd)
        return;
    if (!dgq_push(s->rxq, ip, port, data, len)) {
        counters.udp_queue_full++;
        net_drop(NET_DROP_NO_MEMORY);   /* the reader is too slow: UDP may lose it */
        return;
    }
    sock_notify();
}

/* udp_bind()'s callback: a datagram for this socket's port. */
static void udp_deliver(void *ctx, uint32_t src_ip, uint16_t src_port, uint16_t dst_port,
                        const uint8_t *data, size_t len, uint32_t now_ms)
{
    (void)dst_port;
    (void)now_ms;
    struct socket *s = ctx;
    /* A connected socket hears only its peer (POSIX connect() on
     * SOCK_DGRAM). */
    if (s->connected && (src_ip != s->remote_ip || src_port != s->remote_port))
        return;
    counters.udp_in++;
    queue_datagram(s, src_ip, src_port, data, len);
}

static struct socket *find_echo_socket(uint16_t id)
{
    for (int i = 0; i < SOCK_MAX; i++) {
        struct socket *s = sock_at(i);
        if (s != NULL && s->proto == IPPROTO_ICMP && s->icmp_id == id)
            return s;
    }
    return NULL;
}

/* The netif's echo-reply callback: rebuild the ICMP message (RFC 792
 * "Echo or Echo Reply Message") for the ping socket whose identifier it
 * carries; recvfrom() returns it header and all, as Linux does. */
static void echo_deliver(void *ctx, uint32_t from, uint16_t id, uint16_t seq,
                         const uint8_t *data, size_t len, uint32_t now_ms)
{
    (void)ctx;
    (void)now_ms;
    static uint8_t msg[DGRAM_MAX];      /* net_lock held: one user at a time */
    struct socket *s = find_echo_socket(id);
    if (s == NULL || len > DGRAM_MAX - ICMP_HLEN)
        return;
    msg[0] = ICMP_ECHO_REPLY;
    msg[1] = 0;
    put_be16(msg + 2, 0);
    put_be16(msg + 4, id);
    put_be16(msg + 6, seq);
    memcpy(msg + ICMP_HLEN, data, len);
    put_be16(msg + 2, inet_checksum(msg, ICMP_HLEN + len));
    counters.icmp_echo_in++;
    queue_datagram(s, from, 0, msg, ICMP_HLEN + len);
}

static int bind_echo_id(struct socket *s, uint16_t id)
{
    struct netif *nif = net_iface();
    if (nif != NULL)
        nif->on_echo_reply = echo_deliver;
    for (int tries = 0; id == 0 && tries < 65536; tries++) {
        uint16_t cand = next_echo_id++;
        if (cand != 0 && find_echo_socket(cand) == NULL)
            id = cand;
    }
    if (id == 0 || (find_echo_socket(id) != NULL && find_echo_socket(id) != s))
        return -EADDRINUSE;
    s->icmp_id = id;
    s->local_port = id;
    return 0;
}

static int bind_udp_port(struct socket *s, uint16_t port)
{
    struct netif *nif = net_iface();
    if (nif == NULL)
        return -ENETUNREACH;
    int err = -EADDRINUSE;
    if (port != 0) {
        err = udp_bind(nif, port, udp_deliver, s);
    } else {
        for (int tries = 0; tries < 65536 - 49152 && err == -EADDRINUSE; tries++) {
            port = next_ephemeral;
            next_ephemeral = next_ephemeral == 65535 ? 49152 : (uint16_t)(next_ephemeral + 1);
            err = udp_bind(nif, port, udp_deliver, s);
            if (err == -EEXIST)
                err = -EADDRINUSE;
        }
    }
    if (err == -EEXIST)
        return -EADDRINUSE;
    if (err == -ENOSPC)
        return -ENOBUFS;        /* the UDP table (UDP_PORTS_MAX) is full */
    if (err == 0)
        s->local_port = port;
    return err;
}

int sock_dgram_bind(struct socket *s, uint16_t port)
{
    return s->proto == IPPROTO_ICMP ? bind_echo_id(s, port) : bind_udp_port(s, port);
}

int sock_dgram_connect(struct socket *s, uint32_t ip, uint16_t port)
{
    int err;
    struct netif *nif = sock_iface(&err);
    if (nif == NULL)
        return err;
    if (s->proto == IPPROTO_UDP && port == 0)
        return -EINVAL;
    if (s->proto == IPPROTO_UDP && s->local_port == 0 && (err = bind_udp_port(s, 0)) != 0)
        return err;
    if (sock_is_loopback_addr(ip))
        s->alias_ip = ip;
    s->remote_ip = sock_route_addr(nif, ip);
    s->remote_port = port;
    s->connected = true;
    return 0;
}

static int send_echo(struct socket *s, struct netif *nif, const uint8_t *msg, size_t n,
                     uint32_t dst)
{
    if (n < ICMP_HLEN || msg[0] != ICMP_ECHO_REQUEST || msg[1] != 0)
        return -EINVAL;         /* a ping socket sends echo requests only */
    int err = icmp_send_echo(nif, dst, s->icmp_id, get_be16(msg + 6), msg + ICMP_HLEN,
                             n - ICMP_HLEN, net_now_ms());
    if (err == 0)
        counters.icmp_echo_out++;
    return err;
}

int sock_dgram_send(struct socket *s, uint32_t *irq, const void *buf, size_t n, bool has_to,
                    uint32_t to_ip, uint16_t to_port)
{
    (void)irq;
    int err;
    if (s->shut_wr)
        return -EPIPE;
    if (!has_to && !s->connected)
        return -EDESTADDRREQ;
    struct netif *nif = sock_iface(&err);
    if (nif == NULL)
        return err;
    uint32_t dst = has_to ? sock_route_addr(nif, to_ip) : s->remote_ip;
    uint16_t port = has_to ? to_port : s->remote_port;
    if (has_to && sock_is_loopback_addr(to_ip))
        s->alias_ip = to_ip;
    if (dst == 0)
        return -EINVAL;
    if (n > (s->proto == IPPROTO_ICMP ? DGRAM_MAX : UDP_MAX_PAYLOAD))
        return -EMSGSIZE;
    if (s->proto == IPPROTO_ICMP) {
        err = send_echo(s, nif, buf, n, dst);
        return err != 0 ? err : (int)n;
    }
    if (port == 0)
        return -EINVAL;
    if (s->local_port == 0 && (err = bind_udp_port(s, 0)) != 0)
        return err;
    err = udp_send(nif, s->local_port, dst, port, buf, n, net_now_ms());
    if (err != 0)
        return err;
    counters.udp_out++;
    return (int)n;
}

static bool dgram_readable(struct socket *s)
{
    return !dgq_empty(s->rxq) || s->shut_rd;
}

int sock_dgram_recv(struct socket *s, uint32_t *irq, void *buf, size_t n, int flags,
                    uint32_t *from_ip, uint16_t *from_port)
{
    int err = sock_wait(s, irq, dgram_readable, true);
    if (err != 0)
        return err;
    int got = dgq_pop(s->rxq, buf, n, from_ip, from_port, (flags & MSG_PEEK) != 0);
    if (got < 0)
        return 0;               /* shut down for reading */
    struct netif *nif = net_iface();
    if (s->alias_ip != 0 && nif != NULL && *from_ip == nif->ip)
        *from_ip = s->alias_ip;
    return got;
}

void sock_dgram_release(struct socket *s)
{
    struct netif *nif = net_iface();
    if (s->proto == IPPROTO_UDP && s->local_port != 0 && nif != NULL)
        udp_unbind(nif, s->local_port);
}

unsigned sock_dgram_poll(struct socket *s)
{
    return (dgq_empty(s->rxq) ? 0 : POLLIN) | (s->shut_wr ? 0 : POLLOUT);
}

void sock_dgram_counters(struct netstat_info *ni)
{
    ni->udp_in = counters.udp_in;
    ni->udp_out = counters.udp_out;
    ni->udp_queue_full = counters.udp_queue_full;
    ni->icmp_echo_out = counters.icmp_echo_out;
    ni->icmp_echo_in = counters.icmp_echo_in;
}
#endif /* LAB >= 6 */
