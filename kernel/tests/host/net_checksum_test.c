/* net_checksum_test.c -- host tests for kernel/net/checksum.c (RFC 1071). */
#if LAB >= 6
#include "net_test_util.h"
#include <stdlib.h>

TestSuite(checksum, .timeout = 120);

/* RFC 1071 section 3's example: the sum of 00 01 f2 03 f4 f5 f6 f7 is ddf2. */
Test(checksum, rfc1071_example)
{
    static const uint8_t b[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
    cr_assert_eq(inet_checksum(b, sizeof b), (uint16_t)~0xddf2, "got %#x",
                 inet_checksum(b, sizeof b));
}

Test(checksum, odd_length_pads_with_a_zero_byte)
{
    static const uint8_t odd[] = { 0x12, 0x34, 0x56 };
    static const uint8_t even[] = { 0x12, 0x34, 0x56, 0x00 };
    cr_assert_eq(inet_checksum(odd, 3), inet_checksum(even, 4));
    cr_assert_eq(inet_checksum(odd, 3), (uint16_t)~(0x1234 + 0x5600));
}

/* Real header from the generated ping: a correct checksum verifies to 0,
 * and any one flipped bit makes it fail. */
Test(checksum, a_correct_ip_header_verifies_to_zero)
{
    uint8_t ip[IPV4_HLEN];
    memcpy(ip, frame_ping_request + ETH_HLEN, sizeof ip);
    cr_assert_eq(inet_checksum(ip, sizeof ip), 0);
    for (size_t bit = 0; bit < sizeof ip * 8; bit++) {
        ip[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        cr_assert_neq(inet_checksum(ip, sizeof ip), 0, "flipped bit %zu went unnoticed", bit);
        ip[bit / 8] ^= (uint8_t)(1u << (bit % 8));
    }
}

Test(checksum, pseudo_header_of_a_real_udp_datagram)
{
    const uint8_t *udp = frame_udp_hello + ETH_HLEN + IPV4_HLEN;
    uint16_t ulen = get_be16(udp + 4);
    cr_assert_eq(ulen, 14);
    uint32_t sum = csum_pseudo(GW_IP, GUEST_IP, IP_PROTO_UDP, ulen);
    cr_assert_eq(csum_fold(csum_add(sum, udp, ulen)), 0);
    /* The wrong addresses or length must not verify. */
    sum = csum_pseudo(GW_IP, GUEST_IP + 1, IP_PROTO_UDP, ulen);
    cr_assert_neq(csum_fold(csum_add(sum, udp, ulen)), 0);
    sum = csum_pseudo(GW_IP, GUEST_IP, IP_PROTO_TCP, ulen);
    cr_assert_neq(csum_fold(csum_add(sum, udp, ulen)), 0);
}

Test(checksum, chained_sums_equal_one_sum)
{
    uint8_t b[101];
    for (size_t i = 0; i < sizeof b; i++)
        b[i] = (uint8_t)(i * 37 + 11);
    uint32_t chained = csum_add(csum_add(csum_add(0, b, 20), b + 20, 40), b + 60, 41);
    cr_assert_eq(csum_fold(chained), inet_checksum(b, sizeof b));
}

/* 256 KB of 0xff: the 32-bit running sum would overflow without folding. */
Test(checksum, long_buffers_do_not_overflow_the_sum)
{
    size_t n = 256 * 1024;
    uint8_t *b = malloc(n);
    cr_assert_not_null(b);
    memset(b, 0xff, n);
    cr_assert_eq(inet_checksum(b, n), 0, "sum of 0xffff words folds to 0xffff, checksum 0");
    b[7] = 0xfe;
    cr_assert_eq(inet_checksum(b, n), 0x0001, "got %#x", inet_checksum(b, n));
    free(b);
}
#endif /* LAB >= 6 */
