/*
 * socket.h -- BSD sockets over the pure stack: UDP, TCP, ICMP echo.
 *
 * A struct socket is what a FILE_SOCKET file points at (socket_file.c);
 * the system calls (sys_socket.c) copy user memory to and from kernel
 * buffers and call the sock_* functions below with kernel pointers only:
 * nothing here touches user memory, because everything here runs under
 * net_lock (stack.h), which must never be held across a copyin/copyout.
 *
 * Blocking: a call that cannot proceed waits for a stack event through
 * fs/poll.h (every TCP notify and every datagram delivered calls
 * poll_notify()), up to SO_RCVTIMEO (then EAGAIN), or returns EAGAIN at
 * once on a non-blocking socket. Every sock_unlock() first delivers the
 * frames queued to ourselves (loopback.h), so loopback traffic flows
 * without waiting for netd.
 *
 * Addresses are host order here; 127.0.0.0/8 means the interface's own
 * address (loopback.h), and is reported back as the user named it.
 */
#ifndef NET_SOCKET_H
#define NET_SOCKET_H

#if LAB >= 6
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SOCK_MAX    48          /* sockets open at once in the whole system */
#define SOCK_CHUNK  1480        /* bytes per trip through a kernel buffer */

struct tcb;
struct dgram_queue;
struct netstat_info;

struct socket {
    int type;                   /* SOCK_STREAM or SOCK_DGRAM */
    int proto;                  /* IPPROTO_TCP, IPPROTO_UDP or IPPROTO_ICMP */
    bool nonblock;              /* SOCK_NONBLOCK */
    bool reuseaddr;             /* SO_REUSEADDR */
    bool shut_rd, shut_wr;      /* shutdown() */
    bool connected;             /* a datagram socket's default peer is set */
    bool connecting;            /* a non-blocking connect is under way */
    uint32_t rcvtimeo_ms;       /* SO_RCVTIMEO, 0: forever */
    int error;                  /* pending error for SO_ERROR (positive errno) */
    uint32_t local_ip;          /* bind(): 0 is any */
    uint16_t local_port;        /* bind(), or an ephemeral port; 0: none yet */
    uint32_t remote_ip;         /* datagram: connect()'s peer */
    uint16_t remote_port;
    uint32_t alias_ip;          /* the 127.x.y.z the user named for us, or 0 */
    uint16_t icmp_id;           /* ping socket: our echo identifier */
    struct tcb *tcb;            /* stream: the connection or the listener */
    struct dgram_queue *rxq;    /* datagram: received, not yet read */
};

/* ---- socket.c: the table, locking, waiting, names, options */
uint32_t sock_lock(void);
/* Deliver queued loopback frames, then unlock. */
void sock_unlock(uint32_t irq);
/* Under sock_lock: wait until ready(s); 0, -EAGAIN (non-blocking, or
 * SO_RCVTIMEO when timed), -EINTR. irq is sock_lock()'s, updated. */
int sock_wait(struct socket *s, uint32_t *irq, bool (*ready)(struct socket *), bool timed);
/* The interface, or NULL (and *err = -ENETUNREACH) if there is none or
 * it has no address yet. Under sock_lock. */
struct netif *sock_iface(int *err);
/* 127.0.0.0/8 -> the interface's address; others unchanged. */
uint32_t sock_route_addr(const struct netif *nif, uint32_t ip);
bool sock_is_loopback_addr(uint32_t ip);
void sock_notify(void);

/* ---- the calls (kernel pointers only; -errno on failure) */
int sock_create(int type, int proto, struct socket **out);
void sock_release(struct socket *s);
int sock_bind(struct socket *s, uint32_t ip, uint16_t port);
int sock_listen(struct socket *s, int backlog);
int sock_accept(struct socket *s, struct socket **child);
int sock_connect(struct socket *s, uint32_t ip, uint16_t port);
/* has_to: an address was given (to_ip, to_port). */
int sock_sendto(struct socket *s, const void *buf, size_t n, int flags, bool has_to,
                uint32_t to_ip, uint16_t to_port);
int sock_recvfrom(struct socket *s, void *buf, size_t n, int flags, uint32_t *from_ip,
                  uint16_t *from_port);
int sock_shutdown(struct socket *s, int how);
int sock_setsockopt(struct socket *s, int level, int name, const void *val, uint32_t len);
/* *len in: room in val; out: the option's size. */
int sock_getsockopt(struct socket *s, int level, int name, void *val, uint32_t *len);
int sock_getname(struct socket *s, bool peer, uint32_t *ip, uint16_t *port);
unsigned sock_poll(struct socket *s);           /* POLL* bits */
void sock_netstat(struct netstat_info *ni);     /* the socket table part */

/* ---- socket_udp.c (UDP and ICMP echo) and socket_tcp.c */
int sock_dgram_bind(struct socket *s, uint16_t port);
int sock_dgram_connect(struct socket *s, uint32_t ip, uint16_t port);
int sock_dgram_send(struct socket *s, uint32_t *irq, const void *buf, size_t n, bool has_to,
                    uint32_t to_ip, uint16_t to_port);
int sock_dgram_recv(struct socket *s, uint32_t *irq, void *buf, size_t n, int flags,
                    uint32_t *from_ip, uint16_t *from_port);
void sock_dgram_release(struct socket *s);
unsigned sock_dgram_poll(struct socket *s);
void sock_dgram_counters(struct netstat_info *ni);

int sock_tcp_bind(struct socket *s, uint16_t port);
int sock_tcp_listen(struct socket *s, int backlog);
int sock_tcp_accept(struct socket *s, uint32_t *irq, struct socket **child);
int sock_tcp_connect(struct socket *s, uint32_t *irq, uint32_t ip, uint16_t port);
int sock_tcp_send(struct socket *s, uint32_t *irq, const void *buf, size_t n);
int sock_tcp_recv(struct socket *s, uint32_t *irq, void *buf, size_t n, int flags);
int sock_tcp_shutdown(struct socket *s, int how);
void sock_tcp_release(struct socket *s);
unsigned sock_tcp_poll(struct socket *s);

/* Helpers both use (socket.c). */
struct socket *sock_alloc(int type, int proto);
void sock_free(struct socket *s);
struct socket *sock_at(int i);
#endif /* LAB >= 6 */

#endif
