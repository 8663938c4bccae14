/* net_icmp_test.c -- host tests for kernel/net/icmp.c: answering ping,
 * pinging, and the malformed messages. */
#if LAB >= 6
#include "net_test_util.h"

TestSuite(icmp, .init = net_setup_resolved, .timeout = 120);

static uint8_t f[128];
static size_t flen;

static void ping(void)
{
    COPY(f, frame_ping_request);
    flen = sizeof frame_ping_request;
}

/* Fix the ICMP checksum after a change (message from IP header to total length). */
static void fix_icmp_checksum(void)
{
    uint8_t *ip = f + ETH_HLEN;
    uint8_t *m = ip + IPV4_HLEN;
    size_t mlen = get_be16(ip + 2) - IPV4_HLEN;
    put_be16(m + 2, 0);
    put_be16(m + 2, inet_checksum(m, mlen));
}

Test(icmp, a_ping_from_the_gateway_is_answered)
{
    ping();
    net_input(&nif, f, flen, 100);
    assert_no_drops();
    cr_assert_eq(sent.n, 1);
    assert_sent_ipv4(0, gw_mac, GW_IP, IP_PROTO_ICMP);
    const uint8_t *ip = sent_ip(0);
    const uint8_t *req = frame_ping_request + ETH_HLEN + IPV4_HLEN;
    size_t mlen = sizeof frame_ping_request - ETH_HLEN - IPV4_HLEN;
    cr_assert_eq(get_be16(ip + 2), IPV4_HLEN + mlen);
    const uint8_t *m = ip + IPV4_HLEN;
    cr_assert_eq(m[0], ICMP_ECHO_REPLY);
    cr_assert_eq(m[1], 0);
    cr_assert_eq(inet_checksum(m, mlen), 0, "bad ICMP checksum");
    cr_assert_eq(memcmp(m + 4, req + 4, mlen - 4), 0, "id, seq or data changed");
}

Test(icmp, a_ping_while_the_gateway_is_unknown_waits_for_arp)
{
    net_setup();
    ping();
    net_input(&nif, f, flen, 100);
    cr_assert_eq(sent.n, 1);
    cr_assert_eq(get_be16(sent.frame[0] + 12), ETHERTYPE_ARP);
    net_input(&nif, frame_arp_reply_from_gw, sizeof frame_arp_reply_from_gw, 110);
    cr_assert_eq(sent.n, 2);
    assert_sent_ipv4(1, gw_mac, GW_IP, IP_PROTO_ICMP);
    cr_assert_eq(sent_ip(1)[IPV4_HLEN], ICMP_ECHO_REPLY);
}

Test(icmp, bad_checksum)
{
    ping();
    f[flen - 1] ^= 0x55;        /* a data byte */
    net_input(&nif, f, flen, 100);
    assert_dropped_for(NET_DROP_BAD_CHECKSUM);
    cr_assert_eq(sent.n, 0);
}

Test(icmp, truncated_message)
{
    ping();
    uint8_t *ip = f + ETH_HLEN;
    put_be16(ip + 2, IPV4_HLEN + 4);
    fix_ip_checksum(f);
    net_input(&nif, f, flen, 100);
    assert_dropped_for(NET_DROP_TRUNCATED);
    cr_assert_eq(sent.n, 0);
}

Test(icmp, other_types_are_counted)
{
    ping();
    f[ETH_HLEN + IPV4_HLEN] = 13;       /* timestamp request */
    fix_icmp_checksum();
    net_input(&nif, f, flen, 100);
    assert_dropped_for(NET_DROP_ICMP_TYPE);
    cr_assert_eq(sent.n, 0);
}

Test(icmp, a_ping_to_broadcast_is_ignored)
{
    ping();
    put_be32(f + ETH_HLEN + 16, IP4(10, 0, 2, 255));
    fix_ip_checksum(f);
    net_input(&nif, f, flen, 100);
    assert_dropped_for(NET_DROP_WRONG_ADDRESS);
    cr_assert_eq(sent.n, 0);
}

static int replies;
static uint32_t reply_from;
static uint16_t reply_id, reply_seq;
static size_t reply_len;

static void on_reply(void *ctx, uint32_t from, uint16_t id, uint16_t seq, const uint8_t *data,
                     size_t len, uint32_t now_ms)
{
    (void)ctx, (void)data, (void)now_ms;
    replies++;
    reply_from = from;
    reply_id = id;
    reply_seq = seq;
    reply_len = len;
}

Test(icmp, echo_replies_reach_the_callback)
{
    nif.on_echo_reply = on_reply;
    net_input(&nif, frame_ping_reply, sizeof frame_ping_reply, 100);
    assert_no_drops();
    cr_assert_eq(replies, 1);
    cr_assert_eq(reply_from, GW_IP);
    cr_assert_eq(reply_id, 0x4242);
    cr_assert_eq(reply_seq, 7);
    cr_assert_eq(reply_len, 32);
    cr_assert_eq(sent.n, 0, "a reply was answered");
}

Test(icmp, the_guest_can_ping)
{
    static const uint8_t data[] = "abcdefgh";
    cr_assert_eq(icmp_send_echo(&nif, GW_IP, 0x77, 3, data, 8, 100), 0);
    cr_assert_eq(sent.n, 1);
    assert_sent_ipv4(0, gw_mac, GW_IP, IP_PROTO_ICMP);
    const uint8_t *m = sent_ip(0) + IPV4_HLEN;
    cr_assert_eq(m[0], ICMP_ECHO_REQUEST);
    cr_assert_eq(get_be16(m + 4), 0x77);
    cr_assert_eq(get_be16(m + 6), 3);
    cr_assert_eq(memcmp(m + 8, data, 8), 0);
    cr_assert_eq(inet_checksum(m, ICMP_HLEN + 8), 0);
}
#endif /* LAB >= 6 */
