/* icmp.c -- ICMP echo request and reply (icmp.h). */
#if LAB >= 6
#include "net/icmp.h"
#include "abi/errno.h"
#include "net/bytes.h"
#include "net/checksum.h"
#include "net/ipv4.h"
#include "net/net.h"
#include "net/netstat.h"
#include <string.h>

/* Build an echo message (RFC 792: type, code 0, checksum, identifier,
 * sequence number, data) in the netif's scratch buffer and send it. */
static int icmp_send(struct netif *nif, uint32_t dst, uint8_t type, uint16_t id, uint16_t seq,
                     const uint8_t *data, size_t len, uint32_t now_ms)
{
    struct netbuf *nb = &nif->tx;
    netbuf_init(nb, NETBUF_HEADROOM);
    uint8_t *m = netbuf_put(nb, ICMP_HLEN);
    if (m == NULL || netbuf_append(nb, data, len) != 0) {
        net_drop(NET_DROP_TOO_BIG);
        return -EINVAL;
    }
    m[0] = type;
    m[1] = 0;
    put_be16(m + 2, 0);
    put_be16(m + 4, id);
    put_be16(m + 6, seq);
    put_be16(m + 2, inet_checksum(m, nb->len));   /* over the whole message */
    return ipv4_output(nif, dst, IP_PROTO_ICMP, nb, now_ms);
}

int icmp_send_echo(struct netif *nif, uint32_t dst, uint16_t id, uint16_t seq,
                   const uint8_t *data, size_t len, uint32_t now_ms)
{
    return icmp_send(nif, dst, ICMP_ECHO_REQUEST, id, seq, data, len, now_ms);
}

void icmp_input(struct netif *nif, const struct ip_hdr_info *ip, const uint8_t *msg,
                size_t len, uint32_t now_ms)
{
    if (len < ICMP_HLEN) {
        net_drop(NET_DROP_TRUNCATED);
        return;
    }
    if (inet_checksum(msg, len) != 0) {
        net_drop(NET_DROP_BAD_CHECKSUM);
        return;
    }
    uint16_t id = get_be16(msg + 4);
    uint16_t seq = get_be16(msg + 6);
    const uint8_t *data = msg + ICMP_HLEN;
    size_t dlen = len - ICMP_HLEN;
    switch (msg[0]) {
    case ICMP_ECHO_REQUEST:
        /* RFC 1122 3.2.2.6: a request to a broadcast address MAY be
         * ignored; we do, so that one ping cannot make a storm. */
        if (ip->dst != nif->ip) {
            net_drop(NET_DROP_WRONG_ADDRESS);
            return;
        }
        net_count(&netstat.rx_delivered);
        icmp_send(nif, ip->src, ICMP_ECHO_REPLY, id, seq, data, dlen, now_ms);
        break;
    case ICMP_ECHO_REPLY:
        net_count(&netstat.rx_delivered);
        if (nif->on_echo_reply != NULL)
            nif->on_echo_reply(nif->echo_ctx, ip->src, id, seq, data, dlen, now_ms);
        break;
    default:
        net_drop(NET_DROP_ICMP_TYPE);
        break;
    }
}
#endif /* LAB >= 6 */
