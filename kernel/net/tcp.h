/*
 * tcp.h -- the Transmission Control Protocol (RFC 9293), as pure logic.
 *
 * No hardware, no locks, no sleeping: IPv4 hands segments to tcp_input(),
 * built segments leave through the output callback given to tcp_init(),
 * time is passed in (now_ms, may wrap) and tcp_timer_tick() must be called
 * every few hundred milliseconds. Connections live in a fixed pool of
 * TCP_MAX_TCB control blocks with their buffers inside (no allocation).
 * The caller serializes every call (one lock around the stack in the
 * kernel). The socket layer holds `struct tcb *` handles; a TCB stays
 * valid until the user gives it back with tcp_close() or tcp_abort(),
 * whatever the peer does meanwhile.
 *
 * What is simplified, on purpose, for a teaching kernel:
 * - out-of-order segments are dropped and re-ACKed (the peer resends);
 * - the RTO is RFC 6298's 1 s floor, doubled on each timeout (no RTT
 *   estimation: on QEMU's slirp the measured RTO would be the floor);
 * - no congestion control, no delayed ACKs, no window scaling, no SACK;
 * - the zero-window probe is the retransmission timer sending one byte
 *   (it keeps probing while the peer answers, RFC 9293 3.8.6.1).
 */
#ifndef NET_TCP_H
#define NET_TCP_H

#if LAB >= 6
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TCP_MAX_TCB        16
#define TCP_BUF_SIZE       8192     /* each of the send and receive buffers */
#define TCP_MSS            1460     /* ours: an Ethernet MTU minus IP and TCP headers */
#define TCP_DEFAULT_MSS    536      /* the peer's, without an MSS option (RFC 9293 3.7.1) */
#define TCP_RTO_INITIAL_MS 1000     /* RFC 6298 2.1 */
#define TCP_RTO_MAX_MS     60000    /* RFC 6298 2.5 */
#define TCP_MAX_RETRIES    6        /* then ETIMEDOUT (1+2+...+64 s) */
#define TCP_MSL_MS         30000    /* TIME_WAIT lasts 2*MSL (RFC 9293 3.4.2) */
#define TCP_EPHEMERAL_MIN  49152    /* RFC 6335 */

enum tcp_state {
    TCP_CLOSED, TCP_LISTEN, TCP_SYN_SENT, TCP_SYN_RECEIVED, TCP_ESTABLISHED,
    TCP_FIN_WAIT_1, TCP_FIN_WAIT_2, TCP_CLOSE_WAIT, TCP_CLOSING, TCP_LAST_ACK,
    TCP_TIME_WAIT,
};

/* What a socket can wait for (tcp_poll, and the notify callback). */
#define TCP_EV_READABLE  0x01   /* data, or the peer's FIN (recv returns 0) */
#define TCP_EV_WRITABLE  0x02   /* room in the send buffer */
#define TCP_EV_CONNECTED 0x04   /* the handshake completed */
#define TCP_EV_ACCEPT    0x08   /* a listener has a connection to accept */
#define TCP_EV_ERROR     0x10   /* tcb->error is set (ECONNREFUSED, ECONNRESET, ETIMEDOUT) */

struct tcb;
/* Called when one of the events above may have become true (wake the waiters). */
typedef void (*tcp_notify_fn)(void *ctx, struct tcb *t);
/* Send one built segment (checksummed over the pseudo-header) from src to dst. */
typedef void (*tcp_output_fn)(void *ctx, uint32_t src, uint32_t dst, const uint8_t *seg,
                              size_t len, uint32_t now_ms);
/* The initial sequence number of a new connection (RFC 9293 3.4.1). */
typedef uint32_t (*tcp_isn_fn)(uint32_t now_ms);

/* A byte ring: the send buffer (unacknowledged + unsent data) or the
 * receive buffer (received, not yet read). */
struct tcp_ring {
    uint8_t data[TCP_BUF_SIZE];
    uint32_t head;              /* index of the oldest byte */
    uint32_t len;
};

/* The Transmission Control Block (RFC 9293 3.3.1): one connection. */
struct tcb {
    bool in_use;
    bool user_released;         /* tcp_close/abort called: free once CLOSED */
    bool fin_queued;            /* close/shutdown: send FIN after the data */
    bool fin_received;
    bool accepted;              /* a listener's child handed out by tcp_accept */
    enum tcp_state state;
    int error;                  /* 0 or ECONNREFUSED / ECONNRESET / ETIMEDOUT */
    uint32_t local_ip, remote_ip;
    uint16_t local_port, remote_port;
    /* send sequence space (RFC 9293 3.3.1 figure 3) */
    uint32_t iss, snd_una, snd_nxt, snd_wnd, snd_wl1, snd_wl2;
    uint32_t snd_max;           /* highest sequence number sent (snd_nxt goes back on timeout) */
    uint32_t snd_buf_seq;       /* sequence number of sndbuf's first byte */
    uint16_t snd_mss;
    /* receive sequence space */
    uint32_t irs, rcv_nxt;
    uint32_t rcv_adv;           /* the window last advertised */
    struct tcp_ring sndbuf, rcvbuf;
    /* retransmission timer (also the zero-window probe) and TIME_WAIT */
    bool rexmt_armed;
    uint32_t rexmt_due;
    uint32_t rto;
    unsigned retries;
    uint32_t timewait_due;
    /* listening */
    struct tcb *parent;         /* the listener this child came from */
    uint16_t backlog;           /* a listener: children allowed at once */
    uint32_t ready_order;       /* accept queue order */
    tcp_notify_fn notify;
    void *notify_ctx;
};

/* TCP's own counters (drops go to netstat's net_drop). */
struct tcp_stats {
    uint32_t segs_in, segs_out, retransmits, resets_sent, out_of_order, backlog_full,
        timeouts;
};
extern struct tcp_stats tcp_stats;

/* Reset the whole stack: every TCB freed, counters zeroed. */
void tcp_init(tcp_output_fn output, void *ctx);
/* tcp_init() with segments going out through ipv4_send() on nif (tcp_ipv4.c). */
struct netif;
void tcp_attach(struct netif *nif);
void tcp_set_isn_fn(tcp_isn_fn fn);
void tcp_timer_tick(uint32_t now_ms);

/* The socket-facing API. Errors are negative errnos. */
struct tcb *tcp_listen(uint32_t local_ip, uint16_t port, uint16_t backlog, int *err);
struct tcb *tcp_accept(struct tcb *listener);           /* NULL: none ready */
struct tcb *tcp_connect(uint32_t local_ip, uint32_t remote_ip, uint16_t remote_port,
                        uint32_t now_ms, int *err);
int tcp_send(struct tcb *t, const void *data, size_t len, uint32_t now_ms);
int tcp_recv(struct tcb *t, void *buf, size_t len, uint32_t now_ms);
int tcp_shutdown(struct tcb *t, uint32_t now_ms);       /* no more sending: FIN */
void tcp_close(struct tcb *t, uint32_t now_ms);          /* FIN, and give the TCB back */
void tcp_abort(struct tcb *t, uint32_t now_ms);          /* RST, and give the TCB back */
unsigned tcp_poll(const struct tcb *t);
void tcp_set_notify(struct tcb *t, tcp_notify_fn fn, void *ctx);
const char *tcp_state_name(enum tcp_state s);

/* For netstat: the TCB in pool slot i, or NULL if free. */
const struct tcb *tcp_tcb_at(int i);
#endif /* LAB >= 6 */

#endif
