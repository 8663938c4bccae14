/* net_ipv4_test.c -- host tests for kernel/net/ipv4.c: the receive checks,
 * each malformed datagram dropped and counted by its reason, and output. */
#if LAB >= 6
#include "net_test_util.h"

TestSuite(ipv4, .init = net_setup_resolved, .timeout = 120);

static int delivered;
static uint8_t got[64];
static size_t got_len;

static void echo_recv(void *ctx, uint32_t src_ip, uint16_t src_port, uint16_t dst_port,
                      const uint8_t *data, size_t len, uint32_t now_ms)
{
    (void)ctx, (void)src_ip, (void)src_port, (void)dst_port, (void)now_ms;
    delivered++;
    got_len = len;
    memcpy(got, data, len < sizeof got ? len : sizeof got);
}

static uint8_t f[128];
static size_t flen;

/* f = the UDP "hello" frame, port 7 bound. */
static void hello(void)
{
    COPY(f, frame_udp_hello);
    flen = sizeof frame_udp_hello;
    delivered = 0;
    cr_assert_eq(udp_bind(&nif, 7, echo_recv, NULL), 0);
}

static void input(void)
{
    net_input(&nif, f, flen, 100);
}

Test(ipv4, a_real_datagram_is_delivered_without_its_padding)
{
    hello();
    input();
    assert_no_drops();
    cr_assert_eq(delivered, 1);
    cr_assert_eq(got_len, 6, "Ethernet padding delivered as data (%zu bytes)", got_len);
    cr_assert_eq(memcmp(got, "hello\n", 6), 0);
}

Test(ipv4, options_are_skipped)
{
    hello();
    COPY(f, frame_udp_hello_ip_options);
    flen = sizeof frame_udp_hello_ip_options;
    input();
    assert_no_drops();
    cr_assert_eq(delivered, 1);
    cr_assert_eq(memcmp(got, "hello\n", 6), 0);
}

/* RFC 1122 3.2.1.7: a host must not drop a datagram for TTL < 2. */
Test(ipv4, a_low_ttl_is_still_delivered)
{
    hello();
    f[ETH_HLEN + 8] = 1;
    fix_ip_checksum(f);
    input();
    cr_assert_eq(delivered, 1);
}

Test(ipv4, truncated_header)
{
    hello();
    flen = ETH_HLEN + IPV4_HLEN - 1;
    input();
    assert_dropped_for(NET_DROP_TRUNCATED);
}

Test(ipv4, options_longer_than_the_frame_are_truncated)
{
    hello();
    f[ETH_HLEN] = 0x4f;         /* IHL 15: 60 bytes of header, 46 in the frame */
    input();
    assert_dropped_for(NET_DROP_TRUNCATED);
}

Test(ipv4, bad_header_checksum)
{
    hello();
    f[ETH_HLEN + 10] ^= 0x01;
    input();
    assert_dropped_for(NET_DROP_BAD_CHECKSUM);
}

Test(ipv4, a_changed_header_byte_breaks_the_checksum)
{
    hello();
    f[ETH_HLEN + 15] ^= 0x80;   /* a source address byte */
    input();
    assert_dropped_for(NET_DROP_BAD_CHECKSUM);
}

Test(ipv4, ihl_below_5_is_a_bad_header)
{
    hello();
    f[ETH_HLEN] = 0x44;
    fix_ip_checksum(f);
    input();
    assert_dropped_for(NET_DROP_BAD_HEADER);
}

Test(ipv4, version_6_in_an_ipv4_frame_is_a_bad_header)
{
    hello();
    f[ETH_HLEN] = 0x65;
    fix_ip_checksum(f);
    input();
    assert_dropped_for(NET_DROP_BAD_HEADER);
}

/* The frame holds 46 bytes of IP (34 + padding); a total length of 47
 * claims a byte that is not there. */
Test(ipv4, total_length_larger_than_the_frame)
{
    hello();
    put_be16(f + ETH_HLEN + 2, (uint16_t)(flen - ETH_HLEN + 1));
    fix_ip_checksum(f);
    input();
    assert_dropped_for(NET_DROP_BAD_LENGTH);
}

Test(ipv4, total_length_larger_than_a_cut_frame)
{
    hello();
    flen = ETH_HLEN + 30;       /* the frame ends inside the UDP data */
    input();
    assert_dropped_for(NET_DROP_BAD_LENGTH);
}

Test(ipv4, total_length_up_to_the_frame_end_is_accepted)
{
    hello();
    put_be16(f + ETH_HLEN + 2, (uint16_t)(flen - ETH_HLEN));
    fix_ip_checksum(f);
    input();
    assert_no_drops();
    cr_assert_eq(delivered, 1, "UDP's own length cuts the rest");
    cr_assert_eq(got_len, 6);
}

Test(ipv4, total_length_smaller_than_the_header)
{
    hello();
    put_be16(f + ETH_HLEN + 2, 19);
    fix_ip_checksum(f);
    input();
    assert_dropped_for(NET_DROP_BAD_LENGTH);
}

Test(ipv4, first_fragment_is_dropped)
{
    hello();
    put_be16(f + ETH_HLEN + 6, 0x2000);     /* MF */
    fix_ip_checksum(f);
    input();
    assert_dropped_for(NET_DROP_FRAGMENT);
}

Test(ipv4, later_fragment_is_dropped)
{
    hello();
    put_be16(f + ETH_HLEN + 6, 0x00b9);     /* offset 185 * 8, last */
    fix_ip_checksum(f);
    input();
    assert_dropped_for(NET_DROP_FRAGMENT);
}

Test(ipv4, dont_fragment_is_not_a_fragment)
{
    hello();
    put_be16(f + ETH_HLEN + 6, 0x4000);     /* DF */
    fix_ip_checksum(f);
    input();
    cr_assert_eq(delivered, 1);
}

Test(ipv4, another_ip_is_the_wrong_address)
{
    hello();
    put_be32(f + ETH_HLEN + 16, IP4(10, 0, 2, 16));
    fix_ip_checksum(f);
    input();
    assert_dropped_for(NET_DROP_WRONG_ADDRESS);
}

Test(ipv4, a_broadcast_source_is_refused)
{
    hello();
    put_be32(f + ETH_HLEN + 12, IP4(255, 255, 255, 255));
    fix_ip_checksum(f);
    input();
    assert_dropped_for(NET_DROP_BAD_SOURCE);
}

Test(ipv4, unknown_protocol)
{
    hello();
    f[ETH_HLEN + 9] = 47;       /* GRE */
    fix_ip_checksum(f);
    input();
    assert_dropped_for(NET_DROP_UNKNOWN_PROTOCOL);
}

/* Protocol 6 goes to tcp_input (TCP's, or the weak default): the IP
 * layer itself drops nothing. */
Test(ipv4, tcp_passes_the_ip_checks)
{
    net_input(&nif, frame_tcp_syn, sizeof frame_tcp_syn, 100);
    static const enum net_drop_reason ip_reasons[] = {
        NET_DROP_TRUNCATED, NET_DROP_BAD_LENGTH, NET_DROP_BAD_HEADER, NET_DROP_FRAGMENT,
        NET_DROP_WRONG_ADDRESS, NET_DROP_BAD_SOURCE,
    };
    for (size_t i = 0; i < sizeof ip_reasons / sizeof ip_reasons[0]; i++)
        cr_assert_eq(netstat.drops[ip_reasons[i]], 0, "dropped for %s",
                     net_drop_name(ip_reasons[i]));
}

Test(ipv4, broadcast_destination_is_accepted)
{
    hello();
    put_be32(f + ETH_HLEN + 16, IP4(255, 255, 255, 255));
    fix_ip_checksum(f);
    /* The UDP checksum covers the destination: send none instead. */
    uint8_t *u = f + ETH_HLEN + IPV4_HLEN;
    put_be16(u + 6, 0);
    input();
    cr_assert_eq(delivered, 1);
}

Test(ipv4, output_header_is_correct)
{
    static const uint8_t data[100] = { 1 };
    cr_assert_eq(ipv4_send(&nif, GW_IP, 99, data, sizeof data, 0), 0);
    cr_assert_eq(sent.n, 1);
    assert_sent_ipv4(0, gw_mac, GW_IP, 99);
    cr_assert_eq(get_be16(sent_ip(0) + 2), IPV4_HLEN + sizeof data);
    cr_assert_eq(sent.len[0], ETH_HLEN + IPV4_HLEN + sizeof data);
    cr_assert_eq(ipv4_send(&nif, GW_IP, 99, data, sizeof data, 0), 0);
    cr_assert_neq(get_be16(sent_ip(0) + 4), get_be16(sent_ip(1) + 4), "same IP id twice");
}

Test(ipv4, output_larger_than_the_mtu_is_refused)
{
    static const uint8_t data[ETH_MTU - IPV4_HLEN + 1];
    cr_assert_lt(ipv4_send(&nif, GW_IP, 99, data, sizeof data, 0), 0);
    cr_assert_eq(sent.n, 0);
    cr_assert_eq(netstat.drops[NET_DROP_TOO_BIG], 1);
    cr_assert_eq(ipv4_send(&nif, GW_IP, 99, data, sizeof data - 1, 0), 0, "MTU exactly");
    cr_assert_eq(sent.len[0], ETH_HLEN + ETH_MTU);
}

Test(ipv4, broadcast_output_needs_no_arp)
{
    net_setup();                /* nothing resolved */
    cr_assert_eq(ipv4_send(&nif, IPV4_BROADCAST, 17, (const uint8_t *)"d", 1, 0), 0);
    cr_assert_eq(sent.n, 1);
    assert_sent_ipv4(0, eth_broadcast, IPV4_BROADCAST, 17);
}

Test(ipv4, off_link_without_a_gateway_is_refused)
{
    net_set_addr(&nif, GUEST_IP, NETMASK, 0);
    cr_assert_lt(ipv4_send(&nif, IP4(8, 8, 8, 8), 17, (const uint8_t *)"d", 1, 0), 0);
    cr_assert_eq(sent.n, 0);
    assert_dropped_for(NET_DROP_WRONG_ADDRESS);
}
#endif /* LAB >= 6 */
