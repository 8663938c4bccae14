/*
 * udp.h -- the User Datagram Protocol (RFC 768) and its table of bound ports.
 *
 * Receive: the length field is checked against the IP payload (it may be
 * shorter, never longer), the checksum verified over the pseudo-header
 * when the sender computed one (0 means "none", RFC 768), and the data
 * handed to the callback bound to the destination port; a datagram for an
 * unbound port is counted as "no such port" (no ICMP port unreachable is
 * sent: not done). Send: checksum always computed, 0 sent as 0xffff.
 */
#ifndef NET_UDP_H
#define NET_UDP_H

#if LAB >= 6
#include <stddef.h>
#include <stdint.h>

#define UDP_HLEN        8
#define UDP_PORTS_MAX   16

struct netif;
struct ip_hdr_info;

/* One received datagram for a bound port. */
typedef void (*udp_recv_fn)(void *ctx, uint32_t src_ip, uint16_t src_port, uint16_t dst_port,
                            const uint8_t *data, size_t len, uint32_t now_ms);

struct udp_binding {
    uint16_t port;              /* 0: free slot */
    udp_recv_fn recv;
    void *ctx;
};

struct udp_table {
    struct udp_binding bound[UDP_PORTS_MAX];
};

void udp_init(struct udp_table *t);
/* Deliver datagrams for port to recv(ctx, ...). 0, -EEXIST if the port is
 * taken, -ENOSPC if the table is full, -EINVAL for port 0. */
int udp_bind(struct netif *nif, uint16_t port, udp_recv_fn recv, void *ctx);
/* 0, or -ENOENT if nothing was bound to port. */
int udp_unbind(struct netif *nif, uint16_t port);
void udp_input(struct netif *nif, const struct ip_hdr_info *ip, const uint8_t *dgram,
               size_t len, uint32_t now_ms);
/* 0 if sent or queued for ARP, else negative errno. */
int udp_send(struct netif *nif, uint16_t src_port, uint32_t dst, uint16_t dst_port,
             const uint8_t *data, size_t len, uint32_t now_ms);
#endif /* LAB >= 6 */

#endif
