/*
 * checksum.h -- the internet checksum (RFC 1071) and the pseudo-header.
 *
 * The checksum is the ones' complement of the ones' complement sum of the
 * data taken as big-endian 16-bit words; an odd last byte is padded with a
 * zero byte (RFC 791 3.1 "Header Checksum", RFC 768, RFC 9293 3.1).
 * Sums are built in two steps so that a header and its payload, or the
 * pseudo-header and a segment, need not be contiguous:
 *     sum = csum_pseudo(src, dst, proto, len);
 *     sum = csum_add(sum, seg, len);
 *     csum_fold(sum)  -> the value to store (0 means valid when verifying).
 * Verifying: the checksum of data that contains a correct checksum is 0.
 */
#ifndef NET_CHECKSUM_H
#define NET_CHECKSUM_H

#if LAB >= 6
#include <stddef.h>
#include <stdint.h>

/* Add len bytes at p to a running sum. Chain calls only on even lengths
 * (every call but the last): an odd length pads its own last byte. */
uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t len);
/* Fold the carries back in and complement: the 16-bit checksum. */
uint16_t csum_fold(uint32_t sum);
/* The checksum of one contiguous block. */
uint16_t inet_checksum(const uint8_t *p, size_t len);
/* The sum of the TCP/UDP pseudo-header (RFC 768, RFC 9293 3.1): source
 * and destination address, zero, protocol, and the TCP/UDP length. */
uint32_t csum_pseudo(uint32_t src, uint32_t dst, uint8_t proto, uint16_t len);
#endif /* LAB >= 6 */

#endif
