/*
 * netstat.h -- what SYS_netstat tells a user program about the network:
 * the interface, every drop counter by reason, TCP's and UDP's counters,
 * the NIC's own statistics registers, and the socket table.
 *
 *     struct netstat_info ni;
 *     netstat_get(&ni);               // libc: SYS_netstat(&ni, sizeof ni)
 *
 * Names travel as strings filled by the kernel (drop_names, nic[].name,
 * sockets[].state), so a new drop reason needs no new userland.
 * Addresses and ports are in host order here (this is a report, not a
 * sockaddr).
 */
#ifndef ABI_NETSTAT_H
#define ABI_NETSTAT_H

#if LAB >= 6
#include <stdint.h>

#define NETSTAT_VERSION      2u    /* unsigned, as the field (make lint: printed with %u) */
#define NETSTAT_DROPS_MAX    32
#define NETSTAT_NAME_LEN     24
#define NETSTAT_NIC_MAX      16
#define NETSTAT_SOCKETS_MAX  48

/* A socket's kind in netstat_socket.proto. */
#define NETSTAT_PROTO_TCP    6
#define NETSTAT_PROTO_UDP    17
#define NETSTAT_PROTO_ICMP   1

struct netstat_counter {
    char name[NETSTAT_NAME_LEN];
    uint32_t value;
};

struct netstat_socket {
    uint32_t proto;                 /* NETSTAT_PROTO_* */
    uint32_t local_ip, remote_ip;   /* 0: any / none */
    uint32_t local_port, remote_port;
    uint32_t rx_queued, tx_queued;  /* bytes waiting to be read / acknowledged */
    char state[NETSTAT_NAME_LEN];   /* "LISTEN", "ESTABLISHED"...; "-" for UDP */
};

struct netstat_info {
    uint32_t version;               /* NETSTAT_VERSION */
    /* the interface */
    uint32_t has_iface, has_nic, configured;
    uint8_t mac[6];
    uint16_t pad;
    uint32_t ip, netmask, gateway;
    /* frames (kernel/net/netstat.h) */
    uint32_t rx_frames, tx_frames, rx_delivered, loopback_frames;
    uint32_t ndrops;                /* entries used in drops and drop_names */
    uint32_t drops[NETSTAT_DROPS_MAX];
    char drop_names[NETSTAT_DROPS_MAX][NETSTAT_NAME_LEN];
    /* TCP (struct tcp_stats) */
    uint32_t tcp_segs_in, tcp_segs_out, tcp_retransmits, tcp_resets_sent,
        tcp_out_of_order, tcp_backlog_full, tcp_timeouts;
    uint32_t tcp_tcbs_in_use;       /* control blocks taken, listeners and TIME_WAIT
                                       included (version 2): at rest, only listeners */
    /* UDP and ping sockets */
    uint32_t udp_in, udp_out, udp_queue_full, icmp_echo_out, icmp_echo_in;
    /* the NIC's statistics registers (82540EM 13.7), if there is one */
    uint32_t nnic;
    struct netstat_counter nic[NETSTAT_NIC_MAX];
    /* open sockets */
    uint32_t nsockets;
    struct netstat_socket sockets[NETSTAT_SOCKETS_MAX];
};

#endif /* LAB >= 6 */

#endif
