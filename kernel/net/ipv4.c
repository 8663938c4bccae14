/* ipv4.c -- IPv4 receive and send for a host (ipv4.h). */
#if LAB >= 6
#include "net/ipv4.h"
#include "net/loopback.h"
#include "abi/errno.h"
#include "lab.h"
#include "net/arp.h"
#include "net/bytes.h"
#include "net/checksum.h"
#include "net/icmp.h"
#include "net/net.h"
#include "net/netstat.h"
#include "net/udp.h"
#include <stdbool.h>
#include <string.h>

#define IP_FLAG_MF      0x2000      /* more fragments */
#define IP_FRAG_OFFSET  0x1fff

static uint32_t subnet_broadcast(const struct netif *nif)
{
    return nif->ip | ~nif->netmask;
}

static bool ipv4_dst_is_ours(const struct netif *nif, uint32_t dst)
{
    if (dst == IPV4_BROADCAST)
        return true;
    if (nif->ip == 0)
        return false;           /* unconfigured: broadcast only (DHCP) */
    return dst == nif->ip || (nif->netmask != 0 && dst == subnet_broadcast(nif));
}

/* RFC 1122 3.2.1.3: a source that is broadcast or multicast is bogus. */
static bool ipv4_src_ok(const struct netif *nif, uint32_t src)
{
    return src != IPV4_BROADCAST && (src >> 28) != 0xe &&
           !(nif->ip != 0 && nif->netmask != 0 && src == subnet_broadcast(nif));
}

/* Check the header (RFC 791 3.1) against the real length; fill *ip.
 * Returns false with the drop counted. */
static bool ipv4_parse(const uint8_t *pkt, size_t len, struct ip_hdr_info *ip)
{
#if SOLVED >= 6
    if (len < IPV4_HLEN) {
        net_drop(NET_DROP_TRUNCATED);
        return false;
    }
    unsigned ihl = pkt[0] & 0x0f;
    if ((pkt[0] >> 4) != 4 || ihl < 5) {
        net_drop(NET_DROP_BAD_HEADER);
        return false;
    }
    size_t hlen = ihl * 4u;
    if (hlen > len) {
        net_drop(NET_DROP_TRUNCATED);
        return false;
    }
    if (inet_checksum(pkt, hlen) != 0) {
        net_drop(NET_DROP_BAD_CHECKSUM);
        return false;
    }
    uint16_t total = get_be16(pkt + 2);
    if (total < hlen || total > len) {
        /* total > len: the frame holds less than the header claims. */
        net_drop(NET_DROP_BAD_LENGTH);
        return false;
    }
    ip->hdr_len = (uint16_t)hlen;
    ip->total_len = total;
    ip->tos = pkt[1];
    ip->id = get_be16(pkt + 4);
    ip->ttl = pkt[8];
    ip->proto = pkt[9];
    ip->src = get_be32(pkt + 12);
    ip->dst = get_be32(pkt + 16);
    return true;
#else
    /* LAB 6 exercise 4: check the header against the frame, in this
     * order, dropping with net_drop(reason) and returning false at the
     * first failure: at least IPV4_HLEN bytes (NET_DROP_TRUNCATED);
     * version 4 and IHL >= 5 (NET_DROP_BAD_HEADER); the IHL*4 header
     * bytes all in the frame (NET_DROP_TRUNCATED); inet_checksum() over
     * those IHL*4 bytes is 0 (NET_DROP_BAD_CHECKSUM); IHL*4 <= total
     * length <= len (NET_DROP_BAD_LENGTH: the field is the sender's
     * claim, len is what arrived). Then fill *ip (get_be16/get_be32:
     * the fields are big-endian) and return true. */
    (void)pkt; (void)len; (void)ip;
    LAB_TODO_ONCE(6, 4, "ipv4_parse() (kernel/net/ipv4.c)");
    net_drop(NET_DROP_BAD_HEADER);
    return false;
#endif
}

void ipv4_input(struct netif *nif, const uint8_t *pkt, size_t len, uint32_t now_ms)
{
    struct ip_hdr_info ip;
    if (!ipv4_parse(pkt, len, &ip))
        return;
    if (!ipv4_dst_is_ours(nif, ip.dst)) {
        net_drop(NET_DROP_WRONG_ADDRESS);
        return;
    }
    if (!ipv4_src_ok(nif, ip.src)) {
        net_drop(NET_DROP_BAD_SOURCE);
        return;
    }
    /* No reassembly (a choice the lab documents): any piece of a
     * fragmented datagram, first or later, is dropped. */
    uint16_t frag = get_be16(pkt + 6);
    if ((frag & IP_FLAG_MF) || (frag & IP_FRAG_OFFSET)) {
        net_drop(NET_DROP_FRAGMENT);
        return;
    }
    /* Options (hdr_len > 20) are skipped: none is required of a host
     * that does not route or record. Padding past total_len is cut. */
    const uint8_t *payload = pkt + ip.hdr_len;
    size_t plen = (size_t)ip.total_len - ip.hdr_len;
    switch (ip.proto) {
    case IP_PROTO_ICMP:
        icmp_input(nif, &ip, payload, plen, now_ms);
        break;
    case IP_PROTO_UDP:
        udp_input(nif, &ip, payload, plen, now_ms);
        break;
    case IP_PROTO_TCP:
        tcp_input(&ip, payload, plen, now_ms);
        break;
    default:
        net_drop(NET_DROP_UNKNOWN_PROTOCOL);
        break;
    }
}

/* Where the frame goes on the wire: the destination itself if it is on
 * our subnet (or a broadcast), else the gateway; 0 if nowhere. */
static uint32_t ipv4_nexthop(const struct netif *nif, uint32_t dst)
{
    if (dst == IPV4_BROADCAST || ((dst ^ nif->ip) & nif->netmask) == 0)
        return dst;
    return nif->gateway;
}

static void ipv4_put_header(struct netif *nif, uint8_t *h, uint32_t dst, uint8_t proto,
                            size_t total)
{
    h[0] = 0x45;                /* version 4, IHL 5: no options */
    h[1] = 0;
    put_be16(h + 2, (uint16_t)total);
    put_be16(h + 4, nif->next_ip_id++);
    put_be16(h + 6, 0);         /* no flags, offset 0 */
    h[8] = IPV4_TTL;            /* RFC 1122 3.2.1.7: never send TTL 0 */
    h[9] = proto;
    put_be16(h + 10, 0);
    put_be32(h + 12, nif->ip);
    put_be32(h + 16, dst);
    put_be16(h + 10, inet_checksum(h, IPV4_HLEN));
}

int ipv4_output(struct netif *nif, uint32_t dst, uint8_t proto, struct netbuf *nb,
                uint32_t now_ms)
{
    if (nb->len + IPV4_HLEN > ETH_MTU) {
        net_drop(NET_DROP_TOO_BIG);     /* we do not fragment */
        return -EINVAL;
    }
    uint32_t nexthop = dst == nif->ip ? dst : ipv4_nexthop(nif, dst);
    if (nexthop == 0) {
        net_drop(NET_DROP_WRONG_ADDRESS);       /* off-link and no gateway */
        return -EINVAL;
    }
    uint8_t *h = netbuf_push(nb, IPV4_HLEN);
    if (h == NULL) {
        net_drop(NET_DROP_NO_MEMORY);
        return -ENOMEM;
    }
    ipv4_put_header(nif, h, dst, proto, nb->len);
    if (dst == nif->ip)
        return loopback_output(nif, nb);        /* to ourselves: no wire, no ARP */
    if (nexthop == IPV4_BROADCAST || (nif->netmask != 0 && nexthop == subnet_broadcast(nif)))
        return eth_output(nif, eth_broadcast, ETHERTYPE_IPV4, nb);
    return arp_output(nif, nexthop, nb, now_ms);
}

int ipv4_send(struct netif *nif, uint32_t dst, uint8_t proto, const uint8_t *payload,
              size_t len, uint32_t now_ms)
{
    netbuf_init(&nif->tx, NETBUF_HEADROOM);
    if (netbuf_append(&nif->tx, payload, len) != 0) {
        net_drop(NET_DROP_TOO_BIG);
        return -EINVAL;
    }
    return ipv4_output(nif, dst, proto, &nif->tx, now_ms);
}
#endif /* LAB >= 6 */
