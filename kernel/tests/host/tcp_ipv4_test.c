/* tcp_ipv4_test.c -- host test of TCP under the real receive path: an
 * Ethernet frame through net_input() reaches tcp_input() (not the weak
 * "unknown protocol" default of tcp_hook.c), and TCP's answers leave
 * through ipv4_send() and ARP as Ethernet frames (tcp_ipv4.c). */
#if LAB >= 6
#include "tcp_test_util.h"
#include "net/net.h"

#define GW_IP PEER_IP
static const uint8_t guest_mac[ETH_ALEN] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static const uint8_t gw_mac[ETH_ALEN] = { 0x52, 0x55, 0x0a, 0x00, 0x02, 0x02 };

static struct netif nif;
static uint8_t tx[8][NETBUF_SIZE];
static size_t txlen[8];
static int ntx;

static void capture_frame(void *ctx, const uint8_t *frame, size_t len)
{
    (void)ctx;
    cr_assert_lt(ntx, 8);
    memcpy(tx[ntx], frame, len);
    txlen[ntx++] = len;
}

static void setup(void)
{
    netstat_reset();
    ntx = 0;
    net_init(&nif, guest_mac, capture_frame, NULL);
    net_set_addr(&nif, US_IP, IP4(255, 255, 255, 0), GW_IP);
    tcp_attach(&nif);
    tcp_set_isn_fn(fixed_isn);
    next_isn = US_ISN;
}

static size_t eth_header(uint8_t *f, uint16_t type)
{
    memcpy(f, guest_mac, ETH_ALEN);
    memcpy(f + 6, gw_mac, ETH_ALEN);
    put_be16(f + 12, type);
    return ETH_HLEN;
}

/* The gateway's ARP reply, so that queued packets leave. */
static void arp_reply_from_gw(uint32_t now)
{
    uint8_t f[60] = { 0 };
    uint8_t *a = f + eth_header(f, ETHERTYPE_ARP);
    put_be16(a, 1);
    put_be16(a + 2, ETHERTYPE_IPV4);
    a[4] = 6;
    a[5] = 4;
    put_be16(a + 6, 2);
    memcpy(a + 8, gw_mac, 6);
    put_be32(a + 14, GW_IP);
    memcpy(a + 18, guest_mac, 6);
    put_be32(a + 24, US_IP);
    net_input(&nif, f, sizeof f, now);
}

/* A SYN from the gateway to port dport, as a whole Ethernet frame. */
static void syn_frame(uint16_t dport, uint32_t now)
{
    uint8_t f[80] = { 0 };
    uint8_t *ip = f + eth_header(f, ETHERTYPE_IPV4);
    uint8_t *seg = ip + 20;
    struct tcp_seg s = { .src_ip = GW_IP, .dst_ip = US_IP, .sport = PEER_PORT, .dport = dport,
                         .seq = PEER_ISN, .flags = TCP_SYN, .wnd = 8000, .mss = 1460 };
    size_t n = tcp_build(seg, &s, true);
    ip[0] = 0x45;
    put_be16(ip + 2, (uint16_t)(20 + n));
    ip[8] = 64;
    ip[9] = IP_PROTO_TCP;
    put_be32(ip + 12, GW_IP);
    put_be32(ip + 16, US_IP);
    put_be16(ip + 10, inet_checksum(ip, 20));
    size_t len = ETH_HLEN + 20 + n;
    net_input(&nif, f, len < 60 ? 60 : len, now);
}

/* The TCP segment inside transmitted frame i (an IPv4 frame). */
static struct tcp_seg tx_segment(int i)
{
    cr_assert_lt(i, ntx);
    cr_assert_eq(get_be16(tx[i] + 12), ETHERTYPE_IPV4, "frame %d is not IPv4", i);
    const uint8_t *ip = tx[i] + ETH_HLEN;
    size_t ihl = (size_t)(ip[0] & 0xf) * 4;
    size_t total = get_be16(ip + 2);
    cr_assert_eq(ip[9], IP_PROTO_TCP);
    struct tcp_seg s;
    cr_assert_eq(tcp_parse(&s, get_be32(ip + 12), get_be32(ip + 16), ip + ihl, total - ihl), 0,
                 "the segment's checksum is wrong on the wire");
    return s;
}

TestSuite(tcp_ipv4, .init = setup, .timeout = 120);

Test(tcp_ipv4, syn_to_a_closed_port_is_reset_on_the_wire)
{
    syn_frame(81, 0);
    cr_expect_eq(netstat.drops[NET_DROP_NO_PORT], 1u);
    cr_expect_eq(netstat.drops[NET_DROP_UNKNOWN_PROTOCOL], 0u, "the weak tcp_input ran");
    cr_assert_eq(ntx, 1, "one ARP request while the RST waits");
    cr_expect_eq(get_be16(tx[0] + 12), ETHERTYPE_ARP);
    arp_reply_from_gw(1);
    cr_assert_eq(ntx, 2);
    struct tcp_seg r = tx_segment(1);
    cr_expect_eq(r.flags, TCP_RST | TCP_ACK);
    cr_expect_eq(r.ack, PEER_ISN + 1);
    cr_expect_eq(r.sport, 81);
}

Test(tcp_ipv4, syn_to_a_listener_gets_a_syn_ack_on_the_wire)
{
    cr_assert_not_null(tcp_listen(0, 80, 4, NULL));
    arp_reply_from_gw(0);
    syn_frame(80, 1);
    cr_assert_eq(ntx, 1);
    struct tcp_seg r = tx_segment(0);
    cr_expect_eq(r.flags, TCP_SYN | TCP_ACK);
    cr_expect_eq(r.seq, US_ISN);
    cr_expect_eq(r.ack, PEER_ISN + 1);
    cr_expect_eq(r.mss, TCP_MSS);
    cr_expect_eq(netstat_drops_total(), 0u);
}
#endif /* LAB >= 6 */
