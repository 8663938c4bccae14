/*
 * netinet/in.h -- Internet addresses and byte order (the user libc).
 *
 * struct sockaddr_in, struct in_addr, IPPROTO_* and INADDR_* are the
 * kernel's (kernel/abi/socket.h). The network is big-endian, i386 is
 * little-endian: htons/htonl swap, and so do ntohs/ntohl.
 */
#ifndef USER_NETINET_IN_H
#define USER_NETINET_IN_H

#if LAB >= 6
#include <stdint.h>
#include <sys/socket.h>

static inline uint16_t htons(uint16_t x)
{
    return (uint16_t)((x << 8) | (x >> 8));
}

static inline uint32_t htonl(uint32_t x)
{
    return __builtin_bswap32(x);
}

static inline uint16_t ntohs(uint16_t x)
{
    return htons(x);
}

static inline uint32_t ntohl(uint32_t x)
{
    return htonl(x);
}

#endif /* LAB >= 6 */

#endif
