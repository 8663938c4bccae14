/* tcp_random_test.c -- robustness: segments with random flags, numbers,
 * windows, options and lengths (checksummed, so that they get past the
 * parser) thrown at a listener and at live connections, with the timer
 * running. Under ASan+UBSan any out-of-bounds access or overflow fails
 * the test; afterwards the pool must still be consistent. A stand-in
 * until the libFuzzer harness over net_input covers TCP too. */
#if LAB >= 6
#include "tcp_test_util.h"

TestSuite(tcp_random, .init = tcp_setup, .timeout = 120);

static uint32_t rng = 12345;
static uint32_t next_rand(void)
{
    rng ^= rng << 13;           /* xorshift32: deterministic, so failures repeat */
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

static void ignore_output(void *ctx, uint32_t src, uint32_t dst, const uint8_t *seg, size_t len,
                          uint32_t now_ms)
{
    (void)ctx, (void)src, (void)dst, (void)now_ms;
    struct tcp_seg s;
    cr_assert_eq(tcp_parse(&s, src, dst, seg, len), 0, "TCP sent a malformed segment");
}

Test(tcp_random, random_segments_never_crash)
{
    tcp_init(ignore_output, NULL);
    tcp_set_isn_fn(fixed_isn);          /* (tcp_init put the default back) */
    struct tcb *l = tcp_listen(0, 80, 8, NULL);
    cr_assert_not_null(l);
    uint8_t buf[TCP_HLEN + 40 + 2000];
    uint32_t now = 0;
    int accepted = 0;
    for (int i = 0; i < 20000; i++) {
        /* A few peers, so that connections form; numbers near the real ones half the time. */
        uint16_t sport = (uint16_t)(40000 + next_rand() % 4);
        uint32_t r = next_rand();
        size_t hlen = TCP_HLEN + 4 * (next_rand() % 11);
        size_t dlen = next_rand() % 3 == 0 ? next_rand() % 2000 : 0;
        for (size_t k = 0; k < hlen + dlen; k++)
            buf[k] = (uint8_t)next_rand();
        put_be16(buf, sport);
        put_be16(buf + 2, next_rand() % 8 ? 80 : (uint16_t)next_rand());
        if (r & 1)
            put_be32(buf + 4, PEER_ISN + next_rand() % (r & 4 ? 64 : 20000));
        if (r & 2)
            put_be32(buf + 8, US_ISN + next_rand() % (r & 8 ? 4 : 20000));
        if (next_rand() % 16)
            buf[13] &= (uint8_t)~TCP_SYN;       /* random SYNs would only fill the backlog */
        if (r & 0x30)
            memset(buf + TCP_HLEN, 1, hlen - TCP_HLEN);     /* NOP options */
        if ((r & 0x30) == 0x10) {               /* a proper SYN */
            buf[13] = TCP_SYN;
            put_be32(buf + 4, PEER_ISN);
        } else if ((r & 0x30) == 0x20) {        /* an ACK that may complete it */
            buf[13] = (uint8_t)(TCP_ACK | (next_rand() & (TCP_FIN | TCP_PSH)));
            put_be32(buf + 4, PEER_ISN + 1 + (r & 0x40 ? next_rand() % 64 : 0));
            put_be32(buf + 8, US_ISN + 1);
        }
        buf[12] = (uint8_t)((hlen / 4) << 4);
        put_be16(buf + 16, 0);
        uint32_t sum = csum_pseudo(PEER_IP, US_IP, IP_PROTO_TCP, (uint16_t)(hlen + dlen));
        put_be16(buf + 16, csum_fold(csum_add(sum, buf, hlen + dlen)));
        feed_raw(buf, hlen + dlen, now);
        now += next_rand() % 500;
        tcp_timer_tick(now);
        for (int k = 0; k < TCP_MAX_TCB; k++) {
            struct tcb *t = tcb_slot(k);
            if (!t->in_use || t == l)
                continue;
            cr_assert_leq(t->sndbuf.len, (uint32_t)TCP_BUF_SIZE);
            cr_assert_leq(t->rcvbuf.len, (uint32_t)TCP_BUF_SIZE);
            cr_assert(SEQ_LEQ(t->snd_una, t->snd_max), "SND.UNA past SND.MAX");
            if (t->accepted && next_rand() % 4 == 0) {
                uint8_t tmp[512];
                tcp_recv(t, tmp, sizeof tmp, now);
                tcp_send(t, tmp, next_rand() % sizeof tmp, now);
                if (next_rand() % 50 == 0)
                    tcp_close(t, now);
            }
        }
        if (tcp_accept(l))
            accepted++;
    }
    cr_expect_gt(accepted, 0, "no connection ever formed: the test exercises too little (segs in %u, children %u, drops %u, no port %u, bad hdr %u, oow %u)", tcp_stats.segs_in, tcb_children(l), netstat_drops_total(), netstat.drops[NET_DROP_NO_PORT], netstat.drops[NET_DROP_BAD_HEADER], netstat.drops[NET_DROP_OUT_OF_WINDOW]);
}
#endif /* LAB >= 6 */
