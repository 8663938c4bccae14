/*
 * bytes.h -- network byte order, read and written one byte at a time.
 *
 * Every header field on the wire is big-endian (RFC 791 appendix B,
 * "Data Transmission Order"). The parsers read fields with these helpers
 * instead of casting a packed struct onto the frame: a frame can start at
 * any address, and a cast would also hide the byte swap that i386 needs.
 */
#ifndef NET_BYTES_H
#define NET_BYTES_H

#if LAB >= 6
#include <stdint.h>

static inline uint16_t get_be16(const uint8_t *p)
{
    return (uint16_t)((uint16_t)p[0] << 8 | p[1]);
}

static inline uint32_t get_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline void put_be16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static inline void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* An IPv4 address in host order from its four dotted parts: IP4(10,0,2,15). */
#define IP4(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))
#endif /* LAB >= 6 */

#endif
