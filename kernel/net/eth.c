/* eth.c -- Ethernet II framing (eth.h). */
#if LAB >= 6
#include "net/eth.h"
#include "abi/errno.h"
#include "net/arp.h"
#include "net/bytes.h"
#include "net/ipv4.h"
#include "net/net.h"
#include "net/netstat.h"
#include <string.h>

const uint8_t eth_broadcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

/* Ours or broadcast. Multicast groups are never joined, so they are
 * "wrong address" too (the E1000 filters most of them anyway). */
static int eth_dst_is_ours(const struct netif *nif, const uint8_t *dst)
{
    return memcmp(dst, nif->mac, ETH_ALEN) == 0 || memcmp(dst, eth_broadcast, ETH_ALEN) == 0;
}

void eth_input(struct netif *nif, const uint8_t *frame, size_t len, uint32_t now_ms)
{
    if (len < ETH_HLEN) {
        net_drop(NET_DROP_TRUNCATED);
        return;
    }
    if (!eth_dst_is_ours(nif, frame)) {
        net_drop(NET_DROP_WRONG_ADDRESS);
        return;
    }
    uint16_t type = get_be16(frame + 12);
    const uint8_t *payload = frame + ETH_HLEN;
    size_t plen = len - ETH_HLEN;
    switch (type) {
    case ETHERTYPE_ARP:
        arp_input(nif, payload, plen, now_ms);
        break;
    case ETHERTYPE_IPV4:
        ipv4_input(nif, payload, plen, now_ms);
        break;
    default:
        /* Includes 802.3 length fields (< 0x600) and VLAN tags (0x8100). */
        net_drop(NET_DROP_UNKNOWN_ETHERTYPE);
        break;
    }
}

int eth_output(struct netif *nif, const uint8_t dst[ETH_ALEN], uint16_t ethertype,
               struct netbuf *nb)
{
    if (nb->len > ETH_MTU) {
        net_drop(NET_DROP_TOO_BIG);
        return -EINVAL;
    }
    uint8_t *h = netbuf_push(nb, ETH_HLEN);
    if (h == NULL) {
        net_drop(NET_DROP_NO_MEMORY);
        return -ENOMEM;
    }
    memcpy(h, dst, ETH_ALEN);
    memcpy(h + ETH_ALEN, nif->mac, ETH_ALEN);
    put_be16(h + 12, ethertype);
    if (nb->len < ETH_MIN_FRAME) {
        /* Pad with zeros (IEEE 802.3 minimum frame): the padding is not
         * part of the packet, the receiver's length fields say so. */
        size_t pad = ETH_MIN_FRAME - nb->len;
        uint8_t *p = netbuf_put(nb, pad);
        if (p == NULL) {
            net_drop(NET_DROP_NO_MEMORY);
            return -ENOMEM;
        }
        memset(p, 0, pad);
    }
    net_transmit(nif, netbuf_head(nb), nb->len);
    return 0;
}
#endif /* LAB >= 6 */
