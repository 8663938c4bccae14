/* net_arp_test.c -- host tests for kernel/net/arp.c: answering requests,
 * the cache and its timeouts, packets queued until the reply. */
#if LAB >= 6
#include "net_test_util.h"

TestSuite(arp, .init = net_setup, .timeout = 120);

static const uint8_t *sent_arp(int i)
{
    cr_assert_lt(i, sent.n, "frame %d was not sent", i);
    cr_assert_eq(get_be16(sent.frame[i] + 12), ETHERTYPE_ARP, "frame %d is not ARP", i);
    return sent.frame[i] + ETH_HLEN;
}

/* The frame 10.0.2.2 sends: "who has 10.0.2.15?" gets our MAC back. */
Test(arp, a_request_for_us_is_answered)
{
    net_input(&nif, frame_arp_request_from_gw, sizeof frame_arp_request_from_gw, 0);
    assert_no_drops();
    cr_assert_eq(sent.n, 1);
    cr_assert_eq(sent.len[0], ETH_MIN_FRAME);
    cr_assert_eq(memcmp(sent.frame[0], gw_mac, 6), 0, "reply not sent to the asker");
    cr_assert_eq(memcmp(sent.frame[0] + 6, guest_mac, 6), 0);
    const uint8_t *a = sent_arp(0);
    cr_assert_eq(get_be16(a), 1);
    cr_assert_eq(get_be16(a + 2), ETHERTYPE_IPV4);
    cr_assert_eq(a[4], 6);
    cr_assert_eq(a[5], 4);
    cr_assert_eq(get_be16(a + 6), ARP_OP_REPLY);
    cr_assert_eq(memcmp(a + 8, guest_mac, 6), 0, "sender MAC is not ours");
    cr_assert_eq(get_be32(a + 14), GUEST_IP);
    cr_assert_eq(memcmp(a + 18, gw_mac, 6), 0);
    cr_assert_eq(get_be32(a + 24), GW_IP);
}

Test(arp, a_request_teaches_us_the_sender)
{
    uint8_t mac[ETH_ALEN];
    cr_assert_not(arp_lookup(&nif, GW_IP, mac, 0));
    net_input(&nif, frame_arp_request_from_gw, sizeof frame_arp_request_from_gw, 0);
    cr_assert(arp_lookup(&nif, GW_IP, mac, 0));
    cr_assert_eq(memcmp(mac, gw_mac, 6), 0);
}

Test(arp, a_request_for_another_host_is_not_answered)
{
    uint8_t f[sizeof frame_arp_request_from_gw];
    COPY(f, frame_arp_request_from_gw);
    put_be32(f + ETH_HLEN + 24, IP4(10, 0, 2, 16));
    net_input(&nif, f, sizeof f, 0);
    cr_assert_eq(sent.n, 0);
    assert_dropped_for(NET_DROP_WRONG_ADDRESS);
    uint8_t mac[ETH_ALEN];
    cr_assert_not(arp_lookup(&nif, GW_IP, mac, 0), "learned from a packet not for us");
}

Test(arp, an_unconfigured_interface_answers_nothing)
{
    net_set_addr(&nif, 0, 0, 0);
    net_input(&nif, frame_arp_request_from_gw, sizeof frame_arp_request_from_gw, 0);
    cr_assert_eq(sent.n, 0);
}

Test(arp, truncated_packets_are_dropped)
{
    /* 27 bytes of ARP after the Ethernet header: one short. */
    net_input(&nif, frame_arp_request_from_gw, ETH_HLEN + ARP_PKT_LEN - 1, 0);
    assert_dropped_for(NET_DROP_TRUNCATED);
    cr_assert_eq(sent.n, 0);
}

Test(arp, wrong_hardware_or_protocol_sizes_are_bad_headers)
{
    static const size_t field[] = { 1, 3, 4, 5, 7 };   /* htype, ptype, hlen, plen, op */
    for (size_t i = 0; i < sizeof field / sizeof field[0]; i++) {
        uint8_t f[sizeof frame_arp_request_from_gw];
        COPY(f, frame_arp_request_from_gw);
        f[ETH_HLEN + field[i]] ^= 0x40;
        net_input(&nif, f, sizeof f, 0);
    }
    cr_assert_eq(netstat.drops[NET_DROP_BAD_HEADER], 5);
    cr_assert_eq(netstat_drops_total(), 5);
    cr_assert_eq(sent.n, 0);
}

Test(arp, a_broadcast_sender_mac_is_refused)
{
    uint8_t f[sizeof frame_arp_request_from_gw];
    COPY(f, frame_arp_request_from_gw);
    memset(f + ETH_HLEN + 8, 0xff, 6);
    net_input(&nif, f, sizeof f, 0);
    assert_dropped_for(NET_DROP_BAD_SOURCE);
    cr_assert_eq(sent.n, 0);
}

/* RFC 1122 2.3.2.1: entries time out. Learned at 0, gone at 60 s. */
Test(arp, entries_expire)
{
    net_input(&nif, frame_arp_request_from_gw, sizeof frame_arp_request_from_gw, 0);
    uint8_t mac[ETH_ALEN];
    cr_assert(arp_lookup(&nif, GW_IP, mac, ARP_ENTRY_TTL_MS - 1));
    cr_assert_not(arp_lookup(&nif, GW_IP, mac, ARP_ENTRY_TTL_MS), "the entry never expires");
    arp_tick(&nif, ARP_ENTRY_TTL_MS);
    cr_assert_not(arp_lookup(&nif, GW_IP, mac, ARP_ENTRY_TTL_MS));
}

Test(arp, an_expired_entry_is_asked_for_again)
{
    net_input(&nif, frame_arp_request_from_gw, sizeof frame_arp_request_from_gw, 0);
    sent.n = 0;
    cr_assert_eq(udp_send(&nif, 7, GW_IP, 40000, (const uint8_t *)"x", 1, 1000), 0);
    cr_assert_eq(sent.n, 1);
    assert_sent_ipv4(0, gw_mac, GW_IP, IP_PROTO_UDP);
    cr_assert_eq(udp_send(&nif, 7, GW_IP, 40000, (const uint8_t *)"x", 1, 61000), 0);
    cr_assert_eq(sent.n, 2);
    const uint8_t *a = sent_arp(1);
    cr_assert_eq(get_be16(a + 6), ARP_OP_REQUEST, "an expired entry was still used");
    cr_assert_eq(get_be32(a + 24), GW_IP);
    cr_assert_eq(arp_pending_count(&nif.arp), 1);
}

Test(arp, time_wraps_around)
{
    uint32_t t0 = 0xfffff000u;
    net_input(&nif, frame_arp_request_from_gw, sizeof frame_arp_request_from_gw, t0);
    uint8_t mac[ETH_ALEN];
    cr_assert(arp_lookup(&nif, GW_IP, mac, t0 + 0x2000), "expired early across the wrap");
    cr_assert_not(arp_lookup(&nif, GW_IP, mac, t0 + ARP_ENTRY_TTL_MS));
}

/* A packet for an unknown MAC waits; the request goes out at once. */
Test(arp, packets_wait_for_the_reply)
{
    cr_assert_eq(udp_send(&nif, 7, GW_IP, 40000, (const uint8_t *)"first", 5, 0), 0);
    cr_assert_eq(udp_send(&nif, 7, GW_IP, 40000, (const uint8_t *)"second", 6, 10), 0);
    cr_assert_eq(sent.n, 1, "one request, and no IP frame yet");
    const uint8_t *a = sent_arp(0);
    cr_assert_eq(memcmp(sent.frame[0], eth_broadcast, 6), 0, "request not broadcast");
    cr_assert_eq(get_be16(a + 6), ARP_OP_REQUEST);
    cr_assert_eq(memcmp(a + 8, guest_mac, 6), 0);
    cr_assert_eq(get_be32(a + 14), GUEST_IP);
    cr_assert_eq(get_be32(a + 24), GW_IP);
    cr_assert_eq(arp_pending_count(&nif.arp), 2);

    net_input(&nif, frame_arp_reply_from_gw, sizeof frame_arp_reply_from_gw, 20);
    assert_no_drops();
    cr_assert_eq(sent.n, 3, "the queued packets were not sent");
    assert_sent_ipv4(1, gw_mac, GW_IP, IP_PROTO_UDP);
    assert_sent_ipv4(2, gw_mac, GW_IP, IP_PROTO_UDP);
    cr_assert_eq(memcmp(sent_ip(1) + 28, "first", 5), 0, "not sent in order");
    cr_assert_eq(memcmp(sent_ip(2) + 28, "second", 6), 0);
    cr_assert_eq(arp_pending_count(&nif.arp), 0);
}

Test(arp, off_subnet_packets_wait_for_the_gateway)
{
    cr_assert_eq(udp_send(&nif, 7, IP4(192, 168, 1, 1), 53, (const uint8_t *)"q", 1, 0), 0);
    cr_assert_eq(get_be32(sent_arp(0) + 24), GW_IP, "not asking for the gateway");
    net_input(&nif, frame_arp_reply_from_gw, sizeof frame_arp_reply_from_gw, 5);
    assert_sent_ipv4(1, gw_mac, IP4(192, 168, 1, 1), IP_PROTO_UDP);
}

Test(arp, the_queue_is_bounded)
{
    for (int i = 0; i < ARP_PENDING_MAX; i++)
        cr_assert_eq(udp_send(&nif, 7, GW_IP, 9, (const uint8_t *)"x", 1, 0), 0);
    cr_assert_lt(udp_send(&nif, 7, GW_IP, 9, (const uint8_t *)"x", 1, 0), 0);
    assert_dropped_for(NET_DROP_ARP_QUEUE_FULL);
    cr_assert_eq(sent.n, 1, "one request for all of them");
}

Test(arp, requests_are_repeated_then_given_up)
{
    udp_send(&nif, 7, GW_IP, 9, (const uint8_t *)"a", 1, 0);
    udp_send(&nif, 7, GW_IP, 9, (const uint8_t *)"b", 1, 0);
    arp_tick(&nif, ARP_RETRY_MS - 1);
    cr_assert_eq(sent.n, 1, "repeated before a second passed");
    arp_tick(&nif, ARP_RETRY_MS);
    cr_assert_eq(sent.n, 2);
    cr_assert_eq(get_be16(sent_arp(1) + 6), ARP_OP_REQUEST);
    arp_tick(&nif, 2 * ARP_RETRY_MS);
    cr_assert_eq(sent.n, ARP_MAX_TRIES);
    cr_assert_eq(netstat_drops_total(), 0);
    arp_tick(&nif, 3 * ARP_RETRY_MS);
    cr_assert_eq(sent.n, ARP_MAX_TRIES, "more than %d requests", ARP_MAX_TRIES);
    cr_assert_eq(netstat.drops[NET_DROP_ARP_UNRESOLVED], 2, "each lost packet is counted");
    cr_assert_eq(arp_pending_count(&nif.arp), 0);
    /* A late reply sends nothing. */
    net_input(&nif, frame_arp_reply_from_gw, sizeof frame_arp_reply_from_gw, 5000);
    cr_assert_eq(sent.n, ARP_MAX_TRIES);
}

Test(arp, a_full_cache_evicts_the_entry_closest_to_expiry)
{
    uint8_t f[sizeof frame_arp_request_from_gw];
    for (int i = 0; i < ARP_CACHE_SIZE + 1; i++) {
        COPY(f, frame_arp_request_from_gw);
        put_be32(f + ETH_HLEN + 14, IP4(10, 0, 2, 100 + i));
        f[ETH_HLEN + 13] = (uint8_t)i;
        net_input(&nif, f, sizeof f, (uint32_t)i * 10);
    }
    uint8_t mac[ETH_ALEN];
    cr_assert_not(arp_lookup(&nif, IP4(10, 0, 2, 100), mac, 500), "oldest not evicted");
    cr_assert(arp_lookup(&nif, IP4(10, 0, 2, 101), mac, 500));
    cr_assert(arp_lookup(&nif, IP4(10, 0, 2, 100 + ARP_CACHE_SIZE), mac, 500));
    cr_assert_eq(mac[5], ARP_CACHE_SIZE);
}
#endif /* LAB >= 6 */
