/*
 * arp.h -- the Address Resolution Protocol for IPv4 over Ethernet (RFC 826),
 * with a cache that forgets, and packets that wait for their answer.
 *
 * Cache entries are learned from ARP packets (RFC 826's "merge" rule: an
 * entry for the sender is updated whenever it talks; a new one is made
 * only when the packet is for us) and expire ARP_ENTRY_TTL_MS after they
 * were last confirmed, so a host that changed its MAC is asked again
 * (RFC 1122 2.3.2.1: a cache must time out its entries).
 * An IP packet for a next hop whose MAC is unknown is copied into a small
 * queue, and a request is broadcast; the reply sends the queued packets in
 * the order they came. Without a reply the request is repeated every
 * ARP_RETRY_MS, ARP_MAX_TRIES times in all (RFC 1122 2.3.2.1: at most
 * one request a second per address), then the queued packets are dropped.
 */
#ifndef NET_ARP_H
#define NET_ARP_H

#if LAB >= 6
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "net/eth.h"
#include "net/netbuf.h"

#define ARP_CACHE_SIZE    16
#define ARP_PENDING_MAX   8
#define ARP_ENTRY_TTL_MS  60000
#define ARP_RETRY_MS      1000
#define ARP_MAX_TRIES     3
#define ARP_PKT_LEN       28            /* Ethernet/IPv4 ARP packet */
#define ARP_OP_REQUEST    1
#define ARP_OP_REPLY      2

enum arp_state { ARP_FREE, ARP_PENDING, ARP_RESOLVED };

struct arp_entry {
    uint32_t ip;
    uint8_t mac[ETH_ALEN];
    uint8_t state;              /* enum arp_state */
    uint8_t tries;              /* PENDING: requests sent */
    uint32_t deadline;          /* RESOLVED: expiry; PENDING: next retry */
};

/* A packet waiting for its next hop's MAC. */
struct arp_pending {
    bool used;
    uint32_t nexthop;
    uint32_t seq;               /* arrival order: flushed oldest first */
    struct netbuf nb;           /* the IP packet, without Ethernet header */
};

struct arp_table {
    struct arp_entry entry[ARP_CACHE_SIZE];
    struct arp_pending pending[ARP_PENDING_MAX];
    uint32_t next_seq;
};

struct netif;

void arp_init(struct arp_table *t);
/* One received ARP packet (the Ethernet payload, len bytes). */
void arp_input(struct netif *nif, const uint8_t *pkt, size_t len, uint32_t now_ms);
/* Send the IPv4 packet in nb to the next hop `nexthop`: now if its MAC is
 * known, else queued until the reply. 0 if sent or queued, else negative
 * errno (the drop is counted). nb is not used after the call. */
int arp_output(struct netif *nif, uint32_t nexthop, struct netbuf *nb, uint32_t now_ms);
/* Retries, give-ups and expiry. */
void arp_tick(struct netif *nif, uint32_t now_ms);
/* A known, unexpired MAC for ip: true and *mac filled. */
bool arp_lookup(struct netif *nif, uint32_t ip, uint8_t mac[ETH_ALEN], uint32_t now_ms);
/* Packets waiting in the queue (for tests and netstat). */
int arp_pending_count(const struct arp_table *t);
#endif /* LAB >= 6 */

#endif
