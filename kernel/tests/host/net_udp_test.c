/* net_udp_test.c -- host tests for kernel/net/udp.c: the port table,
 * checksums over the pseudo-header, lengths, and an echo service. */
#if LAB >= 6
#include "net_test_util.h"
#include "abi/errno.h"

TestSuite(udp, .init = net_setup_resolved, .timeout = 120);

static int delivered;
static uint32_t last_src;
static uint16_t last_sport, last_dport;
static uint8_t got[64];
static size_t got_len;

static void recv_cb(void *ctx, uint32_t src_ip, uint16_t src_port, uint16_t dst_port,
                    const uint8_t *data, size_t len, uint32_t now_ms)
{
    (void)now_ms;
    delivered++;
    if (ctx != NULL)
        *(int *)ctx += 1;
    last_src = src_ip;
    last_sport = src_port;
    last_dport = dst_port;
    got_len = len;
    memcpy(got, data, len < sizeof got ? len : sizeof got);
}

/* udpecho: send the bytes back where they came from. */
static void echo_cb(void *ctx, uint32_t src_ip, uint16_t src_port, uint16_t dst_port,
                    const uint8_t *data, size_t len, uint32_t now_ms)
{
    struct netif *n = ctx;
    cr_assert_eq(udp_send(n, dst_port, src_ip, src_port, data, len, now_ms), 0);
}

static uint8_t f[128];
static size_t flen;
static uint8_t *udp_hdr;

static void hello(void)
{
    COPY(f, frame_udp_hello);
    flen = sizeof frame_udp_hello;
    udp_hdr = f + ETH_HLEN + IPV4_HLEN;
}

static void input(void)
{
    net_input(&nif, f, flen, 100);
}

Test(udp, a_datagram_reaches_its_port)
{
    int mine = 0;
    cr_assert_eq(udp_bind(&nif, 7, recv_cb, &mine), 0);
    cr_assert_eq(udp_bind(&nif, 8, recv_cb, NULL), 0);
    hello();
    input();
    assert_no_drops();
    cr_assert_eq(mine, 1, "delivered to the wrong binding");
    cr_assert_eq(last_src, GW_IP);
    cr_assert_eq(last_sport, 40000);
    cr_assert_eq(last_dport, 7);
    cr_assert_eq(got_len, 6);
    cr_assert_eq(memcmp(got, "hello\n", 6), 0);
    cr_assert_eq(netstat.rx_delivered, 1);
}

Test(udp, an_unbound_port_is_counted)
{
    cr_assert_eq(udp_bind(&nif, 8, recv_cb, NULL), 0);
    hello();
    input();
    assert_dropped_for(NET_DROP_NO_PORT);
    cr_assert_eq(delivered, 0);
}

Test(udp, bad_checksum)
{
    udp_bind(&nif, 7, recv_cb, NULL);
    hello();
    udp_hdr[8] ^= 0x20;         /* "Hello" */
    input();
    assert_dropped_for(NET_DROP_BAD_CHECKSUM);
}

Test(udp, no_checksum_is_accepted)
{
    udp_bind(&nif, 7, recv_cb, NULL);
    hello();
    put_be16(udp_hdr + 6, 0);
    input();
    cr_assert_eq(delivered, 1);
}

Test(udp, length_larger_than_the_ip_payload)
{
    udp_bind(&nif, 7, recv_cb, NULL);
    hello();
    put_be16(udp_hdr + 4, 15);
    input();
    assert_dropped_for(NET_DROP_BAD_LENGTH);
}

Test(udp, length_smaller_than_the_header)
{
    udp_bind(&nif, 7, recv_cb, NULL);
    hello();
    put_be16(udp_hdr + 4, 7);
    input();
    assert_dropped_for(NET_DROP_BAD_LENGTH);
}

Test(udp, truncated_header)
{
    udp_bind(&nif, 7, recv_cb, NULL);
    hello();
    put_be16(f + ETH_HLEN + 2, IPV4_HLEN + 7);
    fix_ip_checksum(f);
    input();
    assert_dropped_for(NET_DROP_TRUNCATED);
}

Test(udp, binding_rules)
{
    cr_assert_eq(udp_bind(&nif, 0, recv_cb, NULL), -EINVAL);
    cr_assert_eq(udp_bind(&nif, 7, recv_cb, NULL), 0);
    cr_assert_eq(udp_bind(&nif, 7, recv_cb, NULL), -EEXIST);
    for (int p = 1; p < UDP_PORTS_MAX; p++)
        cr_assert_eq(udp_bind(&nif, (uint16_t)(1000 + p), recv_cb, NULL), 0);
    cr_assert_eq(udp_bind(&nif, 2000, recv_cb, NULL), -ENOSPC);
    cr_assert_eq(udp_unbind(&nif, 7), 0);
    cr_assert_eq(udp_unbind(&nif, 7), -ENOENT);
    cr_assert_eq(udp_bind(&nif, 2000, recv_cb, NULL), 0);
    hello();
    input();
    assert_dropped_for(NET_DROP_NO_PORT);
}

/* What `nc -u` to the guest's udpecho sees. */
Test(udp, an_echo_service_answers_with_a_valid_checksum)
{
    cr_assert_eq(udp_bind(&nif, 7, echo_cb, &nif), 0);
    hello();
    input();
    assert_no_drops();
    cr_assert_eq(sent.n, 1);
    assert_sent_ipv4(0, gw_mac, GW_IP, IP_PROTO_UDP);
    const uint8_t *u = sent_ip(0) + IPV4_HLEN;
    cr_assert_eq(get_be16(u), 7);
    cr_assert_eq(get_be16(u + 2), 40000);
    cr_assert_eq(get_be16(u + 4), UDP_HLEN + 6);
    cr_assert_neq(get_be16(u + 6), 0, "no checksum sent");
    uint32_t sum = csum_pseudo(GUEST_IP, GW_IP, IP_PROTO_UDP, UDP_HLEN + 6);
    cr_assert_eq(csum_fold(csum_add(sum, u, UDP_HLEN + 6)), 0, "bad UDP checksum");
    cr_assert_eq(memcmp(u + 8, "hello\n", 6), 0);
}
#endif /* LAB >= 6 */
