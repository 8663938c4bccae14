/*
 * net.h -- one network interface and the stack's entry points.
 *
 * The stack is pure logic: a driver hands it received frames through
 * net_input() and gets frames to send through the interface's transmit
 * callback. Time is passed in (now_ms, milliseconds from any origin, may
 * wrap); nothing here sleeps, takes locks or allocates. It is not
 * re-entrant: the caller serializes calls on one netif (a lock in the
 * kernel). The callbacks that deliver packets may call the send functions
 * (udp_send from a UDP receive callback), but must not call net_input.
 *
 * Addresses are host-order uint32_t (IP4(10,0,2,15)); MACs are 6 bytes.
 */
#ifndef NET_NET_H
#define NET_NET_H

#if LAB >= 6
#include <stddef.h>
#include <stdint.h>
#include "net/arp.h"
#include "net/eth.h"
#include "net/icmp.h"
#include "net/netbuf.h"
#include "net/udp.h"

/* Sends one whole Ethernet frame (without FCS). */
typedef void (*net_tx_fn)(void *ctx, const uint8_t *frame, size_t len);

struct netif {
    uint8_t mac[ETH_ALEN];
    uint32_t ip;                /* 0 until configured (DHCP) */
    uint32_t netmask;
    uint32_t gateway;           /* 0: no gateway, off-link destinations are dropped */
    net_tx_fn transmit;
    void *tx_ctx;
    uint16_t next_ip_id;
    struct arp_table arp;
    struct udp_table udp;
    icmp_echo_reply_fn on_echo_reply;   /* may be NULL */
    void *echo_ctx;
    struct netbuf tx;           /* scratch: the packet being built */
};

void net_init(struct netif *nif, const uint8_t mac[ETH_ALEN], net_tx_fn transmit, void *ctx);
void net_set_addr(struct netif *nif, uint32_t ip, uint32_t netmask, uint32_t gateway);
/* One received Ethernet frame (no FCS) of len bytes. */
void net_input(struct netif *nif, const uint8_t *frame, size_t len, uint32_t now_ms);
/* Timers: ARP retries and expiry. Call every few hundred milliseconds. */
void net_tick(struct netif *nif, uint32_t now_ms);

/* Hand a finished frame to the driver (counts it). */
void net_transmit(struct netif *nif, const uint8_t *frame, size_t len);

/* "Time a is before time b", correct across the 2^32 ms wrap (49 days). */
static inline int net_time_before(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b) < 0;
}
#endif /* LAB >= 6 */

#endif
