/* udp.c -- UDP receive, send and port demultiplexing (udp.h). */
#if LAB >= 6
#include "net/udp.h"
#include "abi/errno.h"
#include "net/bytes.h"
#include "net/checksum.h"
#include "net/ipv4.h"
#include "net/net.h"
#include "net/netstat.h"
#include <string.h>

void udp_init(struct udp_table *t)
{
    memset(t, 0, sizeof *t);
}

static struct udp_binding *udp_find(struct udp_table *t, uint16_t port)
{
    for (int i = 0; i < UDP_PORTS_MAX; i++)
        if (t->bound[i].port == port)
            return &t->bound[i];
    return NULL;
}

int udp_bind(struct netif *nif, uint16_t port, udp_recv_fn recv, void *ctx)
{
    if (port == 0 || recv == NULL)
        return -EINVAL;
    if (udp_find(&nif->udp, port) != NULL)
        return -EEXIST;
    struct udp_binding *b = udp_find(&nif->udp, 0);
    if (b == NULL)
        return -ENOSPC;
    b->port = port;
    b->recv = recv;
    b->ctx = ctx;
    return 0;
}

int udp_unbind(struct netif *nif, uint16_t port)
{
    struct udp_binding *b = port != 0 ? udp_find(&nif->udp, port) : NULL;
    if (b == NULL)
        return -ENOENT;
    memset(b, 0, sizeof *b);
    return 0;
}

void udp_input(struct netif *nif, const struct ip_hdr_info *ip, const uint8_t *dgram,
               size_t len, uint32_t now_ms)
{
    if (len < UDP_HLEN) {
        net_drop(NET_DROP_TRUNCATED);
        return;
    }
    uint16_t ulen = get_be16(dgram + 4);
    if (ulen < UDP_HLEN || ulen > len) {
        net_drop(NET_DROP_BAD_LENGTH);
        return;
    }
    /* RFC 768: the checksum covers the pseudo-header, the header and the
     * data (ulen bytes); a transmitted 0 means the sender computed none. */
    if (get_be16(dgram + 6) != 0 &&
        csum_fold(csum_add(csum_pseudo(ip->src, ip->dst, IP_PROTO_UDP, ulen), dgram, ulen)) != 0) {
        net_drop(NET_DROP_BAD_CHECKSUM);
        return;
    }
    uint16_t dport = get_be16(dgram + 2);
    struct udp_binding *b = dport != 0 ? udp_find(&nif->udp, dport) : NULL;
    if (b == NULL) {
        net_drop(NET_DROP_NO_PORT);
        return;
    }
    net_count(&netstat.rx_delivered);
    b->recv(b->ctx, ip->src, get_be16(dgram), dport, dgram + UDP_HLEN, ulen - UDP_HLEN, now_ms);
}

int udp_send(struct netif *nif, uint16_t src_port, uint32_t dst, uint16_t dst_port,
             const uint8_t *data, size_t len, uint32_t now_ms)
{
    struct netbuf *nb = &nif->tx;
    netbuf_init(nb, NETBUF_HEADROOM);
    uint8_t *h = netbuf_put(nb, UDP_HLEN);
    if (h == NULL || len > 0xffff - UDP_HLEN || netbuf_append(nb, data, len) != 0) {
        net_drop(NET_DROP_TOO_BIG);
        return -EINVAL;
    }
    uint16_t ulen = (uint16_t)nb->len;
    put_be16(h, src_port);
    put_be16(h + 2, dst_port);
    put_be16(h + 4, ulen);
    put_be16(h + 6, 0);
    uint16_t sum = csum_fold(csum_add(csum_pseudo(nif->ip, dst, IP_PROTO_UDP, ulen), h, ulen));
    put_be16(h + 6, sum == 0 ? 0xffff : sum);     /* RFC 768: 0 would mean "none" */
    return ipv4_output(nif, dst, IP_PROTO_UDP, nb, now_ms);
}
#endif /* LAB >= 6 */
