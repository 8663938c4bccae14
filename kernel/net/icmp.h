/*
 * icmp.h -- ICMP echo (RFC 792 "Echo or Echo Reply Message"): the host
 * answers ping, and can ping.
 *
 * An echo request is answered with the same identifier, sequence number
 * and data, type 0, to the sender (RFC 1122 3.2.2.6). An echo reply goes
 * to the interface's on_echo_reply callback (the ping program). Other
 * types are counted as "unhandled ICMP type" (destination unreachable and
 * friends would be for TCP/UDP error reporting, not done).
 */
#ifndef NET_ICMP_H
#define NET_ICMP_H

#if LAB >= 6
#include <stddef.h>
#include <stdint.h>

#define ICMP_HLEN           8
#define ICMP_ECHO_REPLY     0
#define ICMP_ECHO_REQUEST   8

struct netif;
struct ip_hdr_info;

typedef void (*icmp_echo_reply_fn)(void *ctx, uint32_t from, uint16_t id, uint16_t seq,
                                   const uint8_t *data, size_t len, uint32_t now_ms);

void icmp_input(struct netif *nif, const struct ip_hdr_info *ip, const uint8_t *msg,
                size_t len, uint32_t now_ms);
/* Send an echo request to dst. 0 if sent or queued for ARP, else negative errno. */
int icmp_send_echo(struct netif *nif, uint32_t dst, uint16_t id, uint16_t seq,
                   const uint8_t *data, size_t len, uint32_t now_ms);
#endif /* LAB >= 6 */

#endif
