/* tcp_ipv4.c -- TCP's output glued to one IPv4 interface.
 *
 * tcp.c itself knows no interface: its output callback gets a finished
 * segment and the two addresses of its pseudo-header. Here that callback
 * becomes ipv4_send() on the netif, which puts the IP header in front
 * (with the netif's address as source) and resolves the next hop by ARP. */
#if LAB >= 6
#include "net/tcp.h"
#include "net/ipv4.h"
#include "net/net.h"
#include "net/netstat.h"

static void tcp_ipv4_output(void *ctx, uint32_t src, uint32_t dst, const uint8_t *seg,
                            size_t len, uint32_t now_ms)
{
    struct netif *nif = ctx;
    /* The checksum covers src: a segment from another address than the
     * netif's (its address changed under a connection, by DHCP say)
     * would arrive with a bad checksum. Count it rather than send it. */
    if (src != nif->ip) {
        net_drop(NET_DROP_WRONG_ADDRESS);
        return;
    }
    ipv4_send(nif, dst, IP_PROTO_TCP, seg, len, now_ms);
}

void tcp_attach(struct netif *nif)
{
    tcp_init(tcp_ipv4_output, nif);
}
#endif /* LAB >= 6 */
