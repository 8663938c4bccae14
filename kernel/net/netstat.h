/*
 * netstat.h -- the network stack's counters: frames in and out, and every
 * dropped packet counted by the reason it was dropped.
 *
 * A malformed or unwanted packet is never an error to report and never a
 * panic: the layer that finds the problem calls net_drop(reason) and
 * returns. One struct for the whole stack (TCP counts here too), which the
 * `netstat` program prints. Counters are bumped with relaxed atomic adds,
 * so that two CPUs receiving at once lose no count.
 */
#ifndef NET_NETSTAT_H
#define NET_NETSTAT_H

#if LAB >= 6
#include <stdint.h>

enum net_drop_reason {
    NET_DROP_TRUNCATED,         /* shorter than its header */
    NET_DROP_BAD_CHECKSUM,
    NET_DROP_BAD_LENGTH,        /* a length field larger than the frame, or too small */
    NET_DROP_BAD_HEADER,        /* IP version != 4, IHL < 5, ARP hardware/protocol types */
    NET_DROP_UNKNOWN_ETHERTYPE,
    NET_DROP_UNKNOWN_PROTOCOL,  /* IP protocol nobody handles */
    NET_DROP_WRONG_ADDRESS,     /* not our MAC or IP address */
    NET_DROP_BAD_SOURCE,        /* source address is broadcast or multicast */
    NET_DROP_FRAGMENT,          /* fragments are not reassembled */
    NET_DROP_NO_PORT,           /* UDP: nobody bound to the port */
    NET_DROP_ICMP_TYPE,         /* ICMP type we do not handle */
    NET_DROP_ARP_QUEUE_FULL,    /* outgoing: too many packets waiting for ARP */
    NET_DROP_ARP_UNRESOLVED,    /* outgoing: no ARP reply after every retry */
    NET_DROP_TOO_BIG,           /* outgoing: larger than the MTU */
    NET_DROP_OUT_OF_WINDOW,     /* TCP: segment outside the receive window */
    NET_DROP_NO_MEMORY,         /* no buffer to keep it in */
    NET_DROP_COUNT
};

struct netstat {
    uint32_t rx_frames;         /* frames handed to net_input */
    uint32_t tx_frames;         /* frames handed to the transmit callback */
    uint32_t rx_delivered;      /* packets delivered to ICMP echo, UDP or TCP */
    uint32_t drops[NET_DROP_COUNT];
};

extern struct netstat netstat;

void net_drop(enum net_drop_reason reason);
/* Bump one of the other counters: net_count(&netstat.rx_frames). */
void net_count(uint32_t *counter);
/* Short name of a reason, for netstat's listing ("bad checksum"). */
const char *net_drop_name(enum net_drop_reason reason);
uint32_t netstat_drops_total(void);
void netstat_reset(void);
#endif /* LAB >= 6 */

#endif
