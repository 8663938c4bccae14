/* netbuf_test.c -- host tests for kernel/net/netbuf.c (headroom, bounds). */
#if LAB >= 6
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>
#include "net/netbuf.h"

static struct netbuf nb;

TestSuite(netbuf, .timeout = 120);

Test(netbuf, headers_are_pushed_in_front_of_the_payload)
{
    netbuf_init(&nb, NETBUF_HEADROOM);
    cr_assert_eq(netbuf_append(&nb, "data", 4), 0);
    uint8_t *udp = netbuf_push(&nb, 8);
    cr_assert_not_null(udp);
    memset(udp, 'U', 8);
    uint8_t *ip = netbuf_push(&nb, 20);
    cr_assert_not_null(ip);
    cr_assert_eq(ip + 20, udp, "the new header must sit right before the old one");
    cr_assert_eq(nb.len, 32);
    cr_assert_eq(memcmp(netbuf_head(&nb) + 28, "data", 4), 0, "the payload moved");
    cr_assert_eq(netbuf_pull(&nb, 20), udp);
    cr_assert_eq(nb.len, 12);
}

Test(netbuf, push_past_the_headroom_fails)
{
    netbuf_init(&nb, 10);
    cr_assert_null(netbuf_push(&nb, 11));
    cr_assert_eq(nb.len, 0, "a failed push changed the length");
    cr_assert_not_null(netbuf_push(&nb, 10));
    cr_assert_null(netbuf_push(&nb, 1));
}

Test(netbuf, put_past_the_end_fails)
{
    netbuf_init(&nb, NETBUF_HEADROOM);
    cr_assert_not_null(netbuf_put(&nb, NETBUF_SIZE - NETBUF_HEADROOM));
    cr_assert_null(netbuf_put(&nb, 1));
    cr_assert_eq(nb.len, NETBUF_SIZE - NETBUF_HEADROOM);
}

Test(netbuf, huge_sizes_do_not_wrap)
{
    netbuf_init(&nb, NETBUF_HEADROOM);
    netbuf_put(&nb, 4);
    cr_assert_null(netbuf_put(&nb, SIZE_MAX));
    cr_assert_null(netbuf_put(&nb, SIZE_MAX - 2));
    cr_assert_null(netbuf_push(&nb, SIZE_MAX));
    cr_assert_null(netbuf_pull(&nb, SIZE_MAX));
    cr_assert_null(netbuf_pull(&nb, 5));
    cr_assert_eq(nb.len, 4);
}

Test(netbuf, headroom_larger_than_the_buffer_is_clamped)
{
    netbuf_init(&nb, NETBUF_SIZE + 100);
    cr_assert_eq(nb.off, NETBUF_SIZE);
    cr_assert_null(netbuf_put(&nb, 1));
}
#endif /* LAB >= 6 */
