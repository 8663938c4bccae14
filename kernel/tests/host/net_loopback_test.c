/* net_loopback_test.c -- host tests for kernel/net/loopback.c (packets to
 * our own address never reach the wire) and kernel/net/dgram_queue.c (a
 * datagram socket's receive queue). */
#if LAB >= 6
#include "net_test_util.h"
#include "abi/errno.h"
#include "net/dgram_queue.h"
#include "net/loopback.h"

static void loopback_setup(void)
{
    net_setup();
    loopback_reset();
}

TestSuite(loopback, .init = loopback_setup, .timeout = 120);

struct got_udp {
    int n;
    uint32_t src;
    uint16_t sport;
    uint8_t data[64];
    size_t len;
};

static void keep_udp(void *ctx, uint32_t src_ip, uint16_t src_port, uint16_t dst_port,
                     const uint8_t *data, size_t len, uint32_t now_ms)
{
    (void)dst_port;
    (void)now_ms;
    struct got_udp *g = ctx;
    g->n++;
    g->src = src_ip;
    g->sport = src_port;
    g->len = len < sizeof g->data ? len : sizeof g->data;
    memcpy(g->data, data, g->len);
}

Test(loopback, udp_to_our_own_address_is_queued_not_sent)
{
    static struct got_udp got;
    memset(&got, 0, sizeof got);
    cr_assert_eq(udp_bind(&nif, 7, keep_udp, &got), 0);
    cr_assert_eq(udp_send(&nif, 5000, GUEST_IP, 7, (const uint8_t *)"hi!", 3, 10), 0);
    cr_assert_eq(sent.n, 0, "a frame to ourselves went to the wire (or to ARP)");
    cr_assert(loopback_pending());
    cr_assert_eq(got.n, 0, "delivered on the spot: the stack is not re-entrant");
    cr_assert_eq(loopback_drain(&nif, 20), 1);
    cr_assert_not(loopback_pending());
    cr_assert_eq(got.n, 1);
    cr_assert_eq(got.src, GUEST_IP);
    cr_assert_eq(got.sport, 5000);
    cr_assert_eq(got.len, 3);
    cr_assert_eq(memcmp(got.data, "hi!", 3), 0);
    assert_no_drops();
    cr_assert_eq(loopback_frames(), 1);
}

struct got_echo {
    int n;
    uint16_t id, seq;
};

static void keep_echo(void *ctx, uint32_t from, uint16_t id, uint16_t seq, const uint8_t *data,
                      size_t len, uint32_t now_ms)
{
    (void)from;
    (void)data;
    (void)len;
    (void)now_ms;
    struct got_echo *g = ctx;
    g->n++;
    g->id = id;
    g->seq = seq;
}

Test(loopback, a_ping_to_ourselves_is_answered_within_one_drain)
{
    static struct got_echo got;
    memset(&got, 0, sizeof got);
    nif.on_echo_reply = keep_echo;
    nif.echo_ctx = &got;
    cr_assert_eq(icmp_send_echo(&nif, GUEST_IP, 0x1234, 9, (const uint8_t *)"abcd", 4, 0), 0);
    /* the request, then the reply its delivery queued */
    cr_assert_eq(loopback_drain(&nif, 1), 2);
    cr_assert_eq(got.n, 1);
    cr_assert_eq(got.id, 0x1234);
    cr_assert_eq(got.seq, 9);
    cr_assert_eq(sent.n, 0);
    assert_no_drops();
}

Test(loopback, a_full_queue_drops_and_counts)
{
    for (int i = 0; i < LOOPBACK_QUEUE; i++)
        cr_assert_eq(udp_send(&nif, 5000, GUEST_IP, 9, (const uint8_t *)"x", 1, 0), 0);
    int err = udp_send(&nif, 5000, GUEST_IP, 9, (const uint8_t *)"x", 1, 0);
    cr_assert_eq(err, -ENOBUFS, "got %d", err);
    cr_assert_eq(netstat.drops[NET_DROP_NO_MEMORY], 1);
    /* nobody is bound to port 9: each delivered one is "no such port" */
    cr_assert_eq(loopback_drain(&nif, 0), LOOPBACK_QUEUE);
    cr_assert_eq(netstat.drops[NET_DROP_NO_PORT], LOOPBACK_QUEUE);
}

Test(loopback, other_addresses_still_go_out)
{
    net_input(&nif, frame_arp_reply_from_gw, sizeof frame_arp_reply_from_gw, 0);
    cr_assert_eq(udp_send(&nif, 5000, GW_IP, 7, (const uint8_t *)"x", 1, 0), 0);
    cr_assert_eq(sent.n, 1);
    cr_assert_not(loopback_pending());
}

/* ---- dgram_queue */

TestSuite(dgram_queue, .timeout = 120);

static struct dgram_queue q;

Test(dgram_queue, oldest_first_with_the_sender)
{
    dgq_init(&q);
    cr_assert(dgq_empty(&q));
    cr_assert(dgq_push(&q, 1, 10, "one", 3));
    cr_assert(dgq_push(&q, 2, 20, "two!", 4));
    cr_assert_eq(dgq_bytes(&q), 7);
    char buf[8];
    uint32_t ip;
    uint16_t port;
    cr_assert_eq(dgq_pop(&q, buf, sizeof buf, &ip, &port, false), 3);
    cr_assert_eq(ip, 1);
    cr_assert_eq(port, 10);
    cr_assert_eq(memcmp(buf, "one", 3), 0);
    cr_assert_eq(dgq_pop(&q, buf, sizeof buf, &ip, &port, false), 4);
    cr_assert_eq(port, 20);
    cr_assert_eq(dgq_pop(&q, buf, sizeof buf, &ip, &port, false), -1);
}

Test(dgram_queue, a_short_read_discards_the_rest)
{
    dgq_init(&q);
    cr_assert(dgq_push(&q, 1, 10, "abcdef", 6));
    cr_assert(dgq_push(&q, 1, 10, "next", 4));
    char buf[8];
    cr_assert_eq(dgq_pop(&q, buf, 2, NULL, NULL, false), 2);
    cr_assert_eq(memcmp(buf, "ab", 2), 0);
    cr_assert_eq(dgq_pop(&q, buf, sizeof buf, NULL, NULL, false), 4, "\"cdef\" was kept");
    cr_assert_eq(memcmp(buf, "next", 4), 0);
}

Test(dgram_queue, peek_leaves_it_there)
{
    dgq_init(&q);
    cr_assert(dgq_push(&q, 1, 10, "abc", 3));
    char buf[8];
    cr_assert_eq(dgq_pop(&q, buf, sizeof buf, NULL, NULL, true), 3);
    cr_assert_eq(dgq_pop(&q, buf, sizeof buf, NULL, NULL, false), 3);
    cr_assert(dgq_empty(&q));
}

Test(dgram_queue, full_and_too_long_are_refused)
{
    static uint8_t big[DGRAM_MAX + 1];
    dgq_init(&q);
    cr_assert_not(dgq_push(&q, 1, 1, big, sizeof big));
    cr_assert(dgq_push(&q, 1, 1, big, DGRAM_MAX));
    for (int i = 1; i < DGRAM_QUEUE_LEN; i++)
        cr_assert(dgq_push(&q, 1, 1, "x", 1));
    cr_assert_not(dgq_push(&q, 1, 1, "x", 1));
    /* wraps around after a pop */
    char buf[4];
    cr_assert_eq(dgq_pop(&q, buf, 1, NULL, NULL, false), 1);
    cr_assert(dgq_push(&q, 3, 3, "y", 1));
}
#endif /* LAB >= 6 */
