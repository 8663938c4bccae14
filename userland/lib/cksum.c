/*
 * cksum.c -- the CRC of POSIX cksum (see cksum.h for the definition).
 *
 * Table-driven, one byte at a time: table[b] is the CRC register's
 * change when byte b is shifted out of its top (the classic "direct"
 * MSB-first table). A 1 MiB upload is 1M table steps instead of 8M bit
 * steps, which matters under TCG. The table is built on first use: 1 KiB
 * of .bss instead of a 256-line literal to review.
 */
#if LAB >= 6
#include "cksum.h"

#include <stdbool.h>

#define CKSUM_POLY 0x04C11DB7u

static uint32_t table[256];
static bool table_ready;

static void build_table(void)
{
    for (uint32_t b = 0; b < 256; b++) {
        uint32_t r = b << 24;

        for (int bit = 0; bit < 8; bit++)
            r = (r & 0x80000000u) ? (r << 1) ^ CKSUM_POLY : r << 1;
        table[b] = r;
    }
    table_ready = true;
}

static uint32_t crc_byte(uint32_t crc, uint8_t byte)
{
    return (crc << 8) ^ table[((crc >> 24) ^ byte) & 0xff];
}

void cksum_init(struct cksum *c)
{
    if (!table_ready)
        build_table();
    c->crc = 0;
    c->length = 0;
}

void cksum_update(struct cksum *c, const void *buf, size_t n)
{
    const uint8_t *p = buf;

    for (size_t i = 0; i < n; i++)
        c->crc = crc_byte(c->crc, p[i]);
    c->length += n;
}

/* POSIX: the length goes in after the data, low byte first, with no
 * bytes at all for a length of 0; then the CRC is complemented. */
uint32_t cksum_final(const struct cksum *c)
{
    uint32_t crc = c->crc;

    for (uint64_t len = c->length; len != 0; len >>= 8)
        crc = crc_byte(crc, (uint8_t)(len & 0xff));
    return ~crc;
}

#endif /* LAB >= 6 */
