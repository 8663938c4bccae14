/* dhcp_test.c -- host tests for kernel/net/dhcp.c: the messages the
 * client builds, the parser on good and broken replies, and the state
 * machine (DISCOVER, OFFER, REQUEST, ACK or NAK, retries, giving up). */
#if LAB >= 6
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include "abi/errno.h"
#include "net/bytes.h"
#include "net/dhcp.h"

static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
#define XID 0x1234abcdu
#define SLIRP_SERVER IP4(10, 0, 2, 2)
#define OFFERED      IP4(10, 0, 2, 15)

static uint8_t out[DHCP_MSG_MAX];
static struct dhcp_client c;

/* A server's reply as slirp builds it: BOOTREPLY, yiaddr, options 53,
 * 54, 51, 1, 3, 6, END. `extra` options (raw bytes) go before END. */
static size_t reply(uint8_t *buf, uint8_t type, uint32_t xid, uint32_t yiaddr,
                    const uint8_t *extra, size_t extra_len)
{
    memset(buf, 0, 548);
    buf[0] = 2, buf[1] = 1, buf[2] = 6;
    put_be32(buf + 4, xid);
    put_be32(buf + 16, yiaddr);
    memcpy(buf + 28, mac, 6);
    put_be32(buf + 236, 0x63825363u);
    uint8_t *p = buf + 240;
    *p++ = 53, *p++ = 1, *p++ = type;
    *p++ = 54, *p++ = 4, put_be32(p, SLIRP_SERVER), p += 4;
    *p++ = 51, *p++ = 4, put_be32(p, 86400), p += 4;
    *p++ = 1, *p++ = 4, put_be32(p, IP4(255, 255, 255, 0)), p += 4;
    *p++ = 3, *p++ = 4, put_be32(p, SLIRP_SERVER), p += 4;
    *p++ = 6, *p++ = 8, put_be32(p, IP4(10, 0, 2, 3)), put_be32(p + 4, IP4(1, 1, 1, 1)), p += 8;
    if (extra_len > 0)
        memcpy(p, extra, extra_len);
    p += extra_len;
    *p++ = 255;
    return (size_t)(p - buf) < 300 ? 300 : (size_t)(p - buf);
}

/* The value of option `code` in a message we built; NULL if absent. */
static const uint8_t *find_option(const uint8_t *msg, size_t len, uint8_t code, uint8_t *olen)
{
    size_t i = 240;
    while (i < len && msg[i] != 255) {
        if (msg[i] == 0) {
            i++;
            continue;
        }
        if (msg[i] == code) {
            *olen = msg[i + 1];
            return msg + i + 2;
        }
        i += 2u + msg[i + 1];
    }
    return NULL;
}

TestSuite(dhcp, .timeout = 120);

Test(dhcp, discover_is_a_broadcast_bootrequest)
{
    size_t n = dhcp_build(out, sizeof out, DHCPDISCOVER, mac, XID, 0, 0);
    cr_assert_eq(n, DHCP_MIN_LEN);
    cr_assert_eq(out[0], 1, "op BOOTREQUEST");
    cr_assert_eq(out[1], 1, "htype Ethernet");
    cr_assert_eq(out[2], 6, "hlen");
    cr_assert_eq(get_be32(out + 4), XID);
    cr_assert_eq(get_be16(out + 10), 0x8000, "the broadcast flag: we have no address yet");
    cr_assert_eq(get_be32(out + 12), 0, "ciaddr");
    cr_assert_arr_eq(out + 28, mac, 6);
    cr_assert_eq(get_be32(out + 236), 0x63825363u, "magic cookie");
    uint8_t len;
    const uint8_t *v = find_option(out, n, 53, &len);
    cr_assert(v != NULL && len == 1 && v[0] == DHCPDISCOVER);
    v = find_option(out, n, 55, &len);
    cr_assert(v != NULL, "a parameter request list");
    cr_assert(memchr(v, 1, len) && memchr(v, 3, len) && memchr(v, 6, len) && memchr(v, 51, len));
    cr_assert_null(find_option(out, n, 50, &len), "DISCOVER requests no address");
    cr_assert_null(find_option(out, n, 54, &len), "DISCOVER names no server");
}

Test(dhcp, request_names_the_address_and_the_server)
{
    size_t n = dhcp_build(out, sizeof out, DHCPREQUEST, mac, XID, OFFERED, SLIRP_SERVER);
    uint8_t len;
    const uint8_t *v = find_option(out, n, 53, &len);
    cr_assert(v != NULL && v[0] == DHCPREQUEST);
    v = find_option(out, n, 50, &len);
    cr_assert(v != NULL && len == 4 && get_be32(v) == OFFERED);
    v = find_option(out, n, 54, &len);
    cr_assert(v != NULL && len == 4 && get_be32(v) == SLIRP_SERVER);
}

Test(dhcp, build_refuses_a_small_buffer)
{
    cr_assert_eq(dhcp_build(out, DHCP_MIN_LEN - 1, DHCPDISCOVER, mac, XID, 0, 0), 0);
}

Test(dhcp, parse_reads_slirps_offer)
{
    uint8_t buf[548];
    size_t n = reply(buf, DHCPOFFER, XID, OFFERED, NULL, 0);
    struct dhcp_msg m;
    cr_assert_eq(dhcp_parse(buf, n, &m), 0);
    cr_assert_eq(m.op, 2);
    cr_assert_eq(m.type, DHCPOFFER);
    cr_assert_eq(m.xid, XID);
    cr_assert_eq(m.lease.ip, OFFERED);
    cr_assert_eq(m.lease.netmask, IP4(255, 255, 255, 0));
    cr_assert_eq(m.lease.router, SLIRP_SERVER);
    cr_assert_eq(m.lease.dns, IP4(10, 0, 2, 3), "the first DNS server of the list");
    cr_assert_eq(m.lease.lease_s, 86400);
    cr_assert_eq(m.lease.server, SLIRP_SERVER);
}

Test(dhcp, parse_rejects_short_and_foreign_messages)
{
    uint8_t buf[548];
    size_t n = reply(buf, DHCPOFFER, XID, OFFERED, NULL, 0);
    struct dhcp_msg m;
    cr_assert_eq(dhcp_parse(buf, 239, &m), -EINVAL, "shorter than the cookie");
    buf[236] ^= 1;
    cr_assert_eq(dhcp_parse(buf, n, &m), -EINVAL, "a bad magic cookie");
    buf[236] ^= 1;
    buf[2] = 16;
    cr_assert_eq(dhcp_parse(buf, n, &m), -EINVAL, "not an Ethernet address");
}

Test(dhcp, parse_rejects_an_option_longer_than_the_message)
{
    uint8_t buf[548];
    static const uint8_t long_option[] = { 12, 200, 'h', 'o', 's', 't' };
    reply(buf, DHCPOFFER, XID, OFFERED, long_option, sizeof long_option);
    struct dhcp_msg m;
    /* reply()'s own options take 37 bytes; the message ends 4 bytes into
     * the hostname option, which claims 200. */
    size_t cut = 240 + 37 + sizeof long_option;
    cr_assert_eq(dhcp_parse(buf, cut, &m), -EINVAL);
    cr_assert_eq(dhcp_parse(buf, cut - sizeof long_option, &m), 0, "the options before it are fine");
    cr_assert_eq(m.type, DHCPOFFER);
}

/* Every prefix of a good reply, in a buffer of exactly that size (ASan
 * sees a read past it): parsed or rejected, never read beyond. */
Test(dhcp, parse_never_reads_past_the_length)
{
    uint8_t buf[548];
    size_t n = reply(buf, DHCPACK, XID, OFFERED, NULL, 0);
    for (size_t len = 0; len <= n; len++) {
        uint8_t *exact = malloc(len ? len : 1);
        memcpy(exact, buf, len);
        struct dhcp_msg m;
        int r = dhcp_parse(exact, len, &m);
        cr_assert(r == 0 || r == -EINVAL);
        free(exact);
    }
}

/* Random damage to a good OFFER (bytes flipped, the length cut), each in
 * a buffer of exactly its size, through the whole client: no overread
 * (ASan), and whatever it answers is a well-formed REQUEST. */
Test(dhcp, random_damage_is_survived)
{
    uint8_t good[548];
    size_t n = reply(good, DHCPOFFER, XID, OFFERED, NULL, 0);
    srand(6);
    for (int round = 0; round < 5000; round++) {
        uint8_t buf[548];
        memcpy(buf, good, n);
        int flips = 1 + rand() % 8;
        for (int i = 0; i < flips; i++)
            buf[236 + rand() % (int)(n - 236)] = (uint8_t)rand();   /* the options */
        size_t len = rand() % 4 ? n : (size_t)(rand() % (int)n);
        uint8_t *exact = malloc(len ? len : 1);
        memcpy(exact, buf, len);
        dhcp_start(&c, mac, XID, 0);
        dhcp_tick(&c, 0, out, sizeof out);
        size_t sent = dhcp_input(&c, exact, len, 5, out, sizeof out);
        if (sent > 0) {
            cr_assert_eq(sent, DHCP_MIN_LEN);
            cr_assert_eq(c.state, DHCP_REQUESTING);
            cr_assert(c.offered_ip != 0 && c.server != 0);
            uint8_t olen;
            const uint8_t *v = find_option(out, sent, 53, &olen);
            cr_assert(v != NULL && v[0] == DHCPREQUEST, "round %d", round);
        } else {
            cr_assert_eq(c.state, DHCP_SELECTING, "round %d", round);
        }
        free(exact);
    }
}

/* The client up to the point where its DISCOVER went out at time 0. */
static void selecting(void)
{
    dhcp_start(&c, mac, XID, 0);
    cr_assert_eq(c.state, DHCP_INIT);
    size_t n = dhcp_tick(&c, 0, out, sizeof out);
    cr_assert_gt(n, 0, "the first DISCOVER goes out at once");
    cr_assert_eq(c.state, DHCP_SELECTING);
}

/* ... and its REQUEST after slirp's OFFER at time 10. */
static void requesting(void)
{
    selecting();
    uint8_t buf[548];
    size_t n = reply(buf, DHCPOFFER, XID, OFFERED, NULL, 0);
    size_t sent = dhcp_input(&c, buf, n, 10, out, sizeof out);
    cr_assert_gt(sent, 0, "an OFFER is answered with a REQUEST");
    cr_assert_eq(c.state, DHCP_REQUESTING);
    uint8_t len;
    const uint8_t *v = find_option(out, sent, 53, &len);
    cr_assert(v != NULL && v[0] == DHCPREQUEST);
    v = find_option(out, sent, 50, &len);
    cr_assert(v != NULL && get_be32(v) == OFFERED);
}

Test(dhcp, discover_offer_request_ack_binds)
{
    requesting();
    uint8_t buf[548];
    size_t n = reply(buf, DHCPACK, XID, OFFERED, NULL, 0);
    cr_assert_eq(dhcp_input(&c, buf, n, 20, out, sizeof out), 0, "nothing to send once bound");
    cr_assert_eq(c.state, DHCP_BOUND);
    cr_assert_eq(c.lease.ip, OFFERED);
    cr_assert_eq(c.lease.router, SLIRP_SERVER);
    cr_assert_eq(c.lease.netmask, IP4(255, 255, 255, 0));
    cr_assert_eq(dhcp_tick(&c, 100000, out, sizeof out), 0, "a bound client stays quiet");
}

Test(dhcp, other_transactions_and_clients_are_ignored)
{
    selecting();
    uint8_t buf[548];
    size_t n = reply(buf, DHCPOFFER, XID + 1, OFFERED, NULL, 0);
    cr_assert_eq(dhcp_input(&c, buf, n, 10, out, sizeof out), 0);
    n = reply(buf, DHCPOFFER, XID, OFFERED, NULL, 0);
    buf[33] ^= 0xff;                            /* chaddr: another client */
    cr_assert_eq(dhcp_input(&c, buf, n, 10, out, sizeof out), 0);
    n = reply(buf, DHCPOFFER, XID, OFFERED, NULL, 0);
    buf[0] = 1;                                 /* a BOOTREQUEST is no answer */
    cr_assert_eq(dhcp_input(&c, buf, n, 10, out, sizeof out), 0);
    n = reply(buf, DHCPACK, XID, OFFERED, NULL, 0);
    cr_assert_eq(dhcp_input(&c, buf, n, 10, out, sizeof out), 0, "an ACK before any REQUEST");
    cr_assert_eq(c.state, DHCP_SELECTING);
    cr_assert_eq(c.ignored, 4);
}

Test(dhcp, an_ack_for_another_address_does_not_bind)
{
    requesting();
    uint8_t buf[548];
    size_t n = reply(buf, DHCPACK, XID, IP4(10, 0, 2, 99), NULL, 0);
    cr_assert_eq(dhcp_input(&c, buf, n, 20, out, sizeof out), 0);
    cr_assert_eq(c.state, DHCP_REQUESTING);
}

Test(dhcp, a_nak_starts_over_with_a_discover)
{
    requesting();
    uint8_t buf[548];
    size_t n = reply(buf, DHCPNAK, XID, 0, NULL, 0);
    size_t sent = dhcp_input(&c, buf, n, 20, out, sizeof out);
    cr_assert_gt(sent, 0);
    uint8_t len;
    const uint8_t *v = find_option(out, sent, 53, &len);
    cr_assert(v != NULL && v[0] == DHCPDISCOVER);
    cr_assert_eq(c.state, DHCP_SELECTING);
}

/* No server: DISCOVER again after 1, 2, 4, 4, 4 s, then FAILED. */
Test(dhcp, retries_back_off_then_give_up)
{
    selecting();
    uint32_t expect_at[] = { 1000, 3000, 7000, 11000, 15000 };
    uint32_t now = 0;
    for (unsigned i = 0; i < sizeof expect_at / sizeof expect_at[0]; i++) {
        cr_assert_eq(dhcp_tick(&c, expect_at[i] - 1, out, sizeof out), 0,
                     "retry %u before its time", i + 1);
        now = expect_at[i];
        cr_assert_gt(dhcp_tick(&c, now, out, sizeof out), 0, "retry %u at %u ms", i + 1, now);
    }
    cr_assert_eq(c.tries, DHCP_MAX_TRIES);
    cr_assert_eq(dhcp_tick(&c, now + DHCP_RETRY_MAX_MS, out, sizeof out), 0);
    cr_assert_eq(c.state, DHCP_FAILED);
    cr_assert_str_eq(dhcp_state_name(c.state), "FAILED");
}

/* The clock may wrap (49 days of uptime) between two retries. */
Test(dhcp, retries_across_the_clock_wrap)
{
    dhcp_start(&c, mac, XID, 0xFFFFFF00u);
    cr_assert_gt(dhcp_tick(&c, 0xFFFFFF00u, out, sizeof out), 0);
    cr_assert_eq(dhcp_tick(&c, 0x100, out, sizeof out), 0, "only 512 ms later");
    cr_assert_gt(dhcp_tick(&c, 0x300, out, sizeof out), 0, "1280 ms later");
}
#endif /* LAB >= 6 */
