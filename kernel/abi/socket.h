/*
 * socket.h -- the socket system calls' constants and address structs
 * (BSD/POSIX names, Linux i386's values so that tools read them).
 *
 * Only IPv4 exists: AF_INET with SOCK_STREAM (TCP), SOCK_DGRAM (UDP) and
 * SOCK_DGRAM + IPPROTO_ICMP, Linux's "ping socket": sendto() takes an ICMP
 * echo request (type 8, 8-byte header + data), the kernel puts in its own
 * identifier and the checksum; recvfrom() returns the echo replies that
 * carry that identifier, header included. Addresses and ports inside the
 * structs are in network byte order, as everywhere.
 */
#ifndef ABI_SOCKET_H
#define ABI_SOCKET_H

#if LAB >= 6
#include <stdint.h>

#define AF_UNSPEC       0
#define AF_INET         2
#define PF_INET         AF_INET

#define SOCK_STREAM     1
#define SOCK_DGRAM      2
#define SOCK_NONBLOCK   04000       /* socket()'s and accept4()'s flags */
#define SOCK_CLOEXEC    02000000

#define IPPROTO_IP      0
#define IPPROTO_ICMP    1
#define IPPROTO_TCP     6
#define IPPROTO_UDP     17

#define SOL_SOCKET      1           /* setsockopt()'s level */
#define SO_REUSEADDR    2           /* bind a port a TIME_WAIT connection still holds */
#define SO_ERROR        4           /* getsockopt: the pending error, cleared */
#define SO_RCVTIMEO     20          /* struct timeval: recv/accept give up with EAGAIN, connect ETIMEDOUT */

#define SHUT_RD         0           /* shutdown()'s how */
#define SHUT_WR         1
#define SHUT_RDWR       2

#define MSG_PEEK        0x02        /* send/recv flags */
#define MSG_DONTWAIT    0x40
#define MSG_NOSIGNAL    0x4000      /* EPIPE without SIGPIPE */

#define SOMAXCONN       8           /* listen()'s backlog is cut to this */

#define INADDR_ANY       0x00000000u    /* host order, as in BSD */
#define INADDR_LOOPBACK  0x7f000001u
#define INADDR_BROADCAST 0xffffffffu
#define INADDR_NONE      0xffffffffu

typedef uint32_t socklen_t;
typedef uint16_t sa_family_t;
typedef uint16_t in_port_t;
typedef uint32_t in_addr_t;

struct sockaddr {
    sa_family_t sa_family;
    char sa_data[14];
};

struct in_addr {
    in_addr_t s_addr;               /* network order */
};

struct sockaddr_in {
    sa_family_t sin_family;         /* AF_INET */
    in_port_t sin_port;             /* network order */
    struct in_addr sin_addr;
    uint8_t sin_zero[8];
};

/* sendto() and recvfrom() have six arguments, and this kernel's system
 * calls carry five registers (ebp is the sysenter stub's, docs/abi.md):
 * the fifth register points at this pair instead. For sendto, len is the
 * address's length; for recvfrom, a pointer to it (in and out). */
struct sock_addrarg {
    uint32_t addr;                  /* struct sockaddr *, or 0 */
    uint32_t len;                   /* socklen_t (sendto) or socklen_t * (recvfrom) */
};

/* SO_RCVTIMEO's value (Linux i386's layout: two 32-bit longs). */
#ifndef ABI_TIMEVAL_DEFINED
#define ABI_TIMEVAL_DEFINED
struct timeval {
    long tv_sec;
    long tv_usec;
};
#endif

#endif /* LAB >= 6 */

#endif
