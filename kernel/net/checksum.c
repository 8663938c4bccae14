/* checksum.c -- the internet checksum, RFC 1071 (checksum.h). */
#if LAB >= 6
#include "net/checksum.h"
#include "net/bytes.h"

uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
    size_t i = 0;
    for (; i + 1 < len; i += 2) {
        sum += get_be16(p + i);
        /* Fold early so the 32-bit sum can never overflow, whatever len. */
        if (sum & 0x80000000u)
            sum = (sum & 0xffff) + (sum >> 16);
    }
    if (i < len)
        sum += (uint32_t)p[i] << 8;     /* odd last byte, padded with zero */
    return sum;
}

uint16_t csum_fold(uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

uint16_t inet_checksum(const uint8_t *p, size_t len)
{
    return csum_fold(csum_add(0, p, len));
}

uint32_t csum_pseudo(uint32_t src, uint32_t dst, uint8_t proto, uint16_t len)
{
    return (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff) + proto + len;
}
#endif /* LAB >= 6 */
