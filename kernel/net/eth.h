/*
 * eth.h -- Ethernet II framing (IEEE 802.3, as RFC 894 uses it for IP).
 *
 * A frame is destination MAC, source MAC, EtherType, payload; the NIC
 * adds and strips the FCS. Frames shorter than 60 bytes are padded with
 * zeros on output, so the payload of a received frame can be longer than
 * the packet in it: the layers above trust their own length fields only
 * to shorten the data, never to lengthen it.
 */
#ifndef NET_ETH_H
#define NET_ETH_H

#if LAB >= 6
#include <stddef.h>
#include <stdint.h>
#include "net/netbuf.h"

#define ETH_ALEN        6
#define ETH_HLEN        14
#define ETH_MTU         1500            /* largest payload */
#define ETH_MIN_FRAME   60              /* without the FCS */
#define ETHERTYPE_IPV4  0x0800
#define ETHERTYPE_ARP   0x0806

struct netif;

extern const uint8_t eth_broadcast[ETH_ALEN];

/* One received frame: check the destination, hand the payload to ARP or IPv4. */
void eth_input(struct netif *nif, const uint8_t *frame, size_t len, uint32_t now_ms);
/* Push the Ethernet header in front of nb's packet, pad to the minimum
 * size, transmit. 0, or negative errno (counted as a drop). */
int eth_output(struct netif *nif, const uint8_t dst[ETH_ALEN], uint16_t ethertype,
               struct netbuf *nb);
#endif /* LAB >= 6 */

#endif
