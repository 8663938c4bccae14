/*
 * loopback.h -- packets to our own address, delivered without a wire.
 *
 * ipv4_output() hands a datagram for the interface's own address here
 * instead of to ARP: it gets an Ethernet header (our MAC both ways) and
 * waits in a queue of whole frames. Whoever owns the stack's lock later
 * drains the queue into net_input(), as if the frames had come from a
 * NIC. Never delivered on the spot: the sender may be deep inside
 * tcp_input() (an ACK it is sending), and the stack is not re-entrant
 * (net.h). The same path serves a netif with no NIC at all (127.0.0.1):
 * sockets then work over loopback only.
 *
 * 127.0.0.0/8 is not routed here: the socket layer maps those addresses
 * to the interface's own address before it calls the stack (socket.c).
 */
#ifndef NET_LOOPBACK_H
#define NET_LOOPBACK_H

#if LAB >= 6
#include <stdbool.h>
#include <stdint.h>
#include "net/eth.h"

#define LOOPBACK_QUEUE      32          /* frames waiting at once */
#define LOOPBACK_FRAME_MAX  (ETH_HLEN + ETH_MTU)
#define LOOPBACK_DRAIN_MAX  (4 * LOOPBACK_QUEUE)    /* per drain: no endless ping-pong */

struct netif;
struct netbuf;

/* nb holds an IPv4 datagram for nif's own address: frame it and queue
 * it. 0, or -ENOBUFS when the queue is full (counted as a drop). */
int loopback_output(struct netif *nif, struct netbuf *nb);
/* Hand up to LOOPBACK_DRAIN_MAX queued frames to net_input(), frames the
 * deliveries queue included. Returns how many. Call holding the stack's
 * lock, never from inside net_input(). */
int loopback_drain(struct netif *nif, uint32_t now_ms);
bool loopback_pending(void);
uint32_t loopback_frames(void);         /* frames ever queued */
void loopback_reset(void);
#endif /* LAB >= 6 */

#endif
