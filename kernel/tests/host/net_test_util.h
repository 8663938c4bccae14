/* net_test_util.h -- what the kernel/net host tests share: an interface set
 * up as QEMU's slirp guest, a transmit callback that keeps every frame sent,
 * and helpers to damage a frame. Included by the net_*_test.c files only. */
#ifndef NET_TEST_UTIL_H
#define NET_TEST_UTIL_H

#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>
#include "net/bytes.h"
#include "net/checksum.h"
#include "net/ipv4.h"
#include "net/net.h"
#include "net/netstat.h"
#include "net_frames.h"

#define GUEST_IP IP4(10, 0, 2, 15)
#define GW_IP    IP4(10, 0, 2, 2)
#define NETMASK  IP4(255, 255, 255, 0)

__attribute__((unused)) static const uint8_t guest_mac[ETH_ALEN] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
__attribute__((unused)) static const uint8_t gw_mac[ETH_ALEN] = { 0x52, 0x55, 0x0a, 0x00, 0x02, 0x02 };

#define MAX_SENT 32

struct sent_frames {
    int n;
    size_t len[MAX_SENT];
    uint8_t frame[MAX_SENT][NETBUF_SIZE];
};

static struct netif nif;
static struct sent_frames sent;

static inline void capture_tx(void *ctx, const uint8_t *frame, size_t len)
{
    struct sent_frames *s = ctx;
    cr_assert_lt(s->n, MAX_SENT, "more frames sent than the test expects");
    cr_assert_leq(len, sizeof s->frame[0], "frame of %zu bytes", len);
    memcpy(s->frame[s->n], frame, len);
    s->len[s->n++] = len;
}

/* The guest, configured, ARP cache empty, counters zero. */
static inline void net_setup(void)
{
    netstat_reset();
    memset(&sent, 0, sizeof sent);
    net_init(&nif, guest_mac, capture_tx, &sent);
    net_set_addr(&nif, GUEST_IP, NETMASK, GW_IP);
}

/* The same, with the gateway's MAC already known at time 0. */
static inline void net_setup_resolved(void)
{
    net_setup();
    net_input(&nif, frame_arp_reply_from_gw, sizeof frame_arp_reply_from_gw, 0);
    cr_assert_eq(sent.n, 0, "an ARP reply is not answered");
    cr_assert_eq(netstat_drops_total(), 0, "the gateway's ARP reply was dropped");
}

/* Exactly one drop so far, for this reason. */
static inline void assert_dropped_for(enum net_drop_reason reason)
{
    cr_assert_eq(netstat.drops[reason], 1, "expected one drop for \"%s\", got %u",
                 net_drop_name(reason), netstat.drops[reason]);
    cr_assert_eq(netstat_drops_total(), 1, "expected 1 drop in all, got %u (first: %s)",
                 netstat_drops_total(), net_drop_name(reason));
    cr_assert_eq(netstat.rx_delivered, 0, "a dropped packet was delivered");
}

static inline void assert_no_drops(void)
{
    for (int r = 0; r < NET_DROP_COUNT; r++)
        cr_assert_eq(netstat.drops[r], 0, "unexpected drop: \"%s\" x%u", net_drop_name(r),
                     netstat.drops[r]);
}

/* Recompute the IPv4 header checksum of an Ethernet frame after a change. */
static inline void fix_ip_checksum(uint8_t *frame)
{
    uint8_t *ip = frame + ETH_HLEN;
    size_t hlen = (ip[0] & 0x0f) * 4u;
    put_be16(ip + 10, 0);
    put_be16(ip + 10, inet_checksum(ip, hlen));
}

/* Header fields of frame i that was sent. */
static inline uint8_t *sent_ip(int i)
{
    return sent.frame[i] + ETH_HLEN;
}

/* Frame i is a well-formed IPv4 frame from us to dst_mac: checks the
 * Ethernet header, version, IHL, TTL, header checksum, and addresses. */
static inline void assert_sent_ipv4(int i, const uint8_t *dst_mac, uint32_t dst, uint8_t proto)
{
    cr_assert_lt(i, sent.n, "frame %d was not sent (%d sent)", i, sent.n);
    const uint8_t *f = sent.frame[i];
    cr_assert_geq(sent.len[i], ETH_MIN_FRAME, "frame shorter than 60 bytes");
    cr_assert_eq(memcmp(f, dst_mac, ETH_ALEN), 0, "wrong destination MAC");
    cr_assert_eq(memcmp(f + 6, guest_mac, ETH_ALEN), 0, "wrong source MAC");
    cr_assert_eq(get_be16(f + 12), ETHERTYPE_IPV4);
    const uint8_t *ip = f + ETH_HLEN;
    cr_assert_eq(ip[0], 0x45, "version/IHL %#x", ip[0]);
    cr_assert_eq(ip[8], IPV4_TTL, "TTL %u", ip[8]);
    cr_assert_eq(ip[9], proto, "protocol %u", ip[9]);
    cr_assert_eq(get_be16(ip + 6), 0, "fragment bits set");
    cr_assert_eq(inet_checksum(ip, IPV4_HLEN), 0, "bad IP header checksum %#x",
                 get_be16(ip + 10));
    cr_assert_leq(get_be16(ip + 2) + ETH_HLEN, sent.len[i], "total length past the frame");
    cr_assert_eq(get_be32(ip + 12), GUEST_IP);
    cr_assert_eq(get_be32(ip + 16), dst);
}

#define COPY(dst, src) memcpy(dst, src, sizeof(src))
#endif
