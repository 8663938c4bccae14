/*
 * cksum.h -- the CRC of POSIX cksum (lab 6: cksum, httpd's upload).
 *
 * POSIX.1-2017 "cksum", RATIONALE and DESCRIPTION: a CRC with the
 * generator polynomial 0x04C11DB7, bits taken most significant first,
 * starting from 0, over the data and then over the data's length in
 * bytes (least significant byte first, only as many bytes as the length
 * needs), the result complemented. It is not zlib's CRC-32 (that one is
 * reflected and starts from ~0), so `cksum` on the host and here agree
 * only if this is exactly the POSIX one: userland/tests/host/test_cksum.c
 * checks it against the host's cksum.
 *
 * Use: struct cksum c; cksum_init(&c); cksum_update(&c, buf, n) as often
 * as data arrives; cksum_final(&c) is the number cksum prints.
 */
#ifndef USER_CKSUM_H
#define USER_CKSUM_H

#if LAB >= 6
#include <stddef.h>
#include <stdint.h>

struct cksum {
    uint32_t crc;           /* the CRC of the bytes so far, not complemented */
    uint64_t length;        /* bytes so far */
};

void cksum_init(struct cksum *c);
void cksum_update(struct cksum *c, const void *buf, size_t n);
uint32_t cksum_final(const struct cksum *c);

#endif /* LAB >= 6 */
#endif
