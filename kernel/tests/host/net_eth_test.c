/* net_eth_test.c -- host tests for kernel/net/eth.c and net_input's first step. */
#if LAB >= 6
#include "net_test_util.h"

TestSuite(eth, .init = net_setup, .timeout = 120);

Test(eth, frames_shorter_than_the_header_are_truncated)
{
    for (size_t len = 0; len < ETH_HLEN; len++)
        net_input(&nif, frame_udp_hello, len, 0);
    cr_assert_eq(netstat.drops[NET_DROP_TRUNCATED], ETH_HLEN);
    cr_assert_eq(netstat.rx_frames, ETH_HLEN);
    cr_assert_eq(sent.n, 0);
}

Test(eth, another_hosts_mac_is_the_wrong_address)
{
    uint8_t f[sizeof frame_ping_request];
    COPY(f, frame_ping_request);
    f[5] ^= 1;
    net_input(&nif, f, sizeof f, 0);
    assert_dropped_for(NET_DROP_WRONG_ADDRESS);
    cr_assert_eq(sent.n, 0, "a ping to another MAC was answered");
}

Test(eth, multicast_is_the_wrong_address)
{
    uint8_t f[sizeof frame_ping_request];
    COPY(f, frame_ping_request);
    static const uint8_t mcast[ETH_ALEN] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };
    memcpy(f, mcast, ETH_ALEN);
    net_input(&nif, f, sizeof f, 0);
    assert_dropped_for(NET_DROP_WRONG_ADDRESS);
}

Test(eth, unknown_ethertypes_are_counted)
{
    uint8_t f[sizeof frame_udp_hello];
    COPY(f, frame_udp_hello);
    put_be16(f + 12, 0x86dd);           /* IPv6 */
    net_input(&nif, f, sizeof f, 0);
    put_be16(f + 12, 0x0030);           /* an 802.3 length field */
    net_input(&nif, f, sizeof f, 0);
    cr_assert_eq(netstat.drops[NET_DROP_UNKNOWN_ETHERTYPE], 2);
    cr_assert_eq(netstat_drops_total(), 2);
}

Test(eth, broadcast_reaches_arp)
{
    net_input(&nif, frame_arp_request_from_gw, sizeof frame_arp_request_from_gw, 0);
    assert_no_drops();
    cr_assert_eq(sent.n, 1, "the broadcast ARP request got no reply");
}

Test(eth, output_pads_short_frames_to_60_bytes)
{
    struct netbuf nb;
    netbuf_init(&nb, NETBUF_HEADROOM);
    netbuf_append(&nb, "abc", 3);
    cr_assert_eq(eth_output(&nif, gw_mac, 0x88b5, &nb), 0);
    cr_assert_eq(sent.n, 1);
    cr_assert_eq(sent.len[0], ETH_MIN_FRAME);
    cr_assert_eq(memcmp(sent.frame[0], gw_mac, 6), 0);
    cr_assert_eq(memcmp(sent.frame[0] + 6, guest_mac, 6), 0);
    cr_assert_eq(get_be16(sent.frame[0] + 12), 0x88b5);
    cr_assert_eq(memcmp(sent.frame[0] + 14, "abc", 3), 0);
    for (size_t i = 17; i < ETH_MIN_FRAME; i++)
        cr_assert_eq(sent.frame[0][i], 0, "padding byte %zu not zero", i);
    cr_assert_eq(netstat.tx_frames, 1);
}

Test(eth, output_refuses_more_than_the_mtu)
{
    struct netbuf nb;
    netbuf_init(&nb, NETBUF_HEADROOM);
    cr_assert_not_null(netbuf_put(&nb, ETH_MTU + 1));
    cr_assert_lt(eth_output(&nif, gw_mac, ETHERTYPE_IPV4, &nb), 0);
    cr_assert_eq(sent.n, 0);
    cr_assert_eq(netstat.drops[NET_DROP_TOO_BIG], 1);
}
#endif /* LAB >= 6 */
