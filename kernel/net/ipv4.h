/*
 * ipv4.h -- the Internet Protocol, version 4 (RFC 791), for a host.
 *
 * Receive: the header is checked against the frame's real length (never
 * the total-length field alone), its checksum verified, options skipped,
 * fragments dropped and counted (no reassembly), the frame's Ethernet
 * padding cut off at total-length, and the payload handed to ICMP, UDP or
 * tcp_input(). A host does not drop a datagram for its TTL (RFC 1122
 * 3.2.1.7: "MUST NOT discard a datagram just because it was received with
 * TTL less than 2"); TTL is a router's business. Send: a 20-byte header,
 * TTL 64, DF clear, a fresh identification, the header checksum, then
 * ARP for the next hop (the destination on our subnet, else the gateway).
 */
#ifndef NET_IPV4_H
#define NET_IPV4_H

#if LAB >= 6
#include <stddef.h>
#include <stdint.h>
#include "net/netbuf.h"

#define IPV4_HLEN        20         /* without options */
#define IPV4_TTL         64         /* RFC 1700's default */
#define IPV4_BROADCAST   0xffffffffu
#define IP_PROTO_ICMP    1
#define IP_PROTO_TCP     6
#define IP_PROTO_UDP     17

/* What the upper layers get to know about the datagram that carried
 * their segment. Addresses in host order. */
struct ip_hdr_info {
    uint32_t src;
    uint32_t dst;
    uint8_t proto;
    uint8_t ttl;
    uint8_t tos;
    uint16_t id;
    uint16_t hdr_len;           /* bytes, options included */
    uint16_t total_len;         /* header + payload, as checked against the frame */
};

struct netif;

/* One received datagram (the Ethernet payload, len bytes with padding). */
void ipv4_input(struct netif *nif, const uint8_t *pkt, size_t len, uint32_t now_ms);
/* Push an IPv4 header in front of the payload in nb and send it to dst.
 * 0 if sent or queued for ARP, else negative errno (counted as a drop). */
int ipv4_output(struct netif *nif, uint32_t dst, uint8_t proto, struct netbuf *nb,
                uint32_t now_ms);
/* The same for a payload that is elsewhere: copied into the netif's
 * scratch buffer first. For TCP's segments, say. */
int ipv4_send(struct netif *nif, uint32_t dst, uint8_t proto, const uint8_t *payload,
              size_t len, uint32_t now_ms);

/* TCP's entry point (helper "tcp", kernel/net/tcp*.c): seg is the whole
 * segment, len bytes (the IP payload, padding cut off), checksum not yet
 * verified (csum_pseudo(ip->src, ip->dst, IP_PROTO_TCP, len) + the
 * segment must fold to 0). Until TCP exists a weak default counts
 * "unknown protocol" (tcp_hook.c). */
void tcp_input(const struct ip_hdr_info *ip, const uint8_t *seg, size_t len, uint32_t now_ms);
#endif /* LAB >= 6 */

#endif
